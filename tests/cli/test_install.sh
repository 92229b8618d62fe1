#!/bin/sh
# make install into a fresh prefix, then programs that use the installed
# libraries as other projects would: the C example of README.md ("Writer
# library") and one C program per pkg-config package (rpiperf,
# rpiperf-analyse, rpiperf-render) plus a C++ program using all three,
# each with #include <rpiperf/...> and the flags of pkg-config, linked
# once against the shared and once against the static libraries, and run
# on a reference report. Also: the shared objects export exactly the
# functions their installed headers declare, with a versioned soname.
. tests/cli/lib.sh

inst="$TMP/inst"
CC=${CC:-cc}
CXX=${CXX:-c++}
SANFLAGS=""
[ "${RPP_TEST_SANITIZE:-0}" = 1 ] && SANFLAGS="-fsanitize=address,undefined"
REPORT=$REF/upstream-writer/v3-healthy.json
ABI_MAJOR=$(sed -n 's/^ABI_MAJOR = //p' Makefile)
ABI=$ABI_MAJOR.$(sed -n 's/^ABI_MINOR = //p' Makefile).$(sed -n 's/^ABI_PATCH = //p' Makefile)

run make --no-print-directory install BUILD="$BUILD" PREFIX="$inst"
expect_status "make install into a fresh prefix" 0
for f in include/rpiperf/writer.h include/rpiperf/report.h \
    include/rpiperf/analyse.h include/rpiperf/render.h \
    include/rpiperf/event_types.def include/rpiperf/phases.def \
    include/rpiperf/session_states.def include/rpiperf/version.h \
    lib/pkgconfig/rpiperf.pc lib/pkgconfig/rpiperf-analyse.pc \
    lib/pkgconfig/rpiperf-render.pc bin/rpiperf \
    libexec/rpiperf/rpiperf-render share/man/man1/rpiperf.1 \
    share/bash-completion/completions/rpiperf; do
    if [ -e "$inst/$f" ]; then ok "installed $f"; else not_ok "installed $f"; fi
done
for n in librpiperf librpiperf-analyse librpiperf-render; do
    if [ -f "$inst/lib/$n.a" ]; then ok "installed $n.a"; else not_ok "installed $n.a"; fi
    if [ -f "$inst/lib/$n.so.$ABI" ] && [ ! -L "$inst/lib/$n.so.$ABI" ]; then
        ok "installed $n.so.$ABI (the real name)"
    else
        not_ok "installed $n.so.$ABI (the real name)"
    fi
    if [ "$(readlink "$inst/lib/$n.so.$ABI_MAJOR")" = "$n.so.$ABI" ] &&
        [ "$(readlink "$inst/lib/$n.so")" = "$n.so.$ABI_MAJOR" ]; then
        ok "$n.so -> $n.so.$ABI_MAJOR -> $n.so.$ABI"
    else
        not_ok "$n.so -> $n.so.$ABI_MAJOR -> $n.so.$ABI"
    fi
    soname=$(readelf -d "$inst/lib/$n.so.$ABI" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
    if [ "$soname" = "$n.so.$ABI_MAJOR" ]; then ok "$n soname is $n.so.$ABI_MAJOR"; else
        not_ok "$n soname is $n.so.$ABI_MAJOR (got $soname)"; fi
done
# no generic header names on a user's include path
others=$(ls "$inst/include" | grep -v '^rpiperf$')
if [ -z "$others" ]; then ok "include/ holds only rpiperf/"; else
    not_ok "include/ holds only rpiperf/ (also: $others)"; fi

# ---- exported symbols ----------------------------------------------------
# Every dynamic symbol a shared object defines is a function its installed
# headers declare (with RPP_EXTERN); nothing internal leaks.
for n in librpiperf librpiperf-analyse librpiperf-render; do
    nm -D --defined-only "$inst/lib/$n.so.$ABI" | awk '{print $3}' |
        grep -v '^_' | sort -u >"$TMP/syms"
    count=$(wc -l <"$TMP/syms")
    undeclared=""
    while read -r sym; do
        grep -Eq "RPP_EXTERN[^;]*\\b$sym\\(" "$inst"/include/rpiperf/*.h ||
            undeclared="$undeclared $sym"
    done <"$TMP/syms"
    if [ "$count" -gt 0 ] && [ -z "$undeclared" ]; then
        ok "$n exports only declared API ($count functions)"
    else
        not_ok "$n exports only declared API:$undeclared"
    fi
done
# ... and every RPP_EXTERN declaration is exported by one of them
grep -hv '^#' "$inst"/include/rpiperf/*.h | tr '\n' ' ' | grep -o 'RPP_EXTERN[^;(]*(' |
    sed 's/.*[ *]\([a-z_0-9]*\)($/\1/' | sort -u >"$TMP/declared"
for n in librpiperf librpiperf-analyse librpiperf-render; do
    nm -D --defined-only "$inst/lib/$n.so.$ABI" | awk '{print $3}'
done | sort -u >"$TMP/exported"
missing=$(comm -23 "$TMP/declared" "$TMP/exported" | tr '\n' ' ')
if [ -s "$TMP/declared" ] && [ -z "$missing" ]; then
    ok "every declared function is exported ($(wc -l <"$TMP/declared"))"
else
    not_ok "every declared function is exported (missing: $missing)"
fi

# ---- programs built against the installed libraries -----------------------
PKG_CONFIG_PATH="$inst/lib/pkgconfig"
export PKG_CONFIG_PATH
for pkg in rpiperf rpiperf-analyse rpiperf-render; do
    cf=$(pkg-config --cflags "$pkg" 2>/dev/null)
    case " $cf " in
    *" -I$inst/include "*) ok "pkg-config --cflags $pkg points at PREFIX/include" ;;
    *) not_ok "pkg-config --cflags $pkg points at PREFIX/include (got $cf)" ;;
    esac
    case " $cf " in
    *"/include/rpiperf "*) not_ok "pkg-config --cflags $pkg does not point inside include/rpiperf" ;;
    *) ok "pkg-config --cflags $pkg does not point inside include/rpiperf" ;;
    esac
done
case " $(pkg-config --cflags rpiperf-analyse) " in
*cairo*) not_ok "rpiperf-analyse does not pull in cairo" ;;
*) ok "rpiperf-analyse does not pull in cairo" ;;
esac

# build NAME SRC PKG COMPILER LINK: LINK is shared or static
build() {
    out="$TMP/$1-$5"
    cflags=$(pkg-config --cflags "$3")
    if [ "$5" = shared ]; then
        libs=$(pkg-config --libs "$3")
    else
        # our libraries as archives, their dependencies as pkg-config says
        ours=""
        for l in $(pkg-config --libs-only-l "$3"); do
            case "$l" in
            -lrpiperf*) ours="$ours $inst/lib/lib${l#-l}.a" ;;
            esac
        done
        libs="$ours $(pkg-config --static --libs "$3" | tr ' ' '\n' |
            grep -v -- '-lrpiperf' | tr '\n' ' ')"
    fi
    # shellcheck disable=SC2086
    run $4 -Wall -Wextra -Werror $SANFLAGS -o "$out" "$2" $cflags $libs
    expect_status "$1 compiles and links ($5, pkg-config $3)" 0
    needed=$(readelf -d "$out" 2>/dev/null | grep -c 'NEEDED.*librpiperf')
    if [ "$5" = shared ] && [ "$needed" -gt 0 ]; then
        ok "$1 ($5) loads librpiperf at run time"
    elif [ "$5" = static ] && [ "$needed" -eq 0 ]; then
        ok "$1 ($5) needs no librpiperf at run time"
    else
        not_ok "$1 ($5) links librpiperf the expected way ($needed NEEDED)"
    fi
}
# runit NAME LINK ARGS...: runs the program in an empty directory
runit() {
    prog="$TMP/$1-$2"
    shift 2
    mkdir -p "$TMP/cwd"
    (cd "$TMP/cwd" && LD_LIBRARY_PATH="$inst/lib" $VG "$prog" "$@") \
        >"$TMP/out" 2>"$TMP/err"
    st=$?
}

# what rpiperf itself says of the report, to compare with
$RPIPERF analyse -f json "$REPORT" | "$PYTHON" -c '
import json, sys
d = json.load(sys.stdin)
print("bottleneck " + d["bottleneck"]["kind"])
for f in d["findings"]:
    print("finding " + f["id"])' >"$TMP/expect-analyse"
events=$("$PYTHON" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["events"]))' "$REPORT")

for link in shared static; do
    build use_core tests/install/use_core.c rpiperf "$CC" $link
    runit use_core $link "$PWD/$REPORT" "$TMP/cwd/written-$link.json"
    expect_status "use_core ($link) runs" 0
    expect_out "use_core ($link) reads the report" "^version 3 events $events\$"
    run $RPIPERF validate "$TMP/cwd/written-$link.json"
    expect_status "use_core ($link) wrote a valid report" 0
    expect_out "its report holds its event" "ok, version 3, 3 events"

    build use_analyse tests/install/use_analyse.c rpiperf-analyse "$CC" $link
    runit use_analyse $link "$PWD/$REPORT"
    expect_status "use_analyse ($link) runs" 0
    if cmp -s "$TMP/out" "$TMP/expect-analyse"; then
        ok "use_analyse ($link) finds what rpiperf analyse finds"
    else
        not_ok "use_analyse ($link) finds what rpiperf analyse finds"
        diff "$TMP/expect-analyse" "$TMP/out" | head -5 | sed 's/^/#   /'
    fi

    build use_render tests/install/use_render.c rpiperf-render "$CC" $link
    runit use_render $link "$PWD/$REPORT" "$TMP/cwd/chart-$link.png"
    expect_status "use_render ($link) runs" 0
    dims=$("$PYTHON" -c '
import struct, sys
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n" and d[12:16] == b"IHDR"
w, h = struct.unpack(">II", d[16:24])
print(w, "x", h, "big" if len(d) > 10000 else "small")' "$TMP/cwd/chart-$link.png" 2>/dev/null)
    case "$dims" in
    "600 x "*" big") ok "use_render ($link) drew a 600-pixel-wide PNG ($dims)" ;;
    *) not_ok "use_render ($link) drew a 600-pixel-wide PNG ($dims)" ;;
    esac

    build use_all tests/install/use_all.cpp rpiperf-render "$CXX" $link
    runit use_all $link "$PWD/$REPORT"
    expect_status "use_all (C++, $link) runs" 0
    kind=$(sed -n 's/^bottleneck //p' "$TMP/expect-analyse")
    expect_out "use_all (C++, $link) uses the three libraries" \
        "^version 3 bottleneck $kind chart drawn writer 2\$"
done

# ---- the README example ----------------------------------------------------
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
if grep -q '^#include <rpiperf/writer.h>$' "$TMP/example.c"; then
    ok "the README example includes <rpiperf/writer.h>"
else
    not_ok "the README example includes <rpiperf/writer.h>"
fi
flags=$(pkg-config --cflags --libs rpiperf 2>"$TMP/err")
# shellcheck disable=SC2086
run $CC -Wall -Wextra -Werror -o "$TMP/example" "$TMP/example.c" $flags $SANFLAGS
expect_status "the README example compiles against the installed library" 0
rm -rf "$TMP/cwd" && mkdir -p "$TMP/cwd"
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
