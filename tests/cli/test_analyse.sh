#!/bin/sh
# rpiperf analyse: formats, options, exit statuses and output safety.
. tests/cli/lib.sh
UW=$REF/upstream-writer

run $RPIPERF analyse "$UW/v3-io-bound.json"
expect_status "analyse text exits 0" 0
expect_out "text names the io-bound finding" "WARNING io-bound"
expect_out "text shows the bottleneck" "^Bottleneck: disk \(high confidence\)"
expect_no_out "no colour into a pipe" "$(printf '\033')"

run $RPIPERF analyse --color always "$UW/v3-io-bound.json"
expect_out "--color always colours" "$(printf '\033')\["

# on a terminal (script(1) gives one): colour, unless NO_COLOR is set
if command -v script >/dev/null 2>&1; then
    script -qc "$RPIPERF analyse $UW/v3-io-bound.json" /dev/null >"$TMP/out" 2>&1
    expect_out "colour on a terminal" "$(printf '\033')\["
    NO_COLOR=1 script -qc "$RPIPERF analyse $UW/v3-io-bound.json" /dev/null >"$TMP/out" 2>&1
    expect_no_out "NO_COLOR: no colour on a terminal" "$(printf '\033')\["
fi

run $RPIPERF analyse -f json "$UW/v3-cpu-bound.json"
expect_status "json exits 0" 0
if /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); ids=[f["id"] for f in d["findings"]]; assert "cpu-bound" in ids, ids; assert d["bottleneck"]["kind"]=="cpu"; assert set(d)>={"tool","file","session","findings","events","phases","cycles","bottleneck"}' "$TMP/out"; then
    ok "json parses and carries the findings"; else not_ok "json parses and carries the findings"; fi

run $RPIPERF analyse --format markdown "$UW/v3-multi-cycle.json"
expect_out "markdown has a cycles table" "^#### Imaging cycles"
expect_out "markdown has the collapsible event list" "<details><summary>All [0-9]+ events</summary>"

run $RPIPERF analyse "$UW/v3-never-started.json"
expect_out "never-started says no write was captured" "No write was captured"
expect_out "never-started says how to capture one" "Ctrl\+Shift\+P"

run $RPIPERF analyse - < "$UW/v3-healthy.json"
expect_status "stdin works" 0
expect_out "healthy: no findings" "none: nothing unusual"

printf '{"version": 9}' > "$TMP/bad.json"
run $RPIPERF analyse "$TMP/bad.json"
expect_status "invalid report exits 2" 2
expect_err "invalid report: same message as validate" "unsupported version 9"

run $RPIPERF analyse --set slow-final-sync.max_ms=30000 "$UW/v3-io-bound.json"
expect_no_out "--set raises a threshold" "slow-final-sync"
run $RPIPERF analyse --set nope.x=1 "$UW/v3-io-bound.json"
expect_status "--set unknown rule exits 3" 3
expect_err "--set names the problem" "unknown rule"

printf 'slow-final-sync = off\n# c\nproducer-stall.min_ms = many\n' > "$TMP/rules"
run $RPIPERF analyse --rules "$TMP/rules" "$UW/v3-io-bound.json"
expect_status "bad rules file exits 3" 3
expect_err "rules file error has the line" "rules:3: producer-stall.min_ms: expected a non-negative number"

run $RPIPERF analyse --list-rules
expect_out "--list-rules lists thresholds" "slow-final-sync.max_ms = 10000"

cp "$UW/v3-io-bound.json" "$TMP/in.json"
run $RPIPERF analyse -o "$TMP/in.json" "$TMP/in.json"
expect_status "-o refuses to overwrite the input" 4
if cmp -s "$UW/v3-io-bound.json" "$TMP/in.json"; then ok "input left intact"; else not_ok "input left intact"; fi
run $RPIPERF analyse -f json -o "$TMP/out.json" "$TMP/in.json"
expect_status "-o writes a file" 0
if /usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/out.json"; then ok "-o output is whole JSON"; else not_ok "-o output is whole JSON"; fi
if ls "$TMP"/.rpiperf-* >/dev/null 2>&1; then not_ok "no temporary file left"; else ok "no temporary file left"; fi

run $RPIPERF analyse --redact -f json "$UW/v3-windows-slow-prepare.json"
expect_no_out "--redact hides the device path" 'PhysicalDrive'
expect_out "--redact uses placeholders" '"device-1"'

run $RPIPERF analyse --format yaml "$UW/v3-io-bound.json"
expect_status "unknown format exits 3" 3
run $RPIPERF analyse
expect_status "no FILE exits 3" 3
run $RPIPERF help analyse
expect_out "help analyse" "usage: rpiperf analyse"

finish
