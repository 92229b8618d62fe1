# Helpers for the CLI tests: each check prints "ok - NAME" or
# "not ok - NAME" (TAP style); tests/run.sh counts them.
# $RPIPERF is the command under test (maybe wrapped in valgrind).
: "${RPIPERF:=build/rpiperf}"
: "${BUILD:=build}"
: "${PYTHON:=python3}"
REF=${REF:-tests/data/reference}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n_fail=0

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; n_fail=$((n_fail + 1)); }

# joined FILE: FILE with each line that starts with a space joined to the
# line before it (messages longer than 100 columns go on, indented, on the
# next lines), so that a message can be matched whole
joined() { sed -e ':a' -e '$!N' -e 's/\n  */ /' -e 'ta' -e 'P' -e 'D' "$1"; }

# run CMD...: runs it, keeps stdout/stderr/status in $TMP/out $TMP/err $st
# ($TMP/err with its messages joined; as printed in $TMP/err.raw)
run() {
    "$@" >"$TMP/out" 2>"$TMP/err.raw"
    st=$?
    joined "$TMP/err.raw" >"$TMP/err"
}

# expect_status NAME N
expect_status() {
    if [ "$st" -eq "$2" ]; then ok "$1"; else
        not_ok "$1 (status $st, expected $2)"; sed 's/^/#   /' "$TMP/err" | head -5
    fi
}

# expect_out NAME REGEX / expect_err NAME REGEX / expect_no_err NAME REGEX
expect_out() { if grep -Eq -- "$2" "$TMP/out"; then ok "$1"; else not_ok "$1 (stdout lacks /$2/)"; head -5 "$TMP/out" | sed 's/^/#   /'; fi; }
expect_err() { if grep -Eq -- "$2" "$TMP/err"; then ok "$1"; else not_ok "$1 (stderr lacks /$2/)"; head -5 "$TMP/err" | sed 's/^/#   /'; fi; }
expect_no_out() { if grep -Eq -- "$2" "$TMP/out"; then not_ok "$1 (stdout has /$2/)"; else ok "$1"; fi; }
expect_no_err() { if grep -Eq -- "$2" "$TMP/err"; then not_ok "$1 (stderr has /$2/)"; else ok "$1"; fi; }

finish() { [ "$n_fail" -eq 0 ]; }
