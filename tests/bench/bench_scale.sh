#!/bin/sh
# Scale benchmark (README.md, "Reliability"): whole-process time of
# `rpiperf analyse --format json` on reports of N and 2N events and slices,
# for three shapes that once took quadratic time, and the ratio of the two
# times, which must stay at or under 2.2 (linear growth, with some room for
# noise). Also `compare` and `render` on the mixed shape, for information.
# The reports are written by tests/data/hostile/make_hostile.py:
#   mixed   N events of mixed types (40 % distinct unknown names, failed,
#           long, stall and hash events), N/2 slices per phase
#   gaps    version 2: N slices each after a quiet gap that starts a cycle
#   cycles  version 3: N slices in one run of time split over N/4 cycles
# Median of $RUNS runs (hyperfine when installed, else a `date +%s%N` loop).
#
# Environment: BUILD (default build), PYTHON (default /usr/bin/python3),
# N (default 100000), RUNS (default 5).
set -u
BUILD=${BUILD:-build}
PYTHON=${PYTHON:-/usr/bin/python3}
N=${N:-100000}
RUNS=${RUNS:-5}
LIMIT=2.2
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2

RPIPERF=$BUILD/rpiperf
OUT=$BUILD/bench/scale
mkdir -p "$OUT"
if [ ! -x "$RPIPERF" ]; then
    echo "bench_scale: $RPIPERF is missing (run make first)" >&2
    exit 2
fi

median() {
    sort -n | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "nan"; exit }
        if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# seconds CMD...: the median wall time of CMD in seconds
seconds() {
    if command -v hyperfine >/dev/null 2>&1; then
        hyperfine -N --warmup 1 --runs "$RUNS" -i \
            --export-json "$OUT/hyperfine.json" "$*" >/dev/null 2>&1 || return 1
        "$PYTHON" -c 'import json, sys
print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' \
            "$OUT/hyperfine.json"
    else
        i=0
        : >"$OUT/times"
        while [ "$i" -lt "$RUNS" ]; do
            t0=$(date +%s%N)
            "$@" >/dev/null 2>&1
            t1=$(date +%s%N)
            echo "$(( (t1 - t0) / 1000 ))" >>"$OUT/times"
            i=$((i + 1))
        done
        median <"$OUT/times" | awk '{ printf "%.3f\n", $1 / 1e6 }'
    fi
}

status=0
echo "== scale: whole process at N = $N and 2N, median of $RUNS runs ($(nproc 2>/dev/null || echo ?) CPUs)"
printf '%-8s %-28s %10s %10s %7s\n' shape command "N (s)" "2N (s)" ratio
for shape in mixed gaps cycles; do
    for n in "$N" $((2 * N)); do
        f=$OUT/$shape-$n.json
        [ -f "$f" ] && continue
        case $shape in
        mixed) "$PYTHON" tests/data/hostile/make_hostile.py scale "$f" "$n" ;;
        *) "$PYTHON" tests/data/hostile/make_hostile.py "$shape" "$f" "$n" ;;
        esac || exit 2
    done
    cmds="analyse"
    [ "$shape" = mixed ] && cmds="analyse compare render"
    for cmd in $cmds; do
        t=""
        for n in "$N" $((2 * N)); do
            f=$OUT/$shape-$n.json
            case $cmd in
            analyse) set -- "$RPIPERF" analyse -W --format json "$f" ;;
            compare) set -- "$RPIPERF" compare "$f" "$f" ;;
            render) set -- "$RPIPERF" render -o "$OUT" "$f" ;;
            esac
            s=$(seconds "$@") || { echo "bench_scale: $* failed" >&2; exit 2; }
            t="$t $s"
        done
        # shellcheck disable=SC2086
        set -- $t
        ratio=$(awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }')
        printf '%-8s %-28s %10s %10s %7s\n' "$shape" "$cmd" "$1" "$2" "$ratio"
        if [ "$cmd" = analyse ] &&
            awk -v r="$ratio" -v l="$LIMIT" 'BEGIN { exit !(r > l) }'; then
            echo "bench_scale: $shape: analyse grew by $ratio from N to 2N (limit $LIMIT)" >&2
            status=1
        fi
    done
done
exit "$status"
