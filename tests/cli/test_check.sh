#!/bin/sh
# rpiperf check and rpiperf compare: exit statuses, stable order, JUnit,
# JSON, GitHub annotations, escaping.
. tests/cli/lib.sh
UW=$REF/upstream-writer

mkdir -p "$TMP/reports/sub" "$TMP/reports/.hidden"
cp "$UW/v3-healthy.json" "$UW/v3-multi-cycle.json" "$TMP/reports/"
cp "$UW/v3-io-bound.json" "$UW/v3-failed.json" "$TMP/reports/sub/"
cp "$UW/v3-failed.json" "$TMP/reports/.hidden/"
echo "not json" > "$TMP/reports/notes.txt"

run $RPIPERF check "$TMP/reports/v3-healthy.json" "$TMP/reports/v3-multi-cycle.json"
expect_status "all passed: exit 0" 0
expect_out "a line per report" "v3-healthy.json: OK"
expect_out "a summary" "^2 reports: 2 passed, 0 failed, 0 invalid"

run $RPIPERF check "$TMP/reports"
expect_status "an error finding: exit 1" 1
expect_out "the failing report names its finding" "v3-failed.json: FAIL error session-failed"
expect_out "directories are searched recursively" "sub/v3-io-bound.json: OK"
expect_no_out "dot-directories are skipped" "\.hidden"
expect_no_out "only *.json files" "notes.txt"
expect_out "reports per rule" "session-failed +1"

run $RPIPERF check --fail-on warning "$TMP/reports/sub/v3-io-bound.json"
expect_status "--fail-on warning fails on warnings" 1
# a report whose verify failed three times: verify-mismatch (x3)
"$PYTHON" - "$UW/v3-healthy.json" "$TMP/mismatch.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
bad = {"type": "hashComputation", "startMs": 1000, "durationMs": 10,
       "success": True, "metadata": "writeHash: aa; verifyHash: bb"}
r["events"] += [dict(bad), dict(bad), dict(bad)]
json.dump(r, open(sys.argv[2], "w"))
PY
run $RPIPERF check --fail-on warning "$TMP/mismatch.json"
expect_out "repeated rules are counted" "verify-mismatch \(x3\)"

run $RPIPERF check --fail-on warning --set io-bound=off --set slow-card-write=off \
    --set slow-final-sync=off --set producer-stall=off --set throughput-gap=off \
    "$TMP/reports/sub/v3-io-bound.json"
expect_status "--set turns rules off" 0

printf 'throughput-gap = off\nio-bound = info\nslow-card-write=info\nslow-final-sync = info\nproducer-stall=info\n' > "$TMP/rules"
run $RPIPERF check --fail-on warning --rules "$TMP/rules" "$TMP/reports/sub/v3-io-bound.json"
expect_status "a rules file lowers levels" 0
printf 'write.min_avg_mbps = 35\n' > "$TMP/rig"
run $RPIPERF check --rules "$TMP/rig" "$TMP/reports/sub/v3-io-bound.json"
expect_status "a rig's throughput bar fails a slow write" 1
expect_out "the bar's finding" "FAIL error write"
printf 'write.min_avg_mbps = 35\nbogus = off\n' > "$TMP/rig"
run $RPIPERF check --rules "$TMP/rig" "$TMP/reports"
expect_status "a bad rules file: exit 3" 3
expect_err "the bad line is named" "rig:2: unknown rule"

printf '{"version": 9}' > "$TMP/reports/bad.json"
run $RPIPERF check "$TMP/reports"
expect_status "an invalid report: exit 2" 2
expect_out "the invalid one is reported" "bad.json: INVALID: .*unsupported version 9"
expect_out "the others are still checked" "v3-multi-cycle.json: OK"
expect_out "invalid ones are counted" "1 invalid"

# stable order whatever -j is
$RPIPERF check -j 1 "$TMP/reports" 2>/dev/null | grep -v '^[0-9]* reports' > "$TMP/j1"
$RPIPERF check -j 4 "$TMP/reports" 2>/dev/null | grep -v '^[0-9]* reports' > "$TMP/j4"
if cmp -s "$TMP/j1" "$TMP/j4"; then ok "same order with -j 1 and -j 4"; else not_ok "same order with -j 1 and -j 4"; fi

run $RPIPERF check "$TMP/reports"
expect_no_err "no progress line into a pipe" "reports +[0-9]+/s"

# JUnit and JSON
run $RPIPERF check --fail-on warning --junit "$TMP/out.xml" --json "$TMP/out.json" "$TMP/reports"
expect_status "with outputs: exit 2 (an invalid report)" 2
if xmllint --noout "$TMP/out.xml" 2>"$TMP/xmlerr"; then ok "JUnit XML parses with xmllint"; else not_ok "JUnit XML parses with xmllint"; cat "$TMP/xmlerr"; fi
if [ "$(xmllint --xpath 'count(//testcase)' "$TMP/out.xml")" = 5 ]; then ok "one testcase per report"; else not_ok "one testcase per report"; fi
if [ "$(xmllint --xpath 'string(/testsuites/@errors)' "$TMP/out.xml")" = 1 ]; then ok "the invalid report is an error"; else not_ok "the invalid report is an error"; fi
if [ "$(xmllint --xpath 'count(//testcase[contains(@name,"v3-failed")]/failure[@type="session-failed"])' "$TMP/out.xml")" = 1 ]; then ok "a failure per finding"; else not_ok "a failure per finding"; fi
if /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
assert s["reports"] == 5 and s["invalid"] == 1, s
st = {r["file"].rsplit("/", 1)[1]: r["status"] for r in d["reports"]}
assert st["v3-failed.json"] == "failed" and st["bad.json"] == "invalid", st
' "$TMP/out.json"; then ok "JSON results"; else not_ok "JSON results"; fi
if ls "$TMP"/.rpiperf-* >/dev/null 2>&1; then not_ok "no temporary files left"; else ok "no temporary files left"; fi

run $RPIPERF check --json "$TMP/reports/v3-healthy.json" "$TMP/reports/v3-healthy.json"
expect_status "--json over an input is refused" 4

# hostile strings: XML, JSON and annotations stay well formed
/usr/bin/python3 - "$UW/v3-failed.json" "$TMP/evil,name:%.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
msg = 'disk <b>gone</b> & "quoted" 100%\nnext\r\x1b[31mred\x1b[0m \u202e'
d["summary"]["errorMessage"] = msg
for e in d["events"]:
    if e["type"] == "cycleEnd":
        e["metadata"] = "failed: " + msg
json.dump(d, open(sys.argv[2], "w"), indent=4)
PY
GITHUB_ACTIONS=true run $RPIPERF check --junit "$TMP/evil.xml" --json "$TMP/evil.out.json" "$TMP/evil,name:%.json"
expect_status "hostile report: exit 1" 1
expect_out "annotation with escaped properties and data" '^::error file=.*evil%2Cname%3A%25\.json,title=rpiperf session-failed::.*100%25%0Anext%0D'
expect_no_out "no raw escape in annotations" "$(printf '\033')"
if xmllint --noout "$TMP/evil.xml" 2>/dev/null; then ok "hostile JUnit parses"; else not_ok "hostile JUnit parses"; fi
if /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); m=d["reports"][0]["findings"][0]["message"]; assert "<b>gone</b>" in m and "\x1b" in m' "$TMP/evil.out.json"; then ok "hostile JSON keeps the exact text"; else not_ok "hostile JSON keeps the exact text"; fi

run $RPIPERF check
expect_status "no PATH: exit 3" 3
run $RPIPERF check --fail-on loud "$TMP/reports"
expect_status "bad --fail-on: exit 3" 3
run $RPIPERF check -j 999 "$TMP/reports"
expect_status "bad -j: exit 3" 3
mkdir "$TMP/empty"
run $RPIPERF check "$TMP/empty"
expect_status "nothing to check: exit 2" 2

# ---- the line of a report that passed says what it had below --fail-on ----
# (the counts the analysis gives, which the diagnosis decides)
below() {
    $RPIPERF analyse -f json "$1" 2>/dev/null | "$PYTHON" -c '
import json, sys
c = json.load(sys.stdin)["counts"]
w, i = c["warning"], c["info"]
parts = (["%d warning%s" % (w, "" if w == 1 else "s")] if w else []) + \
        (["%d info" % i] if i else [])
print(" (%s)" % ", ".join(parts) if parts else "")'
}
run $RPIPERF check "$UW/v3-io-bound.json" "$UW/v3-cancelled.json" "$UW/v3-cap.json" "$UW/v3-healthy.json"
for f in v3-io-bound v3-cancelled v3-cap v3-healthy; do
    want="$f.json: OK$(below "$UW/$f.json")"
    if grep -qxF -- "$UW/$want" "$TMP/out"; then
        ok "a pass says how many findings below --fail-on it has: $want"
    else
        not_ok "a pass says how many findings below --fail-on it has: $want"
        grep -F "$f.json" "$TMP/out" | sed 's/^/#   /'
    fi
done
if grep -q 'v3-io-bound.json: OK ([0-9]* warnings*)$' "$TMP/out" &&
    grep -q 'v3-healthy.json: OK$' "$TMP/out"; then
    ok "warnings are counted, and a pass without findings is a bare OK"
else
    not_ok "warnings are counted, and a pass without findings is a bare OK"
fi

# ---- choosing the files: --include, --exclude ---------------------------
mkdir -p "$TMP/lab/nightly/card-1" "$TMP/lab/node_modules/pkg" "$TMP/lab/sub"
cp "$UW/v3-healthy.json" "$TMP/lab/nightly/card-1/rpi-imager-performance-1.json"
cp "$UW/v3-healthy.json" "$TMP/lab/rpi-imager-performance-2.json"
cp "$UW/v3-multi-cycle.json" "$TMP/lab/sub/other.json"
cp "$UW/v3-failed.json" "$TMP/lab/node_modules/pkg/report.json"
echo '{"name": "x"}' >"$TMP/lab/settings.json"
run $RPIPERF check --include 'rpi-imager-performance-*.json' "$TMP/lab"
expect_status "--include GLOB without '/': the file name at any depth" 0
expect_out "--include finds the deep one" 'nightly/card-1/rpi-imager-performance-1.json: OK'
expect_out "--include finds the shallow one" 'lab/rpi-imager-performance-2.json: OK'
expect_no_out "--include leaves the others out" 'other.json|settings.json|report.json'
expect_out "--include: two reports" '^2 reports: 2 passed'
run $RPIPERF check --include 'sub/*.json' --include 'nightly/*' "$TMP/lab"
expect_out "--include GLOB with '/': the path below PATH" 'sub/other.json: OK'
expect_out "--include is repeatable; '*' matches '/' too" 'card-1/rpi-imager-performance-1.json: OK'
expect_out "--include with '/': nothing else" '^2 reports'
run $RPIPERF check --exclude node_modules --exclude settings.json "$TMP/lab"
expect_status "--exclude a directory and a file" 0
expect_no_out "an excluded directory is not entered" 'node_modules'
expect_out "--exclude: the rest is checked" '^3 reports: 3 passed'
run $RPIPERF check --exclude '*' "$TMP/lab/settings.json" "$UW/v3-healthy.json"
expect_status "a file named as a PATH is checked whatever --exclude says" 2
expect_out "the named file is checked" 'settings.json: INVALID'
run $RPIPERF check --include '*.report' "$TMP/lab"
expect_status "nothing matches --include: exit 2" 2
expect_err "nothing matches: said" 'no report found'

# ---- --reports-only: valid JSON that is plainly not a report -------------
mkdir -p "$TMP/repo/reports"
cp "$UW/v3-healthy.json" "$UW/v3-failed.json" "$UW/v3-io-bound.json" "$TMP/repo/reports/"
cat >"$TMP/repo/package.json" <<'JSON'
{"name": "flashing-rig", "version": "1.0.0", "dependencies": {"summary": "1"}}
JSON
echo '[1, 2, 3]' >"$TMP/repo/reports/list.json"
printf '{"version": 3, "events": 5}' >"$TMP/repo/reports/broken.json"
printf '{"summary": ' >"$TMP/repo/reports/cut.json"
run $RPIPERF check "$TMP/repo"
expect_status "without --reports-only package.json is an invalid report" 2
expect_out "package.json: INVALID" 'package.json: INVALID: \$\.version: '
run $RPIPERF check --reports-only --junit "$TMP/ro.xml" --json "$TMP/ro.json" \
    --markdown "$TMP/ro.md" "$TMP/repo"
expect_status "--reports-only: a broken report still fails the run (exit 2)" 2
expect_out "package.json is skipped" 'package.json: SKIPPED: not a performance report'
expect_out "a top-level array is skipped" 'list.json: SKIPPED'
expect_out "a report-like object that is broken stays invalid" 'broken.json: INVALID: '
expect_out "a file that is not JSON stays invalid" 'cut.json: INVALID: '
expect_out "the summary counts the skipped files apart" '^5 reports: 2 passed, 1 failed, 2 invalid; 2 files skipped, not a report'
if [ "$(xmllint --xpath 'count(//testcase)' "$TMP/ro.xml")" = 5 ] &&
    [ "$(xmllint --xpath 'count(//testcase[contains(@name,"package.json") or contains(@name,"list.json")])' "$TMP/ro.xml")" = 0 ]; then
    ok "--reports-only: the JUnit file lists exactly the reports"
else
    not_ok "--reports-only: the JUnit file lists exactly the reports"
fi
if /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
assert s["reports"] == 5 and s["skipped"] == 2 and s["invalid"] == 2, s
st = {r["file"].rsplit("/", 1)[1]: r["status"] for r in d["reports"]}
assert st["package.json"] == "skipped" and st["broken.json"] == "invalid", st
f = [r for r in d["reports"] if r["status"] == "failed"][0]["findings"][0]
assert f["id"] == "session-failed" and f["cause"], f
' "$TMP/ro.json"; then ok "--reports-only: JSON says skipped"; else not_ok "--reports-only: JSON says skipped"; fi
rm "$TMP/repo/reports/broken.json" "$TMP/repo/reports/cut.json" "$TMP/repo/reports/v3-failed.json"
run $RPIPERF check --reports-only "$TMP/repo"
expect_status "skipped files do not change the exit status" 0
run $RPIPERF check --reports-only "$TMP/repo/package.json"
expect_status "only files that are not reports: nothing to check (exit 2)" 2
expect_err "nothing to check: said" 'no report found \(1 file skipped'

# ---- --markdown: a summary for $GITHUB_STEP_SUMMARY ----------------------
md=$TMP/ro.md
if grep -q '^### rpiperf check$' "$md" &&
    grep -q '^\*\*5 reports: 2 passed, 1 failed, 2 invalid\*\*; 2 files skipped' "$md"; then
    ok "markdown: a heading and the counts"
else
    not_ok "markdown: a heading and the counts"; head -5 "$md" | sed 's/^/#   /'
fi
if grep -q '^| .*v3-failed.json | failed | error session-failed |$' "$md" &&
    grep -q '^| .*broken.json | invalid | .* |$' "$md" &&
    ! grep -q 'v3-healthy\|package.json' "$md"; then
    ok "markdown: a row per report that did not pass, none for the others"
else
    not_ok "markdown: a row per report that did not pass, none for the others"
fi
if grep -q '^| session-failed | 1 |$' "$md"; then ok "markdown: reports per rule"; else not_ok "markdown: reports per rule"; fi
run $RPIPERF check --markdown "$TMP/all.md" "$UW/v3-healthy.json"
if grep -q '^Every report passed.$' "$TMP/all.md" && ! grep -q '^| ' "$TMP/all.md"; then
    ok "markdown: a run where all passed has no table"
else
    not_ok "markdown: a run where all passed has no table"
fi

# compare (tests/cli/test_compare.sh has the rest)
run $RPIPERF compare "$UW/v3-healthy.json" "$UW/v3-io-bound.json"
expect_status "compare exits 0" 0
expect_out "the verdict names the write regression" "With v3-io-bound, the write is 73 % slower than with v3-healthy"
expect_out "findings that appeared" "\+ warning io-bound"
run $RPIPERF compare -f json "$UW/v2-healthy.json" "$UW/v3-io-bound.json"
if /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
after = d["runs"][1]
assert after["changes"]["write"]["avg"] < -0.5, after["changes"]
assert d["verdict"]["regression"] is True
# io-bound needs data only version 3 records: not "appeared" against v2
assert not any(f["id"] == "io-bound" for f in after["appeared"])
assert any(f["id"] == "slow-card-write" for f in after["appeared"])
assert d["runs"][0]["formatVersion"] == 2 and after["formatVersion"] == 3
' "$TMP/out"; then ok "compare JSON across v2 and v3"; else not_ok "compare JSON across v2 and v3"; fi
run $RPIPERF compare -f markdown "$UW/v3-io-bound.json" "$UW/v3-healthy.json"
expect_out "markdown verdict" '^\*\*Verdict:\*\* Faster than v3-io-bound: v3-healthy \(write \+[0-9]+ %\)'
run $RPIPERF compare --fail-slower 50 "$UW/v3-healthy.json" "$UW/v3-io-bound.json"
expect_status "--fail-slower 50: exit 1 on a 73 % slowdown" 1
run $RPIPERF compare --fail-slower 80 "$UW/v3-healthy.json" "$UW/v3-io-bound.json"
expect_status "--fail-slower 80: exit 0" 0
run $RPIPERF compare --redact "$UW/v3-windows-slow-prepare.json" "$UW/v3-healthy.json"
expect_no_out "compare --redact hides paths" "PhysicalDrive|/dev/sd"
run $RPIPERF compare "$UW/v3-healthy.json"
expect_status "compare needs two files" 3
run $RPIPERF compare "$UW/v3-healthy.json" "$TMP/reports/bad.json"
expect_status "compare with an invalid report: exit 2" 2

finish
