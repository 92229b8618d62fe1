#!/bin/sh
# Runs every test: the cmocka binaries under $BUILD/tests, the CLI scripts
# under tests/cli and the JSON Schema check, then prints one summary line
# "N passed, N failed". Exits 1 if anything failed.
#
# Environment: BUILD (default build), PYTHON (default /usr/bin/python3),
# RPP_TEST_VALGRIND=1 to run the programs under valgrind,
# RPP_TEST_SANITIZE=1 when the build has ASan/UBSan (skips valgrind-only bits),
# RPP_TEST_SELECT=unit|cli|all (default all) to run a part only.
set -u
BUILD=${BUILD:-build}
PYTHON=${PYTHON:-/usr/bin/python3}
export BUILD PYTHON
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2

VG=""
if [ "${RPP_TEST_VALGRIND:-0}" = 1 ]; then
    VG="valgrind -q --trace-children=yes --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect"
fi
RPIPERF="$VG $top/$BUILD/rpiperf"
export RPIPERF VG

passed=0
failed=0
failures=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count_from() {
    # $1 = label; reads "ok"/"not ok" lines (TAP) and cmocka summary lines
    p=$(grep -c '^ok ' "$log")
    f=$(grep -c '^not ok ' "$log")
    cp=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    cf=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    passed=$((passed + p + cp))
    failed=$((failed + f + cf))
    if [ $((f + cf)) -eq 0 ] && [ "$2" -ne 0 ]; then
        failed=$((failed + 1))     # crashed or failed without saying so
    fi
    if [ $((f + cf)) -gt 0 ] || [ "$2" -ne 0 ]; then
        failures="$failures $1"
        echo "-- output of $1 (last lines):"
        tail -30 "$log"
    fi
}

SELECT=${RPP_TEST_SELECT:-all}

for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    [ "$SELECT" = cli ] && break
    name=$(basename "$t")
    echo "== $name"
    $VG "$t" >"$log" 2>&1
    rc=$?
    grep -E '^\[ +(OK|FAILED|ERROR) +\]' "$log" | grep -v ' OK ' || true
    count_from "$name" "$rc"
done

for s in tests/cli/test_*.sh; do
    [ -f "$s" ] || continue
    [ "$SELECT" = unit ] && break
    name=$(basename "$s" .sh)
    echo "== $name"
    sh "$s" >"$log" 2>&1
    rc=$?
    grep '^not ok ' "$log" || true
    count_from "$name" "$rc"
done

if [ -f tests/schema/check.py ] && [ "$SELECT" = all ]; then
    echo "== json-schema"
    "$PYTHON" tests/schema/check.py >"$log" 2>&1
    rc=$?
    grep '^not ok ' "$log" || true
    count_from json-schema "$rc"
fi

if [ -n "$failures" ]; then
    echo "failed:$failures"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
