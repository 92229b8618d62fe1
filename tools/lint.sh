#!/bin/sh
# Static analysis of the sources (make lint): cppcheck and clang-tidy.
# The checks below are kept at zero findings; a finding fails the run.
# Prints "ok - ..." / "not ok - ..." lines like the tests.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
make --no-print-directory -s headers >/dev/null || exit 2
SRC="schema analyse render cli samples"
CFILES=$(ls schema/*.c analyse/*.c render/*.c cli/*.c samples/*.c 2>/dev/null)
status=0

if command -v cppcheck >/dev/null 2>&1; then
    if cppcheck -q --enable=warning,performance,portability --std=c11 \
        --inline-suppr --error-exitcode=1 -I build/include -I build/gen -I schema -I analyse -I render \
        $SRC 2>"${TMPDIR:-/tmp}/rpp-cppcheck.$$"; then
        echo "ok - cppcheck"
    else
        echo "not ok - cppcheck"
        cat "${TMPDIR:-/tmp}/rpp-cppcheck.$$"
        status=1
    fi
    rm -f "${TMPDIR:-/tmp}/rpp-cppcheck.$$"
else
    echo "not ok - cppcheck is not installed"
    status=1
fi

# clang-tidy: the analyzer and bug-prone patterns. Left out, with reasons:
# DeprecatedOrUnsafeBufferHandling wants Annex K functions glibc lacks;
# valist.Uninitialized reports every va_list forwarded to v*printf (clang 14);
# easily-swappable-parameters and narrowing-conversions flag plain style.
CHECKS='-*,clang-analyzer-*,-clang-analyzer-optin.performance.Padding,-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling,-clang-analyzer-valist.Uninitialized,bugprone-*,-bugprone-easily-swappable-parameters,-bugprone-narrowing-conversions,-bugprone-reserved-identifier,performance-*,portability-*,cert-err34-c,cert-flp30-c,misc-redundant-expression'
if command -v clang-tidy >/dev/null 2>&1; then
    CF="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Ibuild/include -Ibuild/gen -Ischema -Ianalyse -Irender $(pkg-config --cflags libcjson cairo 2>/dev/null)"
    out="${TMPDIR:-/tmp}/rpp-tidy.$$"
    # shellcheck disable=SC2086
    printf '%s\n' $CFILES | xargs -P 2 -n 4 sh -c \
        'clang-tidy -quiet --checks="$0" "$@" -- '"$CF"' 2>/dev/null' "$CHECKS" \
        > "$out"
    if grep -qE 'warning:|error:' "$out"; then
        echo "not ok - clang-tidy"
        grep -E 'warning:|error:' "$out"
        status=1
    else
        echo "ok - clang-tidy"
    fi
    rm -f "$out"
else
    echo "not ok - clang-tidy is not installed"
    status=1
fi
exit $status
