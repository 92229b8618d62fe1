#!/bin/sh
# Comparison benchmark (README.md, "Performance"): whole-process time of
# `rpiperf compare` over the twelve version 3 reports of the Imager's own
# writer (tests/data/reference/upstream-writer/v3-*.json, 2.4 MB together:
# healthy, slow, stalling, failed, cancelled and never-started runs, and the
# largest report, 6000 samples per phase), against the healthy run: the
# text output, and the text with the overlay chart (--chart, PNG, drawn by
# rpiperf-render). Median of $RUNS runs after warm-up: hyperfine -N when
# installed, otherwise tests/bench/rss_load.c (fork, exec, wait4). Aims:
# 20 ms for the text, 100 ms with the chart.
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
mkdir -p "$OUT"
[ -x "$OUT/rss-load" ] || ${CC:-cc} -O2 -std=c11 -Wall -Wextra -o "$OUT/rss-load" \
    tests/bench/rss_load.c || exit 2
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

set -- "$REF"/upstream-writer/v3-*.json
n=$#
bytes=$(cat "$@" | wc -c | tr -d ' ')
"$RPIPERF" compare --baseline 5 "$@" >/dev/null || exit 2

# time NAME AIM_MS ARGS...: prints the median and whether it met the aim
time_it() {
    name=$1
    aim=$2
    shift 2
    if command -v hyperfine >/dev/null 2>&1; then
        hyperfine -N --warmup 5 --runs "$RUNS" --export-json "$OUT/h-compare.json" \
            "$RPIPERF $*" >/dev/null 2>&1 || exit 2
        ms=$("$PYTHON" -c 'import json, sys
print("%.1f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$OUT/h-compare.json")
        how="hyperfine -N"
    else
        "$OUT/rss-load" 5 "$RPIPERF" "$@" >/dev/null
        line=$("$OUT/rss-load" "$RUNS" "$RPIPERF" "$@")
        [ "$(field status "$line")" = 0 ] || { echo "bench_compare: $name failed" >&2; exit 2; }
        ms=$(field median_ms "$line")
        how="rss-load, peak RSS $(( $(field max_rss_kb "$line") / 1024 )) MB"
    fi
    echo "$name: $ms ms median of $RUNS ($how; aim <= $aim ms: $(awk -v m="$ms" -v a="$aim" 'BEGIN { print (m <= a) ? "met" : "missed" }'))"
}

echo "== compare: $n reports ($bytes bytes), whole process, $(nproc 2>/dev/null || echo ?) CPUs"
time_it "text" 20 compare --baseline 5 "$@"
time_it "text and overlay chart (PNG)" 100 compare --baseline 5 --chart "$OUT/compare-overlay.png" "$@"
