#!/bin/sh
# The reports of tests/data/exports are what make_exports.py makes from the
# Imager's traces: made again here, they must be the committed files byte
# for byte; and each gives exactly the bottleneck and findings EXPECTED
# lists.
. tests/cli/lib.sh

dir=tests/data/exports
if "$PYTHON" "$dir/make_exports.py" "$TMP/gen" "$BUILD" 2>"$TMP/err"; then
    ok "make_exports.py runs"
else
    not_ok "make_exports.py runs"
    head -5 "$TMP/err" | sed 's/^/#   /'
fi
gen=$(cd "$TMP/gen" 2>/dev/null && ls -- *.json)
have=$(cd "$dir" && ls -- *.json)
if [ -n "$have" ] && [ "$gen" = "$have" ]; then
    ok "the committed reports are exactly the generated ones"
else
    not_ok "the committed reports are exactly the generated ones"
fi
for f in "$dir"/*.json; do
    n=$(basename "$f")
    if cmp -s "$f" "$TMP/gen/$n"; then ok "$n equals a fresh replay"; else
        not_ok "$n equals a fresh replay"; fi
done

grep -v '^#' "$dir/EXPECTED" | while read -r file kind ids; do
    [ -n "$file" ] || continue
    got=$($RPIPERF analyse -f json "$dir/$file" 2>/dev/null | "$PYTHON" -c '
import json, sys
d = json.load(sys.stdin)
ids = sorted({f["id"] for f in d["findings"]})
print(d["bottleneck"]["kind"], " ".join(ids) if ids else "-")')
    if [ "$got" = "$kind $ids" ]; then
        echo "ok - $file: $kind, $ids"
    else
        echo "not ok - $file: expected \"$kind $ids\", got \"$got\""
    fi
done >"$TMP/results"
cat "$TMP/results"
grep -q '^not ok' "$TMP/results" && n_fail=$((n_fail + 1))

# how far a write exported mid-write got: within 5 % of what the trace
# last reported (its last recordWriteProgress before the cut)
for f in "$dir"/v3-*-write*.json; do
    n=$(basename "$f" .json)
    run=$(echo "$n" | sed 's/^v3-//; s/-cycle[0-9][0-9]*//; s/-write[0-9]*$//')
    cyc=$(echo "$n" | sed -n 's/.*-cycle\([0-9]*\)-.*/\1/p')
    pct=$(echo "$n" | sed 's/.*-write//')
    $RPIPERF analyse -f json "$f" >"$TMP/a.json" 2>/dev/null
    res=$("$PYTHON" - "$REF/upstream-writer/v3-$run.trace.jsonl" "${cyc:-1}" \
        "$pct" "$TMP/a.json" <<'PY'
import json, sys
calls = [json.loads(l) for l in open(sys.argv[1])]
cycle, pct = int(sys.argv[2]), int(sys.argv[3])
starts = [i for i, c in enumerate(calls) if c["call"] == "startSession"]
lo = starts[cycle - 1]
hi = starts[cycle] if cycle < len(starts) else len(calls)
w = [c for c in calls[lo:hi] if c["call"] == "recordWriteProgress"]
t = w[0]["t"] + (w[-1]["t"] - w[0]["t"]) * pct // 100
true = [c for c in w if c["t"] <= t][-1]["bytes"]
got = json.load(open(sys.argv[4]))["session"]["progress"]["writtenBytes"]
print("ok" if abs(got - true) <= 0.05 * true else "off", got, true)
PY
)
    case "$res" in
    ok*) ok "$n: written bytes within 5 % ($res)" ;;
    *) not_ok "$n: written bytes within 5 % ($res)" ;;
    esac
done
finish
