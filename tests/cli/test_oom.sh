#!/bin/sh
# Out of memory: every allocation of a run made to fail in turn (an
# LD_PRELOAD library, tests/cli/failmalloc.c), for the commands that do not
# draw (cairo and fontconfig do not survive a failed allocation of their
# own). Each run must end with a status of its own (0 to 5), never a crash;
# with its usual status it must give its usual output (nothing dropped
# silently), and otherwise status 4 or 5 with a message. The files check
# writes (--json, --junit, --markdown) must be whole in every run that
# ends with its usual status, and valid (a JSON parser, xmllint) in every
# run that kept them.
# Not under valgrind or the sanitizers, which bring their own allocator.
. "$(dirname "$0")/lib.sh"
if [ -n "$VG" ] || [ "${RPP_TEST_SANITIZE:-0}" = 1 ]; then
    echo "ok - # SKIP out-of-memory runs need glibc's own allocator"
    finish
    exit
fi
case $RPIPERF in build/*) RPIPERF=$PWD/$RPIPERF ;; esac
if ! ${CC:-cc} -shared -fPIC -O2 -o "$TMP/failmalloc.so" tests/cli/failmalloc.c \
    2>"$TMP/err"; then
    not_ok "failmalloc.c builds"
    finish
    exit
fi
F=tests/data/hostile/terminal-escapes.json
# (the time check takes is left out of the comparison)
plain() { sed 's/, [0-9.]* s)$/)/' "$1"; }
for cmd in "validate $F" "analyse $F" "analyse --format json $F" \
    "analyse --format markdown --redact $F" "compare $F $F" \
    "compare --format json $F $F" \
    "check -j 2 --junit $TMP/j.xml --json $TMP/j.json --markdown $TMP/j.md $F $F"; do
    # the status and output without a failure
    # shellcheck disable=SC2086
    $RPIPERF $cmd >"$TMP/want" 2>/dev/null
    want=$?
    plain "$TMP/want" >"$TMP/want.plain"
    # shellcheck disable=SC2086
    n=$(FAIL_COUNT=1 LD_PRELOAD="$TMP/failmalloc.so" $RPIPERF $cmd 2>&1 \
        >/dev/null | sed -n 's/^failmalloc: \([0-9]*\) calls$/\1/p' | tail -1)
    crash=""
    wrong=""
    quiet=""
    missing=""
    rm -rf "$TMP/side"
    mkdir "$TMP/side"
    k=1
    while [ "$k" -le "${n:-0}" ]; do
        rm -f "$TMP/j.xml" "$TMP/j.json" "$TMP/j.md"
        # shellcheck disable=SC2086
        FAIL_AT=$k LD_PRELOAD="$TMP/failmalloc.so" $RPIPERF $cmd \
            >"$TMP/out" 2>"$TMP/err"
        st=$?
        # the side files kept, validated together below
        for ext in xml json md; do
            if [ -e "$TMP/j.$ext" ]; then
                mv "$TMP/j.$ext" "$TMP/side/$k.$ext"
            elif [ "$st" -eq "$want" ] && [ "${cmd#check}" != "$cmd" ]; then
                missing="$missing $k.$ext"
            fi
        done
        if [ "$st" -gt 5 ]; then
            crash="$crash $k:$st"
        elif [ "$st" -eq "$want" ]; then
            # the usual status: then the usual output, nothing silently lost
            plain "$TMP/out" | cmp -s - "$TMP/want.plain" || wrong="$wrong $k"
        elif [ "$st" -eq 5 ] || [ "$st" -eq 4 ]; then
            # out of memory (or an output file that could not be made):
            # said on standard error
            [ -s "$TMP/err" ] || quiet="$quiet $k"
        else
            wrong="$wrong $k:$st"
        fi
        k=$((k + 1))
    done
    name=$(echo "$cmd" | sed "s| $F||g; s| $TMP/\([a-z.]*\)| \1|g")
    if [ "${n:-0}" -gt 100 ] && [ -z "$crash" ]; then
        ok "out of memory at each of the $n allocations of '$name': no crash"
    else
        not_ok "out of memory at each of the ${n:-?} allocations of '$name': no crash (allocation:status$crash)"
    fi
    if [ -z "$wrong" ]; then
        ok "'$name': status $want only with the whole output, otherwise 4 or 5"
    else
        not_ok "'$name': status $want only with the whole output, otherwise 4 or 5 (allocations$wrong)"
    fi
    if [ -z "$quiet" ]; then
        ok "'$name': a failure for want of memory is said on standard error"
    else
        not_ok "'$name': a failure for want of memory is said on standard error (allocations$quiet)"
    fi
    [ "${cmd#check}" = "$cmd" ] && continue
    if [ -z "$missing" ]; then
        ok "'$name': every run with status $want wrote each of its files"
    else
        not_ok "'$name': every run with status $want wrote each of its files (missing:$missing)"
    fi
    kept=$(ls "$TMP/side" | wc -l)
    # shellcheck disable=SC2046
    if [ "$(ls "$TMP/side"/*.json 2>/dev/null | wc -l)" -gt 0 ] &&
        "$PYTHON" -c '
import json, sys
bad = []
for fn in sys.argv[1:]:
    try:
        d = json.load(open(fn))
        assert d["summary"]["reports"] == 2 and len(d["reports"]) == 2
    except Exception as e:
        bad.append("%s (%s)" % (fn.rsplit("/", 1)[1], e))
if bad:
    print("# " + ", ".join(bad[:5]))
    sys.exit(1)
' "$TMP/side"/*.json; then
        ok "'$name': every JSON file kept parses, whole ($kept files kept)"
    else
        not_ok "'$name': every JSON file kept parses, whole"
    fi
    if [ "$(ls "$TMP/side"/*.xml 2>/dev/null | wc -l)" -gt 0 ] &&
        xmllint --noout "$TMP/side"/*.xml 2>"$TMP/xmlerr" &&
        "$PYTHON" -c '
import sys, xml.etree.ElementTree as ET
bad = [f for f in sys.argv[1:] if len(ET.parse(f).findall(".//testcase")) != 2]
if bad:
    print("# " + ", ".join(bad[:5]))
    sys.exit(1)
' "$TMP/side"/*.xml; then
        ok "'$name': every JUnit file kept is well-formed XML with both testcases"
    else
        not_ok "'$name': every JUnit file kept is well-formed XML with both testcases"
        head -3 "$TMP/xmlerr" | sed 's/^/#   /'
    fi
    bad_md=""
    for m in "$TMP/side"/*.md; do
        [ -e "$m" ] || continue
        grep -q '^### rpiperf check$' "$m" && grep -q '^\*\*2 reports: ' "$m" ||
            bad_md="$bad_md $(basename "$m")"
    done
    if [ -z "$bad_md" ]; then
        ok "'$name': every markdown summary kept is whole"
    else
        not_ok "'$name': every markdown summary kept is whole ($bad_md)"
    fi
done
finish
