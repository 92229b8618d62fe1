#!/bin/sh
# rpiperf render: the files written and the paths printed, next to the
# input and with -o, --format, --width/--height, --only, --redact, standard
# input, and the refusals: a missing output directory (4), standard input
# without -o (3), bad options (3), an invalid report (2), and never
# overwriting the input.
. tests/cli/lib.sh

IOB=$REF/upstream-writer/v3-io-bound.json

# magic NAME FILE BYTES: the file starts with BYTES (printf format)
magic() {
    want=$(printf "$3" | od -An -tx1 | tr -d ' \n')
    n=$(printf "$3" | wc -c | tr -d ' ')
    got=$(head -c "$n" "$2" 2>/dev/null | od -An -tx1 | tr -d ' \n')
    if [ "$got" = "$want" ]; then ok "$1"; else not_ok "$1 (starts with $got)"; fi
}
# png_size NAME FILE W H: the IHDR of a PNG says W x H
png_size() {
    wh=$(od -An -tu1 -j16 -N8 "$2" 2>/dev/null | awk '{
        printf "%d %d", (($1 * 256 + $2) * 256 + $3) * 256 + $4,
                        (($5 * 256 + $6) * 256 + $7) * 256 + $8 }')
    if [ "$wh" = "$3 $4" ]; then ok "$1"; else not_ok "$1 (size $wh, expected $3 $4)"; fi
}
exists() { if [ -s "$2" ]; then ok "$1"; else not_ok "$1 ($2 missing or empty)"; fi; }
absent() { if [ -e "$2" ]; then not_ok "$1 ($2 exists)"; else ok "$1"; fi; }

# ---- next to the input --------------------------------------------------
mkdir "$TMP/in"
cp "$IOB" "$TMP/in/run.json"
run $RPIPERF render "$TMP/in/run.json"
expect_status "next to the input: status 0" 0
for c in timeline throughput network; do
    exists "next to the input: $c chart written" "$TMP/in/run-$c.png"
    expect_out "next to the input: $c path printed" "^$TMP/in/run-$c\\.png\$"
    magic "next to the input: $c is a PNG" "$TMP/in/run-$c.png" '\211PNG\r\n\032\n'
done
if [ "$(wc -l <"$TMP/out")" -eq 3 ]; then ok "three paths printed"; else
    not_ok "three paths printed ($(wc -l <"$TMP/out") lines)"; fi
if cmp -s "$IOB" "$TMP/in/run.json"; then ok "input unchanged"; else not_ok "input unchanged"; fi
if [ ! -s "$TMP/err" ]; then ok "nothing on stderr"; else not_ok "nothing on stderr"; fi

# a name without .json keeps its whole base name
cp "$IOB" "$TMP/in/plain"
run $RPIPERF render --only network "$TMP/in/plain"
expect_status "base name without .json: status 0" 0
exists "base name without .json: NAME-network.png" "$TMP/in/plain-network.png"

# a relative path in the current directory
case $RPIPERF in /* | *" /"*) RP_ABS=$RPIPERF ;; *) RP_ABS="$PWD/$RPIPERF" ;; esac
( cd "$TMP/in" && $RP_ABS render --only timeline run.json ) >"$TMP/out" 2>"$TMP/err"
st=$?
expect_status "relative input: status 0" 0
expect_out "relative input: relative path printed" '^run-timeline\.png$'

# ---- -o DIR, --only, --format, sizes ---------------------------------------
mkdir "$TMP/o"
run $RPIPERF render -o "$TMP/o" --only throughput,timeline "$IOB"
expect_status "--only two charts: status 0" 0
exists "--only: timeline written" "$TMP/o/v3-io-bound-timeline.png"
exists "--only: throughput written" "$TMP/o/v3-io-bound-throughput.png"
absent "--only: network not written" "$TMP/o/v3-io-bound-network.png"
# printed in the fixed order timeline, throughput, network
if [ "$(sed -n 1p "$TMP/out")" = "$TMP/o/v3-io-bound-timeline.png" ] &&
   [ "$(sed -n 2p "$TMP/out")" = "$TMP/o/v3-io-bound-throughput.png" ]; then
    ok "--only: paths in chart order"; else not_ok "--only: paths in chart order"; fi

run $RPIPERF render -o "$TMP/o" --only network --width 800 --height 500 "$IOB"
expect_status "--width/--height: status 0" 0
png_size "--width/--height: the PNG has that size" "$TMP/o/v3-io-bound-network.png" 800 500

run $RPIPERF render -o "$TMP/o" --format svg "$IOB"
expect_status "--format svg: status 0" 0
for c in timeline throughput network; do
    magic "--format svg: $c is XML" "$TMP/o/v3-io-bound-$c.svg" '<?xml'
    if grep -q '<svg' "$TMP/o/v3-io-bound-$c.svg"; then ok "--format svg: $c has <svg"; else
        not_ok "--format svg: $c has <svg"; fi
done
run $RPIPERF render -o "$TMP/o" --format pdf --only timeline "$IOB"
expect_status "--format pdf: status 0" 0
magic "--format pdf: a PDF" "$TMP/o/v3-io-bound-timeline.pdf" '%%PDF-'

# a report that never started: all three charts still written
run $RPIPERF render -o "$TMP/o" "$REF/upstream-writer/v3-never-started.json"
expect_status "never started: status 0" 0
for c in timeline throughput network; do
    exists "never started: $c written" "$TMP/o/v3-never-started-$c.png"
done

# --redact renders (the names themselves are checked in the unit tests)
run $RPIPERF render -o "$TMP/o" --redact --only timeline "$IOB"
expect_status "--redact: status 0" 0

# ---- standard input ---------------------------------------------------------
run sh -c "$RPIPERF render -o '$TMP/o' --only timeline - <'$IOB'"
expect_status "stdin with -o: status 0" 0
exists "stdin with -o: report-timeline.png" "$TMP/o/report-timeline.png"
expect_out "stdin with -o: path printed" "^$TMP/o/report-timeline\\.png\$"

run sh -c "$RPIPERF render - <'$IOB'"
expect_status "stdin without -o: status 3" 3
expect_err "stdin without -o: says -o is needed" 'needs -o'
absent "stdin without -o: nothing written" "./report-timeline.png"

# ---- refusals ---------------------------------------------------------------
run $RPIPERF render -o "$TMP/nowhere" "$IOB"
expect_status "missing -o directory: status 4" 4
expect_err "missing -o directory: says so" "output directory .*nowhere does not exist"
absent "missing -o directory: not created" "$TMP/nowhere"

: >"$TMP/afile"
run $RPIPERF render -o "$TMP/afile" "$IOB"
expect_status "-o a file: status 4" 4
expect_err "-o a file: says so" "is not a directory"

run $RPIPERF render --only timeline,bogus "$IOB"
expect_status "--only unknown chart: status 3" 3
expect_err "--only unknown chart: names the choices" 'timeline, throughput and network'
run $RPIPERF render --only "" "$IOB"
expect_status "--only empty: status 3" 3
run $RPIPERF render --format gif "$IOB"
expect_status "--format gif: status 3" 3
run $RPIPERF render --width 10 "$IOB"
expect_status "--width 10: status 3" 3
run $RPIPERF render --height abc "$IOB"
expect_status "--height abc: status 3" 3
run $RPIPERF render
expect_status "no FILE: status 3" 3
run $RPIPERF render "$IOB" "$IOB"
expect_status "two FILEs: status 3" 3
run $RPIPERF render --help
expect_status "--help: status 0" 0
expect_out "--help: usage" '^usage: rpiperf render'

printf '{"version": 3, "summary": ' >"$TMP/in/broken.json"
run $RPIPERF render -o "$TMP/o" "$TMP/in/broken.json"
expect_status "invalid report: status 2" 2
expect_err "invalid report: the loader's message" 'broken\.json:1:'
absent "invalid report: nothing written" "$TMP/o/broken-timeline.png"
run $RPIPERF render -o "$TMP/o" "$TMP/in/missing.json"
expect_status "missing report: status 2" 2

# the input is never overwritten, even when a chart's path is the input
# (a hard link named like the chart)
mkdir "$TMP/same"
cp "$IOB" "$TMP/same/r.json"
ln "$TMP/same/r.json" "$TMP/same/r-network.png"
run $RPIPERF render --only network "$TMP/same/r.json"
expect_status "chart path is the input: status 4" 4
expect_err "chart path is the input: refused" 'refusing to overwrite the input'
if cmp -s "$IOB" "$TMP/same/r.json"; then ok "chart path is the input: input intact"; else
    not_ok "chart path is the input: input intact"; fi

# an existing chart is replaced whole
mkdir "$TMP/re"
cp "$IOB" "$TMP/re/x.json"
echo old >"$TMP/re/x-timeline.png"
run $RPIPERF render --only timeline "$TMP/re/x.json"
expect_status "existing chart replaced: status 0" 0
magic "existing chart replaced: now a PNG" "$TMP/re/x-timeline.png" '\211PNG'
if ls -a "$TMP/re" | grep -q '^\.rpiperf-'; then not_ok "no temporary file left"; else
    ok "no temporary file left"; fi

# ---- the charts README.md shows ----------------------------------------------
# samples/charts/NAME-CHART.png is chart CHART of samples/NAME.json, 900
# pixels wide (make charts): drawn again it is the same file, README.md
# shows it with a caption, and make charts redraws it
mkdir "$TMP/charts"
n_charts=0
for png in samples/charts/*.png; do
    base=$(basename "$png" .png)
    # compare's overlay chart of several samples: test_compare.sh
    case $base in compare-*) continue ;; esac
    chart=${base##*-}
    name=${base%-*}
    n_charts=$((n_charts + 1))
    run $RPIPERF render --only "$chart" --width 900 -o "$TMP/charts" "samples/$name.json"
    expect_status "committed chart $base: drawn again" 0
    if cmp -s "$png" "$TMP/charts/$base.png"; then
        ok "committed chart $base is what the code draws"
    else
        not_ok "committed chart $base is what the code draws (run make charts)"
    fi
    if grep -A2 -F "](samples/charts/$base.png)" README.md | grep -q '^\*The '; then
        ok "README shows $base with a caption"
    else
        not_ok "README shows $base with a caption"
    fi
    if grep -qF "samples/charts/$base.png" Makefile; then ok "make charts redraws $base"; else
        not_ok "make charts redraws $base"; fi
done
if [ "$n_charts" -ge 3 ]; then ok "three committed charts or more"; else
    not_ok "three committed charts or more ($n_charts)"; fi
# and every chart README.md shows is committed
for ref in $(sed -n 's/.*](\(samples\/charts\/[^)]*\.png\)).*/\1/p' README.md); do
    if [ -s "$ref" ]; then ok "README's $ref is committed"; else not_ok "README's $ref is committed"; fi
done

finish
