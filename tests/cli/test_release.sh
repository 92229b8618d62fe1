#!/bin/sh
# The release number is written once, in the file VERSION: --version, the
# generated <rpiperf/version.h>, the pkg-config files, the JSON outputs,
# the man page and the tarball of make dist take it from there. --version
# names the commit when built from a git checkout, and none otherwise (an
# unpacked tarball). make dist ships the files git tracks, the same bytes
# every time.
. tests/cli/lib.sh
V=$(cat VERSION)

run $RPIPERF --version
expect_status "--version" 0
expect_out "--version shows the release of VERSION" "^rpiperf $V \("
top=$(pwd -P)
if command -v git >/dev/null 2>&1 &&
    [ "$(git rev-parse --show-toplevel 2>/dev/null)" = "$top" ]; then
    in_git=1
    c=$(git rev-parse --short=12 HEAD)
    expect_out "--version names the commit it was built from" "^rpiperf $V \(commit $c, report versions 2 and 3\)$"
else
    in_git=""
    expect_out "--version outside a git checkout names no commit" "^rpiperf $V \(report versions 2 and 3\)$"
fi

if grep -q "^#define RPP_VERSION_STRING \"$V\"$" "$BUILD/include/rpiperf/version.h" &&
    ! grep -q 'define RPP_VERSION_STRING' schema/report.h; then
    ok "RPP_VERSION_STRING is made from VERSION, not written in report.h"
else
    not_ok "RPP_VERSION_STRING is made from VERSION, not written in report.h"
fi
for pc in rpiperf rpiperf-analyse rpiperf-render; do
    if grep -q "^Version: $V$" "$BUILD/pkgconfig/$pc.pc"; then ok "$pc.pc has Version: $V"; else
        not_ok "$pc.pc has Version: $V"; fi
done
if head -1 "$BUILD/man/rpiperf.1" | grep -q "\"rpiperf $V\""; then ok "the man page is of rpiperf $V"; else
    not_ok "the man page is of rpiperf $V"; fi
run $RPIPERF analyse -f json "$REF/upstream-writer/v3-healthy.json"
if "$PYTHON" -c 'import json, sys; assert json.load(open(sys.argv[1]))["tool"]["version"] == sys.argv[2]' "$TMP/out" "$V"; then
    ok "JSON outputs carry the release"
else
    not_ok "JSON outputs carry the release"
fi
# the shared objects are named for their ABI, not for the release
abi_major=$(sed -n 's/^ABI_MAJOR = //p' Makefile)
soname=$(readelf -d "$BUILD/librpiperf.so" 2>/dev/null | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
if [ "$soname" = "librpiperf.so.$abi_major" ]; then ok "the soname follows ABI_MAJOR ($soname)"; else
    not_ok "the soname follows ABI_MAJOR (got $soname)"; fi

# ---- make dist -------------------------------------------------------------
if [ -z "$in_git" ]; then
    echo "ok - # SKIP make dist needs the git checkout"
    finish
    exit
fi
run make --no-print-directory dist DIST_DIR="$TMP/d1"
expect_status "make dist" 0
tarball=$TMP/d1/rpiperf-$V.tar.gz
if [ -s "$tarball" ]; then ok "make dist writes rpiperf-$V.tar.gz"; else not_ok "make dist writes rpiperf-$V.tar.gz"; fi
tar -tzf "$tarball" | sort >"$TMP/listed"
git ls-files | while IFS= read -r f; do
    [ -e "$f" ] && printf 'rpiperf-%s/%s\n' "$V" "$f"
done | sort >"$TMP/tracked"
if cmp -s "$TMP/listed" "$TMP/tracked"; then
    ok "the tarball holds the tracked files under rpiperf-$V/"
else
    not_ok "the tarball holds the tracked files under rpiperf-$V/"
    diff "$TMP/tracked" "$TMP/listed" | head -5 | sed 's/^/#   /'
fi
if [ "$(tar -xzOf "$tarball" "rpiperf-$V/VERSION")" = "$V" ]; then
    ok "the tarball's VERSION is $V"
else
    not_ok "the tarball's VERSION is $V"
fi
run make --no-print-directory dist DIST_DIR="$TMP/d2"
if cmp -s "$tarball" "$TMP/d2/rpiperf-$V.tar.gz"; then
    ok "make dist makes the same bytes twice"
else
    not_ok "make dist makes the same bytes twice"
fi
finish
