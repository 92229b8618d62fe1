#!/bin/sh
# Hostile input: every report of tests/data/hostile through every command
# and output, the large cases generated at test time, files that are not
# reports at all (a 2 GB file, FIFOs, /dev/zero, an unreadable file, a
# directory), the documented limits, and a report of 200 000 events and
# 100 000 slices per phase that must simply get through.
. "$(dirname "$0")/lib.sh"
PY=${PYTHON:-/usr/bin/python3}
H=tests/data/hostile

# What no output shown on a terminal or a page may hold, and what every
# JSON output must be. Usage: outcheck.py safe|json|nonneg FILE...
cat >"$TMP/outcheck.py" <<'EOF'
import json, re, sys
RAW = re.compile(rb'[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r|\xc2[\x80-\x9f]|'
                 rb'\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]|'
                 rb'\xd8\x9c|\xef\xbb\xbf')
bad = 0
for fn in sys.argv[2:]:
    data = open(fn, 'rb').read()
    if sys.argv[1] == 'safe':
        m = RAW.search(data)
        if m:
            print('# %s: raw %r at byte %d' % (fn, m.group(), m.start()))
            bad += 1
        continue
    try:
        doc = json.loads(data)
    except ValueError as e:
        print('# %s: not JSON: %s' % (fn, e))
        bad += 1
        continue
    if sys.argv[1] == 'nonneg':
        def walk(x, path):
            global bad
            if isinstance(x, dict):
                for k, v in x.items():
                    walk(v, path + '.' + k)
            elif isinstance(x, list):
                for v in x:
                    walk(v, path + '[]')
            elif isinstance(x, (int, float)) and not isinstance(x, bool) \
                    and x < 0:
                print('# %s: negative %s at %s' % (fn, x, path))
                bad += 1
        walk(doc, '$')
sys.exit(1 if bad else 0)
EOF

# check_all NAME: the outputs of the last matrix were all safe
check_outputs() {
    name=$1
    texts=$(ls "$TMP/o/"* 2>/dev/null | grep -v '\.png$')
    # shellcheck disable=SC2086
    if "$PY" "$TMP/outcheck.py" safe $texts >"$TMP/why"; then
        ok "$name: no raw control, escape or bidi character in any output"
    else
        not_ok "$name: no raw control, escape or bidi character in any output"
        head -5 "$TMP/why"
    fi
    js=$(find "$TMP/o" -name '*.json' -size +0 | sort)
    if [ -n "$js" ]; then
        # shellcheck disable=SC2086
        if "$PY" "$TMP/outcheck.py" json $js >"$TMP/why"; then
            ok "$name: every JSON output parses"
        else
            not_ok "$name: every JSON output parses"
            head -5 "$TMP/why"
        fi
    fi
    if [ -s "$TMP/o/analyse.json" ]; then
        # shellcheck disable=SC2046
        if "$PY" "$TMP/outcheck.py" nonneg $(ls "$TMP/o/analyse"*.json) \
            >"$TMP/why"; then
            ok "$name: no negative number in the analysis"
        else
            not_ok "$name: no negative number in the analysis"
            head -5 "$TMP/why"
        fi
    fi
    if [ -s "$TMP/o/junit.xml" ]; then
        if xmllint --noout "$TMP/o/junit.xml" 2>"$TMP/why"; then
            ok "$name: the JUnit file is well-formed XML"
        else
            not_ok "$name: the JUnit file is well-formed XML"
            head -3 "$TMP/why"
        fi
    fi
}

# matrix FILE WANT [full]: every command on FILE; WANT is 0 (a report) or 2
# (refused). Outputs go to $TMP/o. Under valgrind (slow) only analyse (in
# the three formats), check and validate run, unless "full" is given: the
# other outputs are the same code, which the sanitizer run checks as well.
matrix() {
    f=$1
    want=$2
    full=${3:-}
    bad=""
    rm -rf "$TMP/o" "$TMP/charts"
    mkdir -p "$TMP/o" "$TMP/charts"
    # expect STATUS LABEL: collects the commands that ended otherwise
    expect() { [ "$st" -eq "$1" ] || bad="$bad $2=$st"; }
    quick=""
    [ -n "$VG" ] && [ -z "$full" ] && quick=1
    for fmt in text markdown json; do
        ext=$fmt
        [ "$fmt" = markdown ] && ext=md
        $RPIPERF analyse --format $fmt "$f" >"$TMP/o/analyse.$ext" \
            2>"$TMP/o/analyse-$fmt.err"
        st=$?
        expect "$want" "analyse-$fmt"
        [ -n "$quick" ] && continue
        $RPIPERF compare --format $fmt "$f" "$f" >"$TMP/o/compare.$ext" \
            2>"$TMP/o/compare-$fmt.err"
        st=$?
        expect "$want" "compare-$fmt"
        $RPIPERF analyse --redact --format $fmt "$f" \
            >"$TMP/o/analyse-redact.$ext" 2>>"$TMP/o/analyse-$fmt.err"
        st=$?
        expect "$want" "analyse-redact-$fmt"
    done
    if [ -z "$quick" ]; then
        $RPIPERF analyse --color always "$f" >"$TMP/color" 2>/dev/null
        st=$?
        expect "$want" "analyse-color"
        # our own colour sequences are the only escapes allowed there
        sed 's/\x1b\[[0-9;]*m//g' "$TMP/color" >"$TMP/o/analyse-color.txt"
    fi
    GITHUB_ACTIONS=true $RPIPERF check --fail-on info --junit \
        "$TMP/o/junit.xml" --json "$TMP/o/check.json" \
        --markdown "$TMP/o/check.md" "$f" \
        >"$TMP/o/check.out" 2>"$TMP/o/check.err"
    st=$?
    if [ "$want" -eq 2 ]; then expect 2 check; elif [ "$st" -gt 1 ]; then
        bad="$bad check=$st"; fi
    $RPIPERF validate "$f" >"$TMP/o/validate.out" 2>"$TMP/o/validate.err"
    st=$?
    expect "$want" validate
    if [ -z "$quick" ]; then
        $RPIPERF report -o "$TMP/o/page.html" "$f" >/dev/null \
            2>"$TMP/o/report.err"
        st=$?
        expect "$want" report
        $RPIPERF render -o "$TMP/charts" "$f" >"$TMP/o/render.out" \
            2>"$TMP/o/render.err"
        st=$?
        expect "$want" render
        if [ "$want" -eq 0 ]; then
            for c in timeline throughput network; do
                png=$(ls "$TMP/charts/"*-$c.png 2>/dev/null | head -1)
                if [ -z "$png" ] || [ "$(head -c 4 "$png" | od -An -c | tr -d ' ')" != '211PNG' ]; then
                    bad="$bad render-$c-png"
                fi
            done
        fi
    fi
    if [ -z "$bad" ]; then
        ok "$(basename "$f"): every command ends with status $want"
    else
        not_ok "$(basename "$f"): every command ends with status $want (got:$bad)"
        cat "$TMP/o/"*.err | head -5 | sed 's/^/#   /'
    fi
    check_outputs "$(basename "$f")"
}

# ---- the committed cases, with their .expect ----------------------------
for e in "$H"/*.expect; do
    f=${e%.expect}.json
    n=$(basename "$f" .json)
    want=$(sed -n 's/^status: //p' "$e")
    matrix "$f" "$want"
    cat "$TMP/o/validate.out" "$TMP/o/validate.err" >"$TMP/o-validate.raw"
    joined "$TMP/o-validate.raw" >"$TMP/o-validate"
    while IFS= read -r line; do
        key=${line%%: *}
        re=${line#*: }
        case $key in
        message) out="$TMP/o-validate" ;;
        text) out="$TMP/o/analyse.text" ;;
        markdown) out="$TMP/o/analyse.md" ;;
        json) out="$TMP/o/analyse.json" ;;
        *) continue ;;
        esac
        if [ -f "$out" ] && grep -Eq -- "$re" "$out"; then
            ok "$n: $key matches /$re/"
        else
            not_ok "$n: $key matches /$re/"
            head -3 "$out" 2>/dev/null | sed 's/^/#   /'
        fi
    done <"$e"
done

# markdown: nothing from the report may become a tag, link or mention
md="$TMP/md"
$RPIPERF analyse --format markdown "$H/markup-injection.json" >"$md" 2>/dev/null
$RPIPERF compare --format markdown "$H/markup-injection.json" \
    "$H/markup-injection.json" >>"$md" 2>/dev/null
re='<img|<script|<!--|[^\\]\]\(http|@everyone|[^\\]\*\*bold|[^\\]`code'
if grep -Eq "$re" "$md"; then
    not_ok "markup injection: no tag, link, mention or formatting gets through"
    grep -En "$re" "$md" | head -3
else
    ok "markup injection: no tag, link, mention or formatting gets through"
fi
# check's markdown summary: neither the findings nor a file name made of
# markup get through
mkdir -p "$TMP/md-dir"
cp "$H/markup-injection.json" "$TMP/md-dir/[click](https:evil) @everyone <img src=x> **bold** \`code\`.json"
$RPIPERF check --fail-on info --markdown "$TMP/check.md" "$TMP/md-dir" >/dev/null 2>&1
if [ -s "$TMP/check.md" ] && ! grep -Eq "$re" "$TMP/check.md" &&
    grep -q 'markup-injection\|click' "$TMP/check.md"; then
    ok "markup injection: check --markdown lets no tag, link, mention or formatting through"
else
    not_ok "markup injection: check --markdown lets no tag, link, mention or formatting through"
    grep -En "$re" "$TMP/check.md" | head -3
fi
# the HTML page: no tag from the report
$RPIPERF report -o "$TMP/page.html" "$H/markup-injection.json" >/dev/null 2>&1
if [ -s "$TMP/page.html" ] && ! grep -Eq '<img src=x|<script>alert' "$TMP/page.html"; then
    ok "markup injection: no tag gets into the HTML page"
else
    not_ok "markup injection: no tag gets into the HTML page"
fi
# GitHub annotations: a line break in a message cannot start a command
GITHUB_ACTIONS=true $RPIPERF check --fail-on info "$H/markup-injection.json" \
    >"$TMP/gh" 2>&1
if grep -v '^::' "$TMP/gh" | grep -q '::error::fake'; then
    not_ok "annotations: the fake command stays inside its annotation"
else
    ok "annotations: the fake command stays inside its annotation"
fi
if grep -q '^::error file=[^:]*title=rpiperf failed-event::.*%0A::error::fake' "$TMP/gh"; then
    ok "annotations: the line break is encoded as %0A"
else
    not_ok "annotations: the line break is encoded as %0A"
fi
# a report whose file name is a workflow command
mkdir -p "$TMP/gh-dir"
cp "$H/negative-zero.json" "$TMP/gh-dir/::add-mask::secret.json"
case $RPIPERF in build/*) RPIPERF=$PWD/$RPIPERF ;; esac
(cd "$TMP/gh-dir" && GITHUB_ACTIONS=true $RPIPERF check '::add-mask::secret.json') \
    >"$TMP/gh" 2>&1
if grep -q '^ *::' "$TMP/gh" || ! grep -q 'secret.json: OK' "$TMP/gh"; then
    not_ok "a file named like a workflow command does not start a line"
    head -3 "$TMP/gh" | sed 's/^/#   /'
else
    ok "a file named like a workflow command does not start a line"
fi

# ---- large cases, generated here -------------------------------------------
mkdir -p "$TMP/big"
"$PY" "$H/make_hostile.py" big "$TMP/big" >/dev/null
B=$TMP/big
# big_case NAME STATUS REGEX: validate's status and message
big_case() {
    run $RPIPERF validate "$B/$1.json"
    expect_status "$1: validate" "$2"
    joined "$TMP/out" >"$TMP/both"
    cat "$TMP/err" >>"$TMP/both"
    if grep -Eq -- "$3" "$TMP/both"; then ok "$1: says /$3/"; else
        not_ok "$1: says /$3/"; head -3 "$TMP/both" | sed 's/^/#   /'; fi
}
# (the cases of a million elements take minutes under valgrind: they are
# about counting and scale, and the sanitizer run covers their memory)
if [ -z "$VG" ]; then
big_case million-events-not-objects 2 \
    'events\[999999\]|\$\.events\[0\]: expected an object, got a number'
expect_err "million-events-not-objects: every error is counted" '\.\.\. and 999936 more errors'
big_case million-unknown-array 0 'warning: \$\.extra: unknown key; ignored'
big_case million-short-slices 2 '\$\.histograms\.write\[0\]: expected 16 numbers, got 1'
expect_err "million-short-slices: every error is counted" '\.\.\. and 999936 more errors'
big_case million-format-names 2 'histogramSliceFormat: expected 16 field names, got 1000016'
big_case many-summary-types 0 'ok, version 3, 4 events'
matrix "$B/many-summary-types.json" 0
run $RPIPERF analyse "$B/many-summary-types.json"
expect_out "200 000 summary types: the mismatch is summed up" \
    'disagrees with the events array for 200000 types: t0, t1, t2, t3, t4, t5,'
fi
big_case string-at-limit 0 'ok, version 3'
big_case string-above-limit 2 \
    '\$\.summary\.imageName: string of 65537 bytes is longer than the limit of 65536'
expect_err "string-above-limit: the limit is a build-time one" \
    'note: this limit is set when rpiperf is built'
expect_no_err "string-above-limit: --max-size is not offered" 'raised with --max-size'
big_case string-above-limit-utf8 2 \
    '\$\.events\[1\]\.metadata: string of 65538 bytes is longer than the limit of 65536'
big_case durations-past-2p64 0 'ok, version 3, 3004 events'
big_case timeline-past-2p64 0 'ok, version 3, 4203 events'
for n in durations-past-2p64 timeline-past-2p64; do
    full=""
    [ $n = timeline-past-2p64 ] && full=full
    matrix "$B/$n.json" 0 $full
done
run $RPIPERF analyse --format json "$B/timeline-past-2p64.json"
expect_out "a timeline past 2^64 ms saturates at 2^62" '"timelineMs": 4611686018427387904'
expect_out "bucket counts past 2^64 saturate at 2^62" '"samples": 4611686018427387904'
run $RPIPERF analyse "$B/timeline-past-2p64.json"
expect_out "2100 failed cycles: ten findings and one for the rest" \
    '1040 more imaging cycles failed'

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
