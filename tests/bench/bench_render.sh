#!/bin/sh
# Chart benchmark (README.md, "Charts" / "Speed"): whole-process time of
# `rpiperf render` writing all three PNG charts, on a typical report
# (v3-io-bound.json, 256 KB) and on the largest one (v3-cap.json, 740 KB,
# 6000 samples per phase), median of $RUNS runs: hyperfine when installed,
# otherwise a loop timed with `date +%s%N`. The aim is 60 ms or less for the
# typical report.
#
# Environment: BUILD (default build), PYTHON (default /usr/bin/python3),
# REF (default tests/data/reference), RUNS (default 30).
set -u
BUILD=${BUILD:-build}
PYTHON=${PYTHON:-/usr/bin/python3}
REF=${REF:-tests/data/reference}
RUNS=${RUNS:-30}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2

RPIPERF=$BUILD/rpiperf
OUT=$BUILD/bench
CHARTS=$OUT/charts
mkdir -p "$CHARTS"
if [ ! -x "$RPIPERF" ]; then
    echo "bench_render: $RPIPERF is missing (run make first)" >&2
    exit 2
fi

# median of the numbers on standard input, one per line
median() {
    sort -n | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "nan"; exit }
        if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "== render: three PNG charts, whole process ($RUNS runs each, $(nproc 2>/dev/null || echo ?) CPUs)"
for name in v3-io-bound v3-cap; do
    f=$REF/upstream-writer/$name.json
    if [ ! -f "$f" ]; then
        echo "bench_render: $f is missing" >&2
        exit 2
    fi
    size=$(wc -c <"$f" | tr -d ' ')
    "$RPIPERF" render -o "$CHARTS" "$f" >/dev/null || exit 2
    if command -v hyperfine >/dev/null 2>&1; then
        hyperfine -N --warmup 5 --runs "$RUNS" \
            --export-json "$OUT/hyperfine-render-$name.json" \
            "$RPIPERF render -o $CHARTS $f" >/dev/null 2>&1 || exit 2
        ms=$("$PYTHON" -c 'import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%.1f" % (r["median"] * 1000))' "$OUT/hyperfine-render-$name.json")
        how="hyperfine -N, median"
    else
        i=0
        : >"$OUT/times-render-$name"
        while [ "$i" -lt "$RUNS" ]; do
            t0=$(date +%s%N)
            "$RPIPERF" render -o "$CHARTS" "$f" >/dev/null 2>&1
            t1=$(date +%s%N)
            echo "$(( (t1 - t0) / 1000 ))" >>"$OUT/times-render-$name"
            i=$((i + 1))
        done
        ms=$(median <"$OUT/times-render-$name" | awk '{ printf "%.1f", $1 / 1000 }')
        how="date +%s%N loop, median"
    fi
    bytes=$(cat "$CHARTS/$name"-*.png | wc -c | tr -d ' ')
    if [ "$name" = v3-io-bound ]; then
        verdict=$(awk -v m="$ms" 'BEGIN { print (m <= 60.0) ? "aim met" : "aim missed" }')
        echo "$name.json ($size bytes): $ms ms ($how; aim <= 60 ms: $verdict), PNGs $bytes bytes"
    else
        echo "$name.json ($size bytes): $ms ms ($how), PNGs $bytes bytes"
    fi
done
