#!/bin/sh
# Hostile input, continued from test_hostile.sh: files that are not reports
# at all (a 2 GB file, FIFOs, /dev/zero, an unreadable file, a directory),
# the documented limits, and a report of 200 000 events and 100 000 slices
# per phase that must simply get through.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"

# ---- files that are not reports ---------------------------------------------
# not_report LABEL STATUS REGEX FILE...: every command refuses the file
not_report() {
    label=$1
    want=$2
    re=$3
    shift 3
    bad=""
    for cmd in validate analyse "analyse --format json" check render compare; do
        # check looks for reports inside a directory
        [ "$label" = "a directory" ] && [ "$cmd" = check ] && continue
        case $cmd in
        compare) args="$* $*" ;;
        render) args="-o $TMP $*" ;;
        *) args="$*" ;;
        esac
        # shellcheck disable=SC2086
        $RPIPERF $cmd $args >"$TMP/out" 2>"$TMP/err"
        st=$?
        [ "$st" -eq "$want" ] || bad="$bad $cmd=$st"
        cat "$TMP/out" "$TMP/err" >"$TMP/both.raw"
        joined "$TMP/both.raw" >"$TMP/both"
        grep -Eq -- "$re" "$TMP/both" || bad="$bad $cmd:message"
        "$PY" "$TMP/outcheck.py" safe "$TMP/both" >/dev/null || bad="$bad $cmd:unsafe"
    done
    if [ -z "$bad" ]; then
        ok "$label: every command refuses it with status $want and /$re/"
    else
        not_ok "$label: every command refuses it with status $want and /$re/ (got:$bad)"
        head -3 "$TMP/both" | sed 's/^/#   /'
    fi
}

# a 2 GB file (sparse: no disk used) is refused from its size, unread
truncate -s 2G "$TMP/huge.json"
not_report "a 2 GB file" 2 \
    'file of 2147483648 bytes is above the size limit of 268435456 bytes; not read' \
    "$TMP/huge.json"
# with the limit raised it is read, and its first byte (NUL) stops the read
run $RPIPERF validate --max-size 3G "$TMP/huge.json"
expect_status "a 2 GB file under --max-size 3G" 2
expect_err "a 2 GB file of zeros: refused at its first byte" \
    'huge.json:1:1: not a text file: NUL byte at offset 0'
rm -f "$TMP/huge.json"

not_report "/dev/zero" 2 'not a text file: NUL byte at offset 0' /dev/zero
not_report "a directory" 2 'is a directory, not a report' "$H"
not_report "a missing file" 2 'cannot open: No such file or directory' \
    "$TMP/no-such.json"
ln -s loop.json "$TMP/loop.json"
not_report "a symbolic link to itself" 2 \
    'cannot open: Too many levels of symbolic links' "$TMP/loop.json"

# FIFOs: that nothing ever writes to (validate only: each command waits
# 5 s for a writer), fed a report, fed zeros, fed text forever
mkfifo "$TMP/fifo.json"
run $RPIPERF validate "$TMP/fifo.json"
expect_status "a FIFO that nothing writes to is refused, not waited for" 2
expect_err "a FIFO that nothing writes to: says so" \
    'fifo.json: a FIFO that nothing wrote to within 5 s; not read'
# (a writer whose reader never comes gives up, instead of hanging the test)
timeout 60 sh -c 'cat "$1" >"$2"' sh "$H/negative-zero.json" "$TMP/fifo.json" &
run $RPIPERF validate "$TMP/fifo.json"
wait
expect_status "a FIFO fed a report" 0
expect_out "a FIFO fed a report is read to its end" 'fifo.json: ok, version 3, 4 events'
(cat /dev/zero >"$TMP/fifo.json" 2>/dev/null) &
writer=$!
run $RPIPERF validate "$TMP/fifo.json"
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null
expect_status "a FIFO fed zeros" 2
expect_err "a FIFO fed zeros: refused at the first byte" 'NUL byte at offset 0'
(yes '[1,' >"$TMP/fifo.json" 2>/dev/null) &
writer=$!
run $RPIPERF validate --max-size 1M "$TMP/fifo.json"
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null
expect_status "a FIFO fed text without end" 2
expect_err "a FIFO fed text without end: read up to the limit only" \
    'more than 1048576 bytes, above the size limit; not read further'

# an unreadable file: as root, read as nobody
cp "$H/negative-zero.json" "$TMP/locked.json"
chmod 000 "$TMP/locked.json"
if [ "$(id -u)" -ne 0 ]; then
    not_report "an unreadable file" 2 'cannot open: Permission denied' \
        "$TMP/locked.json"
elif command -v setpriv >/dev/null 2>&1 &&
    setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
    chmod 711 "$TMP"
    RPIPERF_ROOT=$RPIPERF
    RPIPERF="setpriv --reuid=nobody --regid=nogroup --clear-groups $RPIPERF_ROOT"
    run $RPIPERF validate "$TMP/locked.json"
    expect_status "an unreadable file (as nobody)" 2
    expect_err "an unreadable file is said" 'locked.json: cannot open: Permission denied'
    run $RPIPERF analyse "$TMP/locked.json"
    expect_status "an unreadable file: analyse (as nobody)" 2
    run $RPIPERF check "$TMP/locked.json"
    expect_status "an unreadable file: check (as nobody)" 2
    expect_out "an unreadable file: check names it" 'locked.json: INVALID: cannot open: Permission denied'
    RPIPERF=$RPIPERF_ROOT
    chmod 700 "$TMP"
else
    echo "ok - # SKIP an unreadable file: root, and no setpriv to become nobody"
fi
chmod 600 "$TMP/locked.json"

# ---- limits ----------------------------------------------------------------
run $RPIPERF analyse --max-size 1K "$H/negative-zero.json"
expect_status "--max-size 1K: analyse refuses a 10 KB report" 2
expect_err "--max-size 1K: the limit is said" \
    'file of 10235 bytes is above the size limit of 1024 bytes; not read'
expect_err "--max-size 1K: how to raise it" \
    'note: the size limit can be raised with --max-size'
cat "$H/negative-zero.json" | $RPIPERF analyse --max-size 1K - >"$TMP/out" 2>"$TMP/err"
st=$?
expect_status "--max-size 1K: standard input is cut off at the limit" 2
expect_err "--max-size 1K: standard input" \
    'more than 1024 bytes, above the size limit; not read further'

# ---- scale: 200 000 events of mixed types, 100 000 slices per phase -------
# Not timed: anything quadratic would not end. Under valgrind or the
# sanitizers (which are about memory errors, not scale) a fiftieth of it:
# the plain run of make check carries the full size.
n_ev=200000
n_sl=100000
if [ -n "$VG" ] || [ "${RPP_TEST_SANITIZE:-0}" = 1 ]; then
    n_ev=4000
    n_sl=2000
fi
"$PY" "$H/make_hostile.py" scale "$TMP/scale.json" $n_ev $n_sl
run $RPIPERF analyse -W --format json "$TMP/scale.json"
expect_status "scale: analyse of $n_ev events and $n_sl slices ends" 0
if "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["events"]["count"] == int(sys.argv[2]) + 2, d["events"]["count"]
for p in ("download", "decompress", "write", "verify"):
    assert d["phases"][p]["slices"] == int(sys.argv[3])
assert len(d["events"]["byType"]) > int(sys.argv[2]) * 4 // 10
assert len(d["findings"]) < 200, len(d["findings"])
' "$TMP/out" $n_ev $n_sl 2>"$TMP/why"; then
    ok "scale: every event, slice and type is counted, findings stay few"
else
    not_ok "scale: every event, slice and type is counted, findings stay few"
    tail -2 "$TMP/why" | sed 's/^/#   /'
fi
for cmd in "analyse -W" "analyse -W --format markdown" "check" "compare" "render"; do
    case $cmd in
    compare) args="$TMP/scale.json $TMP/scale.json" ;;
    render) args="-o $TMP $TMP/scale.json" ;;
    *) args="$TMP/scale.json" ;;
    esac
    # shellcheck disable=SC2086
    $RPIPERF $cmd $args >/dev/null 2>&1
    st=$?
    if [ "$st" -le 1 ]; then ok "scale: $cmd ends"; else
        not_ok "scale: $cmd ends (status $st)"; fi
done
# many imaging cycles: inferred from quiet gaps (version 2), and cycles
# that each take a piece of one run of slices (version 3)
n_cy=$n_sl
for shape in gaps cycles; do
    "$PY" "$H/make_hostile.py" $shape "$TMP/$shape.json" $n_cy
    run $RPIPERF analyse -W --format json "$TMP/$shape.json"
    expect_status "scale: $n_cy slices in many cycles ($shape): analyse ends" 0
    if "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
want = n if sys.argv[3] == "gaps" else n // 4
assert len(d["cycles"]) == want, (len(d["cycles"]), want)
assert d["phases"]["write"]["slices"] == n
' "$TMP/out" $n_cy $shape 2>"$TMP/why"; then
        ok "scale: every cycle is found ($shape)"
    else
        not_ok "scale: every cycle is found ($shape)"
        tail -1 "$TMP/why" | sed 's/^/#   /'
    fi
    for cmd in "analyse -W" check compare render; do
        case $cmd in
        compare) args="$TMP/$shape.json $TMP/$shape.json" ;;
        render) args="-o $TMP $TMP/$shape.json" ;;
        *) args="$TMP/$shape.json" ;;
        esac
        # shellcheck disable=SC2086
        $RPIPERF $cmd $args >/dev/null 2>&1
        st=$?
        if [ "$st" -le 1 ]; then ok "scale: $cmd ends ($shape)"; else
            not_ok "scale: $cmd ends ($shape, status $st)"; fi
    done
done

finish
