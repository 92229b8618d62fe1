#!/bin/sh
# The command line as people use it: options anywhere among the operands
# (GNU style) and "--" to end them, the "analyze" spelling, one-line usage
# errors that name the option and what it accepts, a missing rpiperf-render
# told apart from other failures, and help texts within 80 columns.
. tests/cli/lib.sh

UW=$REF/upstream-writer
H=$UW/v3-healthy.json

# ---- options after the operands, for every command ----------------------
run $RPIPERF validate "$H" -q
expect_status "validate FILE -q" 0
if [ ! -s "$TMP/out" ]; then ok "validate FILE -q: -q applies"; else not_ok "validate FILE -q: -q applies"; fi

run $RPIPERF analyse "$H" -f json
expect_status "analyse FILE -f json" 0
if "$PYTHON" -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/out" 2>/dev/null; then
    ok "analyse FILE -f json: the output is JSON"; else not_ok "analyse FILE -f json: the output is JSON"; fi
run $RPIPERF analyse "$H" --format=markdown
expect_out "analyse FILE --format=markdown" '^### rpiperf analysis of'

mkdir -p "$TMP/dir"
cp "$H" "$UW/v3-failed.json" "$TMP/dir/"
run $RPIPERF check "$TMP/dir" --fail-on warning --junit "$TMP/j.xml" -j 1
expect_status "check DIR --fail-on warning --junit FILE: the failed report fails" 1
expect_no_err "check DIR --fail-on ...: --fail-on is not taken for a PATH" 'INVALID'
if [ -s "$TMP/j.xml" ]; then ok "check DIR ... --junit FILE writes the file"; else not_ok "check DIR ... --junit FILE writes the file"; fi

run $RPIPERF compare "$H" "$UW/v3-io-bound.json" -f json
expect_status "compare A B -f json" 0
if "$PYTHON" -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/out" 2>/dev/null; then
    ok "compare A B -f json: the output is JSON"; else not_ok "compare A B -f json: the output is JSON"; fi

mkdir -p "$TMP/charts"
run $RPIPERF render "$H" -o "$TMP/charts" --only network
expect_status "render FILE -o DIR --only network" 0
if [ -f "$TMP/charts/v3-healthy-network.png" ] && [ ! -f "$TMP/charts/v3-healthy-timeline.png" ]; then
    ok "render FILE ... --only network draws only that chart"
else
    not_ok "render FILE ... --only network draws only that chart"
fi
run $RPIPERF report "$H" -o "$TMP/page.html" --width 600
expect_status "report FILE -o PAGE --width 600" 0
if [ -s "$TMP/page.html" ]; then ok "report FILE -o PAGE writes PAGE"; else not_ok "report FILE -o PAGE writes PAGE"; fi

# "--" ends the options: a report whose name starts with "-"
cp "$H" "$TMP/-q.json"
(cd "$TMP" && $RPIPERF validate -- -q.json) >"$TMP/out" 2>"$TMP/err"
st=$?
expect_status "validate -- -q.json" 0
expect_out "a file named -q.json after -- is a file" '^-q.json: ok, version 3'

# ---- analyze --------------------------------------------------------------
run $RPIPERF analyze "$H" -f json
expect_status "analyze is analyse" 0
run $RPIPERF help analyze
expect_out "help analyze shows analyse's help" '^usage: rpiperf analyse'

# ---- usage errors: one line, what was wrong, where to look ---------------
# one_line NAME CMD...: status 3, nothing on stdout, exactly one line on
# stderr that ends by pointing at the command's help
one_line() {
    name=$1
    shift
    run "$@"
    expect_status "$name: status 3" 3
    lines=$(wc -l <"$TMP/err")
    if [ "$lines" -eq 1 ] && [ ! -s "$TMP/out" ]; then
        ok "$name: one line"
    else
        not_ok "$name: one line ($lines lines, stdout $(wc -c <"$TMP/out") bytes)"
        head -3 "$TMP/err" | sed 's/^/#   /'
    fi
}
one_line "unknown option" $RPIPERF analyse --bogus "$H"
expect_err "unknown option: named, with the help to see" '^rpiperf analyse: unknown option --bogus \(see rpiperf help analyse\)$'
one_line "unknown short option" $RPIPERF validate -x "$H"
expect_err "unknown short option: named" 'unknown option -x'
one_line "missing argument" $RPIPERF analyse "$H" -f
expect_err "missing argument: which option, what it takes" '--format needs an argument \(FMT\)'
one_line "bad format" $RPIPERF analyse -f xml "$H"
expect_err "bad format: the choices" '--format: expected text, markdown or json, got "xml"'
one_line "fail-slower 150" $RPIPERF compare --fail-slower 150 "$H" "$H"
expect_err "fail-slower 150: the accepted range" '--fail-slower: expected a number from 0 to 99.99, got "150"'
one_line "jobs 99" $RPIPERF check -j 99 "$H"
expect_err "jobs 99: the accepted range" '--jobs: expected a whole number from 0 to 64, got "99"'
one_line "jobs 1.5" $RPIPERF check -j 1.5 "$H"
one_line "width 10" $RPIPERF report --width 10 "$H"
expect_err "width 10: the accepted range" '--width: expected a whole number from 200 to 8000, got "10"'
one_line "fail-on nonsense" $RPIPERF check "$H" --fail-on sometimes
expect_err "fail-on: the levels" '--fail-on: expected info, warning or error, got "sometimes"'
one_line "--set bad rule" $RPIPERF analyse --set nosuch.x=1 "$H"
expect_err "--set bad rule: the assignment and what is wrong" '^rpiperf: --set nosuch.x=1: unknown rule "nosuch"$'
one_line "two files for analyse" $RPIPERF analyse "$H" "$H"
expect_err "two files: said" 'expected FILE, got 2 operands'
one_line "one report for compare" $RPIPERF compare "$H"
expect_err "one report for compare: said" 'expected REPORT REPORT \[REPORT...\], got 1 operand'
one_line "no file" $RPIPERF render
expect_err "no file: said" 'no FILE given'
one_line "no such command" $RPIPERF analyse-this "$H"
expect_err "no such command: said" 'no such command: analyse-this'

# help only when asked
run $RPIPERF analyse --help
expect_status "--help: status 0" 0
expect_out "--help: the usage" '^usage: rpiperf analyse \[options\] FILE'
run $RPIPERF check -h
expect_out "-h: the usage" '^usage: rpiperf check \[options\] PATH...'

# ---- help made from the option table, within 80 columns -------------------
for cmd in validate analyse check compare render report; do
    $RPIPERF help $cmd >"$TMP/help"
    wide=$(awk 'length > 79' "$TMP/help" | wc -l)
    if [ "$wide" -eq 0 ]; then ok "help $cmd fits 79 columns"; else not_ok "help $cmd fits 79 columns ($wide lines wider)"; fi
done
$RPIPERF help analyse >"$TMP/help"
for opt in --format --color --output --set --rules --list-rules --html --redact --no-warnings --max-size --help; do
    if grep -q -- "$opt" "$TMP/help"; then ok "help analyse lists $opt"; else not_ok "help analyse lists $opt"; fi
done
$RPIPERF help render >"$TMP/help"
if grep -q -- '--format FMT *png (default), svg or pdf' "$TMP/help"; then
    ok "render's --format is the image format"; else not_ok "render's --format is the image format"; fi
if grep -q -- '--set' "$TMP/help" && grep -q -- '--rules' "$TMP/help"; then
    ok "render takes --set and --rules (charts show the same analysis)"
else
    not_ok "render takes --set and --rules (charts show the same analysis)"
fi
$RPIPERF analyse --list-rules >"$TMP/rules"
wide=$(awk 'length > 100' "$TMP/rules" | wc -l)
if [ "$wide" -eq 0 ]; then ok "--list-rules fits 100 columns"; else not_ok "--list-rules fits 100 columns ($wide lines wider)"; fi

# ---- rpiperf without rpiperf-render ---------------------------------------
mkdir -p "$TMP/lonely"
cp "$BUILD/rpiperf" "$TMP/lonely/rpiperf"
run $VG "$TMP/lonely/rpiperf" render -o "$TMP/charts" "$H"
expect_status "render without rpiperf-render: its own status" 6
expect_err "render without rpiperf-render: names what it looked for" "rpiperf-render.*$TMP/lonely/rpiperf-render"
run $VG "$TMP/lonely/rpiperf" analyse "$H" --html "$TMP/x.html"
expect_status "analyse --html without rpiperf-render: status 6" 6
run $VG "$TMP/lonely/rpiperf" analyse "$H"
expect_status "analyse without rpiperf-render still works" 0
finish
