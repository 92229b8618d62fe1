#!/bin/sh
# Analysis benchmark (README.md, "Performance" / "Analysis"):
#   (a) whole-process `rpiperf analyse` (text and JSON) on typical reports,
#       hyperfine -N median (or a date loop);
#   (b) `rpiperf analyse -f json` on the synthetic report of bench_load.sh
#       (written here if missing) beside Python's json.load of it;
#   (c) linearity: analyse on synthetic reports of BIG_MB/2 and BIG_MB;
#       the time ratio should stay at or under 2.2.
# Needs tests/bench/rss_load.c (built by bench_load.sh, built here if not).
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
[ -x "$OUT/rss-load" ] || ${CC:-cc} -O2 -std=c11 -Wall -Wextra -o "$OUT/rss-load" \
    tests/bench/rss_load.c || exit 2
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

echo "== analyse: typical reports, whole process"
for name in v3-io-bound v3-cpu-bound; do
    f=$REF/upstream-writer/$name.json
    for fmt in text json; do
        if command -v hyperfine >/dev/null 2>&1; then
            hyperfine -N --warmup 5 --runs "$RUNS" --export-json "$OUT/h-analyse.json" \
                "$RPIPERF analyse -f $fmt $f" >/dev/null 2>&1 || exit 2
            ms=$("$PYTHON" -c 'import json, sys
print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$OUT/h-analyse.json")
        else
            ms=$(field median_ms "$("$OUT/rss-load" "$RUNS" "$RPIPERF" analyse -f "$fmt" "$f")")
        fi
        echo "$name.json -f $fmt: $ms ms (aim <= 5 ms: $(awk -v m="$ms" 'BEGIN { print (m <= 5) ? "met" : "missed" }'))"
    done
done

half=$((BIG_MB / 2))
for mb in "$half" "$BIG_MB"; do
    big=$OUT/synthetic-${mb}MB.json
    if [ ! -f "$big" ] || [ tests/bench/gen_load_report.py -nt "$big" ]; then
        "$PYTHON" tests/bench/gen_load_report.py "$mb" "$big" || exit 2
    fi
    cat "$big" >/dev/null
done
echo "== analyse: synthetic reports ($BIG_RUNS runs each, --max-size 1G)"
for mb in "$half" "$BIG_MB"; do
    big=$OUT/synthetic-${mb}MB.json
    line=$("$OUT/rss-load" "$BIG_RUNS" "$RPIPERF" analyse --max-size 1G -f json "$big")
    [ "$(field status "$line")" = 0 ] || { echo "bench_analyse: analyse failed on $big" >&2; exit 2; }
    eval "ms_$mb=$(field median_ms "$line")"
    echo "$(wc -c <"$big" | tr -d ' ') bytes: rpiperf analyse -f json $(field median_ms "$line") ms, peak RSS $(( $(field max_rss_kb "$line") / 1024 )) MB"
done
py=$(field median_ms "$("$OUT/rss-load" "$BIG_RUNS" "$PYTHON" -c 'import json,sys; json.load(open(sys.argv[1]))' "$OUT/synthetic-${BIG_MB}MB.json")")
eval "big_ms=\$ms_$BIG_MB"
eval "half_ms=\$ms_$half"
awk -v c="$big_ms" -v h="$half_ms" -v p="$py" 'BEGIN {
    printf "python3 json.load of the %s MB report alone: %.0f ms\n", "'"$BIG_MB"'", p
    printf "aim: analysed faster than Python merely parses it: %s (%.2fx)\n", (c < p) ? "met" : "missed", c / p
    printf "aim: double the input, at most 2.2x the time: %s (%.2fx)\n", (c / h <= 2.2) ? "met" : "missed", c / h
}'
