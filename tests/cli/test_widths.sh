#!/bin/sh
# Every line within 100 columns: analyse's text report (standard output
# and error) and validate's lines for every reference report, sample and
# test fixture, and every help text. A column is a character (code point).
. tests/cli/lib.sh
case $RPIPERF in build/*) RPIPERF=$PWD/$RPIPERF ;; esac
W=$TMP/w
mkdir -p "$W"

# wide DIR: the files in DIR with a line over 100 columns, and the line
wide() {
    "$PYTHON" - "$@" <<'PY'
import sys
for path in sys.argv[1:]:
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if len(line) > 100:
                print("%s:%d: %d columns: %s" % (path, n, len(line), line[:70]))
                break
PY
}

n=0
for f in samples/*.json "$REF"/*/*.json tests/data/*/*.json; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    name=$(echo "$f" | tr '/' '_')
    $RPIPERF validate "$f" >"$W/$name.validate.out" 2>"$W/$name.validate.err"
    $RPIPERF analyse "$f" >"$W/$name.analyse.out" 2>"$W/$name.analyse.err"
done
wide "$W"/*.validate.* >"$TMP/v"
if [ ! -s "$TMP/v" ]; then ok "validate: every line of $n files within 100 columns"; else
    not_ok "validate: every line of $n files within 100 columns"
    head -5 "$TMP/v" | sed 's/^/#   /'
fi
wide "$W"/*.analyse.* >"$TMP/a"
if [ ! -s "$TMP/a" ]; then ok "analyse: every line of $n files within 100 columns"; else
    not_ok "analyse: every line of $n files within 100 columns"
    head -5 "$TMP/a" | sed 's/^/#   /'
fi
# with every file at once, as a batch
$RPIPERF validate samples/*.json "$REF"/*/*.json tests/data/*/*.json \
    >"$W/all.out" 2>"$W/all.err"
wide "$W/all.out" "$W/all.err" >"$TMP/v"
if [ ! -s "$TMP/v" ]; then ok "validate of every file at once: within 100 columns"; else
    not_ok "validate of every file at once: within 100 columns"
    head -5 "$TMP/v" | sed 's/^/#   /'
fi

# help
for cmd in validate analyse render report check compare; do
    $RPIPERF help "$cmd" >"$W/help-$cmd" 2>&1
    $RPIPERF "$cmd" --help >"$W/help2-$cmd" 2>&1
done
$RPIPERF --help >"$W/help" 2>&1
$RPIPERF help >"$W/help0" 2>&1
$RPIPERF analyse --list-rules >"$W/list-rules" 2>&1
wide "$W"/help* "$W/list-rules" >"$TMP/h"
if [ ! -s "$TMP/h" ] && [ -s "$W/help-analyse" ] && [ -s "$W/list-rules" ]; then
    ok "help texts and --list-rules within 100 columns"
else
    not_ok "help texts and --list-rules within 100 columns"
    head -5 "$TMP/h" | sed 's/^/#   /'
fi

# a long value wraps onto the next lines instead of being cut
$RPIPERF analyse "$REF/upstream-writer/v3-failed.json" >"$W/plain" 2>/dev/null
if grep -q 'Please check if the device is' "$W/plain" &&
    ! grep -q '\.\.\.$' "$W/plain"; then
    ok "a long error message wraps, nothing is cut"
else
    not_ok "a long error message wraps, nothing is cut"
fi
finish
