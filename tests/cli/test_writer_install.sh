#!/bin/sh
# make install, then the C example of README.md ("Writer library") compiled
# against the installed library with pkg-config, run in an empty
# directory: it must write a valid report there.
. tests/cli/lib.sh

inst="$TMP/inst"
CC=${CC:-cc}
SANFLAGS=""
[ "${RPP_TEST_SANITIZE:-0}" = 1 ] && SANFLAGS="-fsanitize=address,undefined"

run make --no-print-directory install BUILD="$BUILD" PREFIX="$inst"
if [ "$st" -eq 0 ]; then
    ok "make install into a fresh prefix"
elif [ ! -f man/rpiperf.1 ] && [ -f "$inst/lib/pkgconfig/rpiperf.pc" ]; then
    ok "make install into a fresh prefix # SKIP man/rpiperf.1 not written yet"
else
    not_ok "make install into a fresh prefix (status $st)"
    tail -5 "$TMP/err" | sed 's/^/#   /'
fi
for f in include/rpiperf/writer.h include/rpiperf/report.h \
    include/rpiperf/event_types.def lib/librpiperf.a lib/librpiperf.so \
    lib/pkgconfig/rpiperf.pc bin/rpiperf libexec/rpiperf/rpiperf-render \
    share/man/man1/rpiperf.1; do
    if [ -e "$inst/$f" ]; then ok "installed $f"; else not_ok "installed $f"; fi
done

awk '/^## Writer library \(librpiperf\)/ { s = 1 }
     s && /^```c/ { c = 1; next }
     c && /^```/ { exit }
     c' README.md >"$TMP/example.c"
lines=$(wc -l <"$TMP/example.c")
if [ "$lines" -ge 10 ] && [ "$lines" -le 20 ]; then
    ok "the README example is 10-20 lines"
else
    not_ok "the README example is 10-20 lines ($lines)"
fi

PKG_CONFIG_PATH="$inst/lib/pkgconfig"
export PKG_CONFIG_PATH
flags=$(pkg-config --cflags --libs rpiperf 2>"$TMP/err")
if [ -n "$flags" ]; then ok "pkg-config knows rpiperf"; else not_ok "pkg-config knows rpiperf"; fi
# shellcheck disable=SC2086
run $CC -Wall -Wextra -Werror -o "$TMP/example" "$TMP/example.c" $flags $SANFLAGS
expect_status "the README example compiles against the installed library" 0

mkdir -p "$TMP/cwd"
(cd "$TMP/cwd" && LD_LIBRARY_PATH="$inst/lib" $VG "$TMP/example") \
    >"$TMP/out" 2>"$TMP/err"
st=$?
expect_status "the example runs" 0
if [ -f "$TMP/cwd/performance-report.json" ]; then
    ok "the example wrote performance-report.json in the current directory"
else
    not_ok "the example wrote performance-report.json in the current directory"
fi
run $RPIPERF validate "$TMP/cwd/performance-report.json"
expect_status "its report is valid" 0
if [ ! -s "$TMP/err" ]; then ok "its report has no warnings"; else not_ok "its report has no warnings"; fi
expect_out "its report is version 3" 'ok, version 3, 3 events'

# the installed rpiperf finds the installed rpiperf-render for the charts
run "$inst/bin/rpiperf" render -o "$TMP/cwd" "$TMP/cwd/performance-report.json"
expect_status "the installed rpiperf renders" 0
expect_out "through the installed rpiperf-render" "performance-report-timeline.png"
if man -l "$inst/share/man/man1/rpiperf.1" >/dev/null 2>&1 || [ -s "$inst/share/man/man1/rpiperf.1" ]; then
    ok "the man page is installed"; else not_ok "the man page is installed"; fi
finish
