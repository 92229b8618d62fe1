#!/bin/sh
# Runs every test: the cmocka binaries under $BUILD/tests (read through
# their TAP output), the CLI scripts under tests/cli and the JSON Schema
# check, then prints one summary line "N passed, N failed". Exits 1 if
# anything failed.
#
# Tests run side by side, RPP_TEST_JOBS at a time (default: the -j of the
# make that started this, else 1); each writes its own log, and the logs
# are read in a fixed order, so the output is the same whatever the number
# of jobs. No test depends on how fast the machine is: a test that hangs
# is stopped after RPP_TEST_TIMEOUT seconds (default 1800) and counted as
# failed, which is a guard against hangs, not a measure of speed.
#
# Environment: BUILD (default build), PYTHON (default /usr/bin/python3),
# RPP_TEST_VALGRIND=1 to run the programs under valgrind,
# RPP_TEST_SANITIZE=1 when the build has ASan/UBSan (skips valgrind-only bits),
# RPP_TEST_SELECT=unit|cli|all (default all) to run a part only,
# RPP_TEST_ONLY="NAME ..." (test names, such as test_hostile) to run only
# those of that part.
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
TIMEOUT=${RPP_TEST_TIMEOUT:-1800}

# ---- one test: sh tests/run.sh --one DIR KIND NAME PATH -------------------
# Runs it with its output in DIR/KIND.NAME.log, its status in .rc and its
# time in .time (a unit test and a CLI script may share a name).
if [ "${1:-}" = --one ]; then
    dir=$2 kind=$3 name=$4 path=$5
    out=$dir/$kind.$name
    start=$(date +%s)
    case $kind in
    unit) CMOCKA_MESSAGE_OUTPUT=TAP timeout "$TIMEOUT" $VG "$path" ;;
    cli) timeout "$TIMEOUT" sh "$path" ;;
    *) timeout "$TIMEOUT" "$PYTHON" "$path" ;;
    esac >"$out.log" 2>&1 </dev/null
    rc=$?
    [ "$rc" -eq 124 ] && echo "not ok - $name did not end within $TIMEOUT s" >>"$out.log"
    echo "$rc" >"$out.rc"
    echo $(( $(date +%s) - start )) >"$out.time"
    exit 0
fi

jobs=${RPP_TEST_JOBS:-}
if [ -z "$jobs" ]; then
    case " ${MAKEFLAGS:-} " in
    *" -j "*) jobs=$(nproc 2>/dev/null || echo 2) ;;
    *" -j"[0-9]*) jobs=$(echo " $MAKEFLAGS " | sed 's/.* -j\([0-9][0-9]*\) .*/\1/') ;;
    *) jobs=1 ;;
    esac
fi

SELECT=${RPP_TEST_SELECT:-all}
work=$(mktemp -d "${TMPDIR:-/tmp}/rpp-tests.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

# The tests as "KIND NAME PATH", the command-line scripts first: they
# take longest, and starting them first keeps every job busy to the end.
{
    if [ "$SELECT" != unit ]; then
        for s in tests/cli/test_*.sh; do
            [ -f "$s" ] && echo "cli $(basename "$s" .sh) $s"
        done
    fi
    if [ "$SELECT" != cli ]; then
        for t in "$BUILD"/tests/test_*; do
            [ -x "$t" ] && echo "unit $(basename "$t") $t"
        done
    fi
    if [ "$SELECT" = all ] && [ -f tests/schema/check.py ]; then
        echo "schema json-schema tests/schema/check.py"
    fi
} >"$work/list.all"
if [ -n "${RPP_TEST_ONLY:-}" ]; then
    for name in $RPP_TEST_ONLY; do
        if ! awk -v n="$name" '$2 == n { found = 1; print } END { exit !found }' \
            "$work/list.all"; then
            # a name that matches nothing must not pass as "0 failed"
            echo "not ok - RPP_TEST_ONLY names $name, which is no test of $SELECT" >&2
            echo "0 passed, 1 failed" >&2
            exit 1
        fi
    done >"$work/list"
else
    cp "$work/list.all" "$work/list"
fi

# shellcheck disable=SC2016
sed "s|^|$work |" "$work/list" | xargs -P "$jobs" -L 1 sh tests/run.sh --one

passed=0
failed=0
failures=""
while read -r kind name path; do
    log=$work/$kind.$name.log
    rc=$(cat "$work/$kind.$name.rc" 2>/dev/null || echo 99)
    echo "== $name ($(cat "$work/$kind.$name.time" 2>/dev/null || echo '?') s)"
    grep '^not ok ' "$log" || true
    p=$(grep -c '^ok ' "$log")
    f=$(grep -c '^not ok ' "$log")
    if [ "$kind" = unit ]; then
        # every planned test must have reported: a crash cuts the list
        planned=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
        if [ $((p + f)) -lt "$planned" ]; then
            echo "not ok - $name: $((planned - p - f)) of $planned tests did not report (status $rc)"
            f=$((f + planned - p - f))
        fi
    fi
    if [ "$f" -eq 0 ] && [ "$rc" -ne 0 ]; then
        f=1     # failed without saying which test
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$f" -gt 0 ]; then
        failures="$failures $name"
        echo "-- output of $name (last lines):"
        tail -30 "$log"
    fi
done <"$work/list"

if [ -n "$failures" ]; then
    echo "failed:$failures"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
