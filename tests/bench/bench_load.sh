#!/bin/sh
# Load benchmark (README.md, "Performance" / "Loading"):
#   (a) whole-process time of `rpiperf validate` on two typical reports
#       (150-330 KB), median of $RUNS runs: hyperfine when installed,
#       otherwise a loop timed with `date +%s%N`;
#   (b) the same on a synthetic report of $BIG_MB MB that
#       tests/bench/gen_load_report.py writes (deterministic, cached in
#       $BUILD/bench): throughput in MB/s and peak RSS;
#   (c) Python's json.load on the same file, for comparison.
# Peak RSS and the times of (b) and (c) come from tests/bench/rss_load.c
# (fork, exec, wait4: the child's ru_maxrss). tests/bench/time_load.c times
# rpp_report_load_file() inside one process, to tell the load from the
# process start. Both are built here with $CC.
#
# Environment: BUILD (default build), PYTHON (default /usr/bin/python3),
# REF (default tests/data/reference), RUNS (default 30), BIG_MB (default 100),
# BIG_RUNS (default 5), CC (default cc).
set -u
BUILD=${BUILD:-build}
PYTHON=${PYTHON:-/usr/bin/python3}
REF=${REF:-tests/data/reference}
RUNS=${RUNS:-30}
BIG_MB=${BIG_MB:-100}
BIG_RUNS=${BIG_RUNS:-5}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2

RPIPERF=$BUILD/rpiperf
OUT=$BUILD/bench
mkdir -p "$OUT"
if [ ! -x "$RPIPERF" ]; then
    echo "bench_load: $RPIPERF is missing (run make first)" >&2
    exit 2
fi
if [ ! -x "$OUT/rss-load" ] || [ tests/bench/rss_load.c -nt "$OUT/rss-load" ]; then
    ${CC:-cc} -O2 -std=c11 -Wall -Wextra -o "$OUT/rss-load" tests/bench/rss_load.c || exit 2
fi
# always relinked: the library may have changed
${CC:-cc} -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -I"$BUILD/include" -Ischema \
    -o "$OUT/time-load" tests/bench/time_load.c "$BUILD/librpiperf.a" \
    $(pkg-config --libs libcjson) -lm || exit 2

# median of the numbers on standard input, one per line
median() {
    sort -n | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "nan"; exit }
        if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# field NAME LINE: the value of NAME=value in an rss-load line
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

echo "== load: typical reports, whole process ($RUNS runs each)"
for name in v3-cpu-bound v3-io-bound; do
    f=$REF/upstream-writer/$name.json
    if [ ! -f "$f" ]; then
        echo "bench_load: $f is missing" >&2
        exit 2
    fi
    size=$(wc -c <"$f" | tr -d ' ')
    if command -v hyperfine >/dev/null 2>&1; then
        hyperfine -N --warmup 5 --runs "$RUNS" --export-json "$OUT/hyperfine-$name.json" \
            "$RPIPERF validate -q $f" >/dev/null 2>&1 || exit 2
        ms=$("$PYTHON" -c 'import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%.2f" % (r["median"] * 1000))' "$OUT/hyperfine-$name.json")
        how="hyperfine -N, median"
    else
        i=0
        : >"$OUT/times-$name"
        while [ "$i" -lt "$RUNS" ]; do
            t0=$(date +%s%N)
            "$RPIPERF" validate -q "$f" >/dev/null 2>&1
            t1=$(date +%s%N)
            echo "$(( (t1 - t0) / 1000 ))" >>"$OUT/times-$name"
            i=$((i + 1))
        done
        ms=$(median <"$OUT/times-$name" | awk '{ printf "%.2f", $1 / 1000 }')
        how="date +%s%N loop, median"
    fi
    verdict=$(awk -v m="$ms" 'BEGIN { print (m <= 3.0) ? "aim met" : "aim missed" }')
    echo "$name.json ($size bytes): $ms ms ($how; aim <= 3 ms: $verdict)"
    line=$("$OUT/time-load" 200 "$f") || exit 2
    echo "  of which the load alone: $(field median_ms "$line") ms" \
        "($(field mb_per_s "$line") MB/s; rpp_report_load_file, median of 200)"
done
echo "process start alone (rpiperf --version):"
if command -v hyperfine >/dev/null 2>&1; then
    hyperfine -N --warmup 5 --runs "$RUNS" --export-json "$OUT/hyperfine-version.json" \
        "$RPIPERF --version" >/dev/null 2>&1 &&
        "$PYTHON" -c 'import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("  %.2f ms (hyperfine -N, median)" % (r["median"] * 1000))' "$OUT/hyperfine-version.json"
else
    line=$("$OUT/rss-load" "$RUNS" "$RPIPERF" --version)
    echo "  $(field median_ms "$line") ms (median)"
fi

big=$OUT/synthetic-${BIG_MB}MB.json
if [ ! -f "$big" ] || [ tests/bench/gen_load_report.py -nt "$big" ]; then
    echo "== writing $big"
    "$PYTHON" tests/bench/gen_load_report.py "$BIG_MB" "$big" || exit 2
fi
size=$(wc -c <"$big" | tr -d ' ')
# warm the page cache so that both readers start from memory
cat "$big" >/dev/null

echo "== load: synthetic report of $size bytes ($BIG_RUNS runs each)"
c_line=$("$OUT/rss-load" "$BIG_RUNS" "$RPIPERF" validate -q "$big")
if [ "$(field status "$c_line")" != 0 ]; then
    echo "bench_load: rpiperf validate failed on $big" >&2
    exit 2
fi
t_line=$("$OUT/time-load" "$BIG_RUNS" "$big") || exit 2
py_line=$("$OUT/rss-load" "$BIG_RUNS" "$PYTHON" -c \
    'import json,sys; json.load(open(sys.argv[1]))' "$big")
c_ms=$(field median_ms "$c_line")
c_kb=$(field max_rss_kb "$c_line")
py_ms=$(field median_ms "$py_line")
py_kb=$(field max_rss_kb "$py_line")
t_ms=$(field median_ms "$t_line")
awk -v size="$size" -v c_ms="$c_ms" -v c_kb="$c_kb" -v py_ms="$py_ms" -v py_kb="$py_kb" \
    -v t_ms="$t_ms" 'BEGIN {
    mb = size / 1e6
    printf "rpiperf validate:   %8.0f ms  %7.1f MB/s  peak RSS %6.0f MB (%.2fx the file)\n",
        c_ms, mb / (c_ms / 1000), c_kb / 1024, c_kb * 1024 / size
    printf "  load alone:       %8.0f ms  %7.1f MB/s  (rpp_report_load_file, in process)\n",
        t_ms, mb / (t_ms / 1000)
    printf "python3 json.load:  %8.0f ms  %7.1f MB/s  peak RSS %6.0f MB (%.2fx the file)\n",
        py_ms, mb / (py_ms / 1000), py_kb / 1024, py_kb * 1024 / size
    printf "aim: at least as fast as json.load: %s (%.2fx its time)\n",
        (c_ms <= py_ms) ? "met" : "missed", c_ms / py_ms
    printf "aim: peak RSS <= 5x the file: %s\n", (c_kb * 1024 <= 5 * size) ? "met" : "missed"
}'
