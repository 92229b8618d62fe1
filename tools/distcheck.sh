#!/bin/sh
# make distcheck: unpacks the release tarball into an empty directory and
# runs `make check` there, so that a release holds everything its build
# and tests need. The directory is removed when the tests pass.
#
#   tools/distcheck.sh TARBALL
set -u
tarball=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d "${TMPDIR:-/tmp}/rpiperf-distcheck.XXXXXX") || exit 2
echo "distcheck: unpacking $(basename "$tarball") in an empty directory"
if ! tar -xzf "$tarball" -C "$work"; then
    echo "distcheck: cannot unpack $tarball" >&2
    exit 2
fi
top=$work/$(basename "$tarball" .tar.gz)
if [ ! -f "$top/Makefile" ]; then
    echo "distcheck: no Makefile at the top of the tarball" >&2
    exit 2
fi
# the tests run as from a fresh download: nothing from this checkout
cd "$top" && ${MAKE:-make} --no-print-directory check
rc=$?
if [ "$rc" -eq 0 ]; then
    rm -rf "$work"
else
    echo "distcheck: failed; the unpacked tree is kept in $work" >&2
fi
exit "$rc"
