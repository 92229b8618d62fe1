#!/bin/sh
# The bundled samples: build/simulate regenerates every committed
# samples/*.json byte for byte; each is valid without a warning; each
# records what the Imager can record (stall events, the order of the
# summaries, cut exports); samples/README.md lists each once with its
# findings, and rpiperf analyse produces exactly that set.
. tests/cli/lib.sh

SIM="$VG $BUILD/simulate"
mkdir -p "$TMP/gen"
run $SIM "$TMP/gen"
expect_status "simulate writes the samples" 0
run $SIM
expect_status "simulate without a directory is a usage error" 2

gen=$(cd "$TMP/gen" && ls -- *.json 2>/dev/null)
have=$(cd samples && ls -- *.json 2>/dev/null)
if [ -n "$have" ] && [ "$gen" = "$have" ]; then
    ok "the committed samples are exactly the generated ones"
else
    not_ok "the committed samples are exactly the generated ones"
fi

# ids of the findings, one per line, sorted: from the README and from analyse
readme_findings() {
    line=$(grep -F -- "- \`$1\` — " samples/README.md)
    printf '%s\n' "$line" | sed -n 's/.*Findings: \(.*\)\.$/\1/p' |
        tr ',' '\n' | sed 's/^ *//; s/ *$//' | grep -v '^none$' | grep -v '^$' |
        sort -u
}
analyse_findings() {
    $RPIPERF analyse -f json "$1" 2>/dev/null | "$PYTHON" -c '
import json, sys
print("\n".join(sorted({f["id"] for f in json.load(sys.stdin)["findings"]})))' |
        grep -v '^$'
}

for f in samples/*.json; do
    [ -f "$f" ] || continue
    n=$(basename "$f")
    if cmp -s "$f" "$TMP/gen/$n"; then
        ok "$n equals a fresh generation"
    else
        not_ok "$n equals a fresh generation (run make samples)"
    fi
    run $RPIPERF validate "$f"
    if [ "$st" -eq 0 ] && [ ! -s "$TMP/err" ]; then
        ok "$n is valid without warnings"
    else
        not_ok "$n is valid without warnings"
        head -3 "$TMP/err" | sed 's/^/#   /'
    fi
    c=$(grep -cF -- "- \`$n\` — " samples/README.md)
    if [ "$c" -eq 1 ] &&
        grep -F -- "- \`$n\` — " samples/README.md | grep -Eq 'Findings: .+\.$'; then
        ok "$n is described once in samples/README.md"
    else
        not_ok "$n is described once in samples/README.md ($c lines)"
        continue
    fi
    want=$(readme_findings "$n")
    got=$(analyse_findings "$f")
    if [ "$want" = "$got" ]; then
        ok "$n gives exactly its findings"
    else
        not_ok "$n gives exactly its findings"
        echo "#   README:  $(echo $want)"
        echo "#   analyse: $(echo $got)"
    fi
done

# What the Imager can record, checked on every version 3 sample: a stall
# event is the last poll of a wait (50-99 ms, its duration repeated in the
# metadata); nothing waits on the write buffer as a consumer; the
# extraction thread's summaries come after a cycleEnd, with no session
# (startMs 0); a sample exported early (-mid-write, -verifying,
# -no-summaries) holds exactly the first events of the finished run.
imager_rules() {
    "$PYTHON" - "$@" <<'PYEOF'
import json, os, re, sys
STALL = re.compile(r"^buffer: (input|write); type: (producer|consumer)_stall;"
                   r" duration_ms: (\d+)$")
LATE = ("pipelineDecompressionTime", "pipelineRingBufferWaitTime",
        "writeRingBufferStats")
for path in sys.argv[1:]:
    name = os.path.basename(path)
    events = json.load(open(path))["events"]
    bad = []
    ended = False
    for e in events:
        t, meta = e["type"], e.get("metadata", "")
        if t == "cycleStart":
            ended = False
        elif t == "cycleEnd":
            ended = True
        elif t == "ringBufferStarvation":
            m = STALL.match(meta)
            if not m or int(m.group(3)) != e["durationMs"] or \
                    not 50 <= e["durationMs"] <= 99:
                bad.append("stall event " + meta)
            elif m.group(1) == "write" and m.group(2) == "consumer":
                bad.append("a write-buffer consumer stall")
        elif t in LATE and (not ended or e["startMs"] != 0):
            bad.append(t + " before the end of its cycle")
        if t == "writeRingBufferStats" and \
                not meta.endswith("consumer_stalls: 0 (0 ms)"):
            bad.append("writeRingBufferStats " + meta)
    cut = re.match(r"^(v3-.*)-(mid-write|verifying|no-summaries)\.json$", name)
    if cut:
        full = os.path.join(os.path.dirname(path), cut.group(1) + ".json")
        whole = json.load(open(full))["events"]
        if whole[:len(events)] != events:
            bad.append("not a prefix of " + os.path.basename(full))
    print(("ok - " if not bad else "not ok - ") + name +
          " records only what the Imager can record" +
          ("" if not bad else " (" + "; ".join(bad[:3]) + ")"))
PYEOF
}
imager_rules samples/v3-*.json > "$TMP/rules"
cat "$TMP/rules"
n_fail=$((n_fail + $(grep -c '^not ok' "$TMP/rules")))

# no README line without its file
for n in $(sed -n 's/^- `\([^`]*\.json\)` — .*/\1/p' samples/README.md); do
    if [ ! -f "samples/$n" ]; then
        not_ok "samples/README.md names $n, which does not exist"
    fi
done
finish
