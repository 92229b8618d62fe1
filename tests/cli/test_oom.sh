#!/bin/sh
# Out of memory: every allocation of a run made to fail in turn (an
# LD_PRELOAD library, tests/cli/failmalloc.c), for the commands that do not
# draw (cairo and fontconfig do not survive a failed allocation of their
# own). Each run must end with a status of its own (0 to 5), never a crash;
# with its usual status it must give its usual output (nothing dropped
# silently), and otherwise status 4 or 5 with a message.
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
    "check -j 2 --junit $TMP/j.xml --json $TMP/j.json $F $F"; do
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
    k=1
    while [ "$k" -le "${n:-0}" ]; do
        # shellcheck disable=SC2086
        FAIL_AT=$k LD_PRELOAD="$TMP/failmalloc.so" $RPIPERF $cmd \
            >"$TMP/out" 2>"$TMP/err"
        st=$?
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
done
finish
