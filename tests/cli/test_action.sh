#!/bin/sh
# The GitHub action (action.yml) run here as a runner would run it
# (tests/cli/run_action.py: its inputs substituted, its run: blocks in
# order with GITHUB_ACTIONS=true and a temporary GITHUB_STEP_SUMMARY), on
# a directory of reports with a package.json beside them: the status,
# the annotations, the JUnit file, the job summary, and inputs that try
# to run a command.
. tests/cli/lib.sh
if [ -n "$VG" ] || [ "${RPP_TEST_SANITIZE:-0}" = 1 ]; then
    # the action builds and installs its own rpiperf: make check runs it
    echo "ok - # SKIP the action builds its own rpiperf"
    finish
    exit
fi
if ! "$PYTHON" -c 'import yaml' 2>/dev/null; then
    not_ok "python3-yaml is installed (tools/install-deps.sh test)"
    finish
    exit
fi
top=$(pwd)
UW=$REF/upstream-writer

# action [NAME=VALUE...]: runs the action in $TMP/ws, its runner files in
# $TMP/runner (fresh each time); output in $TMP/out, status in $st
action() {
    rm -rf "$TMP/runner"
    mkdir -p "$TMP/runner"
    (cd "$TMP/ws" && "$PYTHON" "$top/tests/cli/run_action.py" "$top" "$TMP/ws" \
        "$TMP/runner" "$@") >"$TMP/out" 2>"$TMP/err"
    st=$?
}

mkdir -p "$TMP/ws/reports/nightly"
cp "$UW/v3-healthy.json" "$UW/v3-failed.json" "$TMP/ws/reports/"
cp "$UW/v3-io-bound.json" "$TMP/ws/reports/nightly/"
cat >"$TMP/ws/package.json" <<'JSON'
{"name": "flashing-rig", "version": "2.1.0", "scripts": {"test": "rpiperf check ."}}
JSON

# ---- the defaults, with --fail-on warning -----------------------------------
action fail-on=warning
expect_status "a finding at or above fail-on fails the step (status 1)" 1
expect_out "an error annotation for the failed report" \
    '^::error file=reports/v3-failed.json,title=rpiperf session-failed::'
expect_out "a warning annotation in a subdirectory" \
    '^::warning file=reports/nightly/v3-io-bound.json,title=rpiperf io-bound::'
expect_no_out "package.json is not annotated" '^::[a-z]+ file=package.json'
expect_out "package.json is listed as skipped" 'package.json: SKIPPED'
junit=$TMP/ws/rpiperf-junit.xml
if xmllint --noout "$junit" 2>"$TMP/xmlerr"; then ok "the JUnit file is well-formed"; else
    not_ok "the JUnit file is well-formed"; sed 's/^/#   /' "$TMP/xmlerr" | head -3; fi
if [ "$(xmllint --xpath 'count(//testcase)' "$junit" 2>/dev/null)" = 3 ] &&
    [ "$(xmllint --xpath 'string(/testsuites/@failures)' "$junit" 2>/dev/null)" = 2 ] &&
    [ "$(xmllint --xpath 'count(//testcase[contains(@name,"package.json")])' "$junit" 2>/dev/null)" = 0 ]; then
    ok "the JUnit file lists the three reports, two failing, not package.json"
else
    not_ok "the JUnit file lists the three reports, two failing, not package.json"
fi
summary=$TMP/runner/step_summary.md
if grep -q '^### rpiperf check$' "$summary" &&
    grep -q '^\*\*3 reports: 1 passed, 2 failed, 0 invalid\*\*; 1 file skipped' "$summary" &&
    grep -q '^| .*v3-failed.json | failed | error session-failed |$' "$summary"; then
    ok "the job summary has the counts and a row per report that failed"
else
    not_ok "the job summary has the counts and a row per report that failed"
    head -5 "$summary" 2>/dev/null | sed 's/^/#   /'
fi
if [ "$(cat "$TMP/runner/path" 2>/dev/null)" = "$TMP/runner/temp/rpiperf/bin" ] &&
    "$TMP/runner/temp/rpiperf/bin/rpiperf" --version | grep -q "^rpiperf $(cat VERSION) "; then
    ok "rpiperf is installed and on the PATH of later steps"
else
    not_ok "rpiperf is installed and on the PATH of later steps"
fi

# ---- a broken report: status 2, and the summary still written ------------------
printf '{"version": 3, "events": []}' >"$TMP/ws/reports/broken.json"
action paths="reports package.json" junit=results.xml
expect_status "a broken report: status 2" 2
expect_out "an annotation for the broken report" '^::error file=reports/broken.json,title=rpiperf invalid report::'
if [ "$(xmllint --xpath 'count(//testcase)' "$TMP/ws/results.xml" 2>/dev/null)" = 4 ] &&
    [ "$(xmllint --xpath 'string(/testsuites/@errors)' "$TMP/ws/results.xml" 2>/dev/null)" = 1 ]; then
    ok "the junit input names the file; the broken report is an error"
else
    not_ok "the junit input names the file; the broken report is an error"
fi
if grep -q '| invalid |' "$summary"; then ok "the summary is written when the check fails"; else
    not_ok "the summary is written when the check fails"; fi
rm "$TMP/ws/reports/broken.json"

# ---- include, rules -----------------------------------------------------------------
printf 'session-failed = warning\n' >"$TMP/ws/rig.rules"
rm -f "$TMP/ws/rpiperf-junit.xml"
action include="v3-healthy.json v3-failed.json" rules=rig.rules junit=""
expect_status "include and rules: the failure lowered below fail-on (status 0)" 0
expect_out "include: only the files it names" '^2 reports: 2 passed'
expect_no_out "no annotation below fail-on" '^::(error|warning) file='
if [ ! -e "$TMP/ws/rpiperf-junit.xml" ] && ! ls "$TMP/ws"/.rpiperf-* >/dev/null 2>&1; then
    ok "junit '': no JUnit file and nothing left behind"
else
    not_ok "junit '': no JUnit file and nothing left behind"
fi

# ---- inputs are data, never commands -----------------------------------------------
action paths='reports"; touch injected-paths; "' include='$(touch injected-include) `touch injected-backquote`' \
    fail-on='error; touch injected-fail-on'
if ls "$TMP/ws" | grep -q injected; then
    not_ok "inputs cannot run commands"
else
    ok "inputs cannot run commands"
fi
expect_status "a bad fail-on input: bad usage (status 3)" 3
action bogus=1
expect_status "the runner refuses an input the action does not declare" 1

# ---- the examples of README.md stay true to the action -------------------------------
if "$PYTHON" - README.md action.yml <<'PY'
import re, sys, yaml
readme = open(sys.argv[1]).read()
inputs = set(yaml.safe_load(open(sys.argv[2]))["inputs"])
blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", readme, re.S)]
gh = [b for b in blocks if isinstance(b, dict) and "jobs" in b]
gl = [b for b in blocks if isinstance(b, dict) and "jobs" not in b]
assert len(gh) == 1 and len(gl) == 1, "a GitHub workflow and a GitLab job"
steps = [s for j in gh[0]["jobs"].values() for s in j["steps"]]
ours = [s for s in steps if "rpiperf" in s.get("uses", "")]
assert ours and set(ours[0]["with"]) <= inputs, ours
job = list(gl[0].values())[0]
art = job["artifacts"]
assert art["when"] == "always", art
junit = art["reports"]["junit"]
assert any("--junit " + junit in line for line in job["script"]), job["script"]
PY
then
    ok "README's workflow uses only the action's inputs; its GitLab job keeps the JUnit report always"
else
    not_ok "README's workflow uses only the action's inputs; its GitLab job keeps the JUnit report always"
fi
finish
