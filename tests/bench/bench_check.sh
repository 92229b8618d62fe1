#!/bin/sh
# CI benchmark (README.md, "Performance" / "Checking many reports"):
# `rpiperf check -j 2` over N reports made from the bundled samples (hard
# links, so the set costs no disk), reports per second, and peak RSS at N/4
# and N reports to show that memory does not grow with their number.
set -u
BUILD=${BUILD:-build}
N=${CHECK_REPORTS:-10000}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
RPIPERF=$BUILD/rpiperf
OUT=$BUILD/bench
mkdir -p "$OUT"
[ -x "$OUT/rss-load" ] || ${CC:-cc} -O2 -std=c11 -Wall -Wextra -o "$OUT/rss-load" \
    tests/bench/rss_load.c || exit 2
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

make_set() { # make_set DIR COUNT
    rm -rf "$1"
    mkdir -p "$1"
    set -- "$1" "$2" samples/*.json
    dir=$1
    count=$2
    shift 2
    i=0
    while [ "$i" -lt "$count" ]; do
        for s in "$@"; do
            [ "$i" -ge "$count" ] && break
            ln "$s" "$dir/r$i.json" 2>/dev/null || cp "$s" "$dir/r$i.json"
            i=$((i + 1))
        done
    done
}
quarter=$((N / 4))
make_set "$OUT/check-$quarter" "$quarter"
make_set "$OUT/check-$N" "$N"
cat samples/*.json >/dev/null

echo "== check: reports made from the $(ls samples/*.json | wc -l) samples"
for n in "$quarter" "$N"; do
    line=$("$OUT/rss-load" 3 "$RPIPERF" check -j 2 --no-progress "$OUT/check-$n")
    st=$(field status "$line")
    ms=$(field median_ms "$line")
    awk -v n="$n" -v ms="$ms" -v kb="$(field max_rss_kb "$line")" -v st="$st" 'BEGIN {
        printf "%6d reports, -j 2: %6.0f ms, %6.0f reports/s, peak RSS %5.1f MB (exit %d)\n",
            n, ms, n / (ms / 1000), kb / 1024, st }'
    eval "rate_$n=$(awk -v n="$n" -v ms="$ms" 'BEGIN { printf "%.0f", n / (ms / 1000) }')"
    eval "kb_$n=$(field max_rss_kb "$line")"
done
eval "rate=\$rate_$N"
eval "kb_all=\$kb_$N"
eval "kb_q=\$kb_$quarter"
awk -v r="$rate" -v a="$kb_all" -v q="$kb_q" 'BEGIN {
    printf "aim: >= 2000 reports/s with -j 2: %s\n", (r >= 2000) ? "met" : "missed"
    printf "aim: memory flat (4x the reports, %.2fx the peak RSS): %s\n", a / q, (a <= q * 1.25) ? "met" : "missed"
}'
