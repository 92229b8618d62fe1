#!/bin/sh
# build/trace-replay replays each upstream trace into the writer library;
# the report must equal, byte for byte, the one the Imager's own writer
# produced from the same calls.
. tests/cli/lib.sh

REPLAY="$VG $BUILD/trace-replay"
dir="$REF/upstream-writer"
n=0
for trace in "$dir"/*.trace.jsonl; do
    [ -f "$trace" ] || continue
    name=$(basename "$trace" .trace.jsonl)
    n=$((n + 1))
    if $REPLAY "$trace" >"$TMP/$name.json" 2>"$TMP/err" &&
        cmp -s "$TMP/$name.json" "$dir/$name.json"; then
        ok "replay $name is byte-identical"
    else
        not_ok "replay $name is byte-identical"
        sed 's/^/#   /' "$TMP/err" | head -3
        diff "$dir/$name.json" "$TMP/$name.json" | head -10 | sed 's/^/#   /'
    fi
done
if [ "$n" -eq 24 ]; then ok "all 24 traces found"; else not_ok "all 24 traces found ($n)"; fi

# the usage and bad-input paths
run $REPLAY
expect_status "no argument is a usage error" 2
printf '{"call":"meta","t":0,"writerVersion":3,"epochBaseMs":0}\n{"call":"nonsense","t":5}\n' >"$TMP/bad.jsonl"
run $REPLAY "$TMP/bad.jsonl"
expect_status "an unknown call is rejected" 1
expect_err "the bad line is named" 'bad.jsonl:2: unknown call'
finish
