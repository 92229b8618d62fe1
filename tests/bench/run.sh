#!/bin/sh
# Runs every benchmark (make bench): the programs $BUILD/bench_* built from
# tests/bench/bench_*.c, then the scripts tests/bench/bench_*.sh. The
# figures they print are copied into README.md by hand.
#
# Environment: BUILD (default build), PYTHON (default /usr/bin/python3).
set -u
BUILD=${BUILD:-build}
PYTHON=${PYTHON:-/usr/bin/python3}
export BUILD PYTHON
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2

status=0
for b in "$BUILD"/bench_*; do
    [ -f "$b" ] && [ -x "$b" ] || continue
    echo "== $(basename "$b")"
    "$b" || status=1
done
for s in tests/bench/bench_*.sh; do
    [ -f "$s" ] || continue
    echo "== $(basename "$s" .sh)"
    sh "$s" || status=1
done
exit "$status"
