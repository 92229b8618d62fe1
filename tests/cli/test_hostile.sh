#!/bin/sh
# Hostile input: every report of tests/data/hostile through every command
# and output, and the large cases generated at test time
# (test_hostile_files.sh has the files that are not reports, the limits
# and the scale test).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"

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
        # (not made under valgrind: hostile_lib.sh)
        text | markdown) [ -n "$VG" ] && continue ;;
        esac
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

finish
