#!/bin/sh
# analyse --format markdown, read the way GitHub reads it: the markdown of
# every reference report, sample and test fixture, and of a 20,000-event
# report made here, rendered with cmark-gfm and checked by md_check.py
# (within 65,536 characters, every table row with the header's cells and a
# <tr> of its own, every <details> closed and its <summary> true, no
# element from report text).
. tests/cli/lib.sh
case $RPIPERF in build/*) RPIPERF=$PWD/$RPIPERF ;; esac
if ! command -v cmark-gfm >/dev/null 2>&1; then
    echo "ok - # SKIP cmark-gfm is not installed (tools/install-deps.sh test)"
    finish
    exit
fi
n=0
for f in samples/*.json "$REF"/*/*.json tests/data/hostile/*.json \
    tests/data/warn/*.json tests/data/redact/*.json; do
    [ -f "$f" ] || continue
    $RPIPERF validate -q -W "$f" >/dev/null 2>&1 || continue
    n=$((n + 1))
    name=$(echo "$f" | tr '/' '_')
    $RPIPERF analyse -W --format markdown "$f" >"$TMP/$name.md" 2>"$TMP/err"
    st=$?
    if [ "$st" -eq 0 ] && "$PYTHON" tests/cli/md_check.py "$TMP/$name.md" \
        >"$TMP/check" 2>&1; then
        ok "markdown of $f is well formed"
    else
        not_ok "markdown of $f is well formed (status $st)"
        head -5 "$TMP/check" | sed 's/^/#   /'
    fi
done
if [ "$n" -ge 60 ]; then ok "$n reports checked"; else
    not_ok "$n reports checked (expected at least 60)"; fi

# a report of 20,000 events: over the limit unless its lists are shortened
"$PYTHON" tests/data/hostile/make_hostile.py scale "$TMP/big.json" 20000 1000
run $RPIPERF analyse -W --format markdown "$TMP/big.json"
expect_status "20,000 events: markdown" 0
chars=$("$PYTHON" -c 'import sys; print(len(open(sys.argv[1], encoding="utf-8").read()))' "$TMP/out")
if [ "$chars" -le 65536 ] && [ "$chars" -ge 60000 ]; then
    ok "20,000 events: $chars characters, within GitHub's 65,536 and near them"
else
    not_ok "20,000 events: $chars characters (want 60,000 to 65,536)"
fi
if "$PYTHON" tests/cli/md_check.py "$TMP/out" >"$TMP/check" 2>&1; then
    ok "20,000 events: the markdown is well formed"
else
    not_ok "20,000 events: the markdown is well formed"
    head -5 "$TMP/check" | sed 's/^/#   /'
fi
expect_out "20,000 events: the event list says how many it shows" \
    '<details><summary>[0-9]+ of 20002 events</summary>'
expect_no_out "20,000 events: no label claims them all" 'All 20002 events'
expect_out "20,000 events: and where the rest are" \
    'events left out \(this shows [0-9]+ of 20002, to stay within'
# the findings are few and all listed, whatever their number
if "$PYTHON" - "$TMP/out" <<'PY'
import re, sys
md = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"^#### Findings: (\d+) errors?, (\d+) warnings?, (\d+) info",
              md, re.M)
items = len(re.findall(r"^- (\*\*error\*\*|\*\*warning\*\*|info) `", md, re.M))
sys.exit(0 if m and items == sum(int(g) for g in m.groups()) else 1)
PY
then
    ok "20,000 events: every finding is listed"
else
    not_ok "20,000 events: every finding is listed"
fi
finish
