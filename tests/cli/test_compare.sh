#!/bin/sh
# rpiperf compare with two to a dozen runs: the verdicts of three-way and
# five-way comparisons (version 2 with version 3, a failed and a cancelled
# run), --sort, --baseline, --fail-slower on runs that did not finish, JSON
# nulls for what does not exist, text within 100 columns, markdown within
# a GitHub comment, the overlay chart and the page.
. tests/cli/lib.sh
UW=$REF/upstream-writer
S=samples
PY=/usr/bin/python3

# reports of three Imager versions on the same card and image: 2.0.2 the
# healthy write, 2.0.3 the io-bound one (direct I/O refused), 2.0.10 the
# stalling one
mkdir -p "$TMP/fx"
$PY - "$UW" "$TMP/fx" <<'PY'
import json, sys
src, dst = sys.argv[1], sys.argv[2]
base = json.load(open(src + "/v3-healthy.json"))
def make(name, version, out):
    d = json.load(open(src + "/" + name + ".json"))
    d["system"]["imager"]["version"] = version
    d["summary"]["deviceName"] = base["summary"]["deviceName"]
    d["summary"]["imageName"] = base["summary"]["imageName"]
    d["system"]["targetDevice"] = base["system"]["targetDevice"]
    json.dump(d, open(dst + "/" + out, "w"), indent=4)
make("v3-healthy", "2.0.2", "imager-2.0.2.json")
make("v3-io-bound", "2.0.3", "imager-2.0.3.json")
make("v3-stalls", "2.0.10", "imager-2.0.10.json")
make("v3-failed", "2.0.4", "imager-2.0.4.json")
PY

# verdict_has NAME REGEX: the verdict of the text in $TMP/out, its lines
# joined, matches REGEX
verdict_has() {
    if sed -n '/^Verdict$/,/^$/p' "$TMP/out" | tr '\n' ' ' | sed 's/  */ /g' | grep -Eq -- "$2"; then
        ok "$1"; else not_ok "$1"; sed -n '/^Verdict$/,/^$/p' "$TMP/out" | sed 's/^/#   /'; fi
}

# widest NAME FILE: every line within 100 characters (not bytes)
widest() {
    w=$($PY -c 'import sys; print(max((len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")), default=0))' "$2")
    if [ "$w" -le 100 ]; then ok "$1: within 100 columns ($w)"; else not_ok "$1: within 100 columns ($w)"; fi
}

# ---- three-way: the Imager's own reports ----------------------------------
run $RPIPERF compare "$UW/v3-healthy.json" "$UW/v3-io-bound.json" "$UW/v3-cancelled.json"
expect_status "three-way: exit 0" 0
expect_out "three-way: the write regression of the io-bound run" \
    'With v3-io-bound, the write is 73 % slower than with v3-healthy \(download and decompress follow'
verdict_has "three-way: the cancelled run is not compared, and why" \
    'Not compared \(partial throughput\): v3-cancelled was cancelled at about 30 % of the write'
expect_no_out "three-way: the cancelled run is never called faster" 'v3-cancelled \(write \+|faster'
expect_out "three-way: a partial change reads partial" '^    v3-cancelled +55\.1 +partial'
expect_out "three-way: a missing phase reads -, not 0.0" '^    v3-cancelled +- +- +- +- +- +-$'
expect_out "three-way: the context names direct I/O of each run" '^  direct I/O +on +off +on$'
widest "three-way text" "$TMP/out"

# ---- five-way: samples, version 2 with version 3, failed and cancelled ---
FIVE="$S/v2-healthy.json $S/v3-healthy.json $S/v3-io-bound.json $S/v3-failed.json $S/v3-cancelled.json"
# shellcheck disable=SC2086
run $RPIPERF compare $FIVE
expect_status "five-way: exit 0" 0
verdict_has "five-way: the write regression against the version 2 baseline" \
    'With v3-io-bound, the write is 76 % slower than with v2-healthy \(download follows it\) while'
verdict_has "five-way: the healthy version 3 run is unchanged" \
    'Within 10 % of v2-healthy in every phase: v3-healthy\.'
verdict_has "five-way: the failed and the cancelled run are not compared, with why" \
    'Not compared \(partial throughput\): v3-failed failed at about 38 % of the write; v3-cancelled was cancelled at about 46 % of the write\. $'
expect_out "five-way: version 2 has no decompress phase: -" '^    v2-healthy\* +- +- +- +-$'
expect_out "five-way: findings version 2 cannot express read -" '^  io-bound \(write\) +- +\. +W '
expect_out "five-way: what version 2 cannot express is said" 'v2-healthy is of format version 2'
expect_out "five-way: slow-card-write appeared" 'v3-io-bound +\+ warning slow-card-write'
expect_no_out "five-way: io-bound is not counted as appeared against version 2" '\+ warning io-bound'
expect_no_out "five-way: producer-stall is not counted as appeared against version 2" '\+ warning producer-stall'
widest "five-way text" "$TMP/out"

# shellcheck disable=SC2086
run $RPIPERF compare -f json $FIVE
if $PY - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
runs = d["runs"]
v2, h, io, failed, cancelled = runs
assert d["baseline"] == 0 and v2["baseline"] is True
# what does not exist is null, never 0
assert v2["phases"]["decompress"] is None
for k in ("imagerVersion", "os", "cpuCores", "directIO", "syncIntervalMB", "deviceSizeBytes"):
    assert v2["context"][k] is None, k
assert v2["changes"] is None and v2["worstChange"] is None
assert h["changes"]["decompress"]["avg"] is None      # the baseline has none
assert h["changes"]["write"]["avg"] is not None
for r in (failed, cancelled):
    assert r["finished"] is False and r["notCompared"]
    assert r["worstChange"] is None
    assert all(v is None for ch in r["changes"].values() for v in ch.values())
    assert r["phases"]["verify"] is None
assert cancelled["notCompared"] == "was cancelled at about 46 % of the write"
assert failed["state"] == "failed" and 0.3 < failed["writeShare"] < 0.45
events = {e["type"]: e for e in d["events"]}
assert events["ringBufferStarvation"]["count"][0] is None   # v2 cannot record it
assert events["ringBufferStarvation"]["count"][2] > 0
findings = {f["id"]: f for f in d["findings"]}
assert findings["io-bound"]["count"][0] is None
assert findings["slow-card-write"]["count"][0] == 0
assert [f["id"] for f in io["appeared"]] == ["slow-card-write"], io["appeared"]
# a run that did not finish: what went away is not counted
assert cancelled["disappeared"] == [] and failed["disappeared"] == []
v = d["verdict"]
assert v["regression"] is True
assert v["firstSlower"] == {"run": 2, "phase": "write", "change": io["changes"]["write"]["avg"]}
assert [x["run"] for x in v["notCompared"]] == [3, 4]
PY
then ok "five-way JSON: entries per run, nulls where nothing exists"; else not_ok "five-way JSON: entries per run, nulls where nothing exists"; fi

# ---- --sort version, --sort time, --baseline ---------------------------------
run $RPIPERF compare --sort version "$TMP/fx/imager-2.0.10.json" "$TMP/fx/imager-2.0.2.json" "$TMP/fx/imager-2.0.3.json"
expect_status "--sort version: exit 0" 0
verdict_has "--sort version: from 2.0.3 on the write path regressed, not the card" \
    '^Verdict From 2\.0\.3 on, the write is 73 % slower than with 2\.0\.2 \(download and decompress follow it\) while verify is unchanged; direct I/O went off: the write path regressed, not the card\. $'
expect_out "--sort version: 2.0.10 after 2.0.3 (numbers, not text)" '^Context +imager-2\.0\.2\* +imager-2\.0\.3 +imager-2\.0\.10$'
run $RPIPERF compare --sort version -f json "$TMP/fx/imager-2.0.10.json" "$TMP/fx/imager-2.0.2.json" "$TMP/fx/imager-2.0.3.json"
if $PY -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert [r["context"]["imagerVersion"] for r in d["runs"]] == ["2.0.2", "2.0.3", "2.0.10"]
assert [r["given"] for r in d["runs"]] == [2, 3, 1]
assert d["sort"] == "version" and d["baseline"] == 0
' "$TMP/out"; then ok "--sort version: JSON in version order"; else not_ok "--sort version: JSON in version order"; fi
run $RPIPERF compare --sort time -f json "$UW/v3-stalls.json" "$UW/v3-never-started.json" "$UW/v3-healthy.json" "$UW/v3-io-bound.json"
if $PY -c '
import json, sys
d = json.load(open(sys.argv[1]))
starts = [r["context"]["sessionStart"] for r in d["runs"]]
assert starts[0] is None, starts        # never started: first
assert starts[1:] == sorted(starts[1:]), starts
' "$TMP/out"; then ok "--sort time: by session start, the never-started run first"; else not_ok "--sort time: by session start, the never-started run first"; fi
run $RPIPERF compare --baseline 2 -f json "$UW/v3-io-bound.json" "$UW/v3-healthy.json"
if $PY -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["runs"][d["baseline"]]["tag"] == "v3-healthy"
assert d["runs"][0]["changes"]["write"]["avg"] < -0.7
' "$TMP/out"; then ok "--baseline 2: the second report as given"; else not_ok "--baseline 2: the second report as given"; fi
run $RPIPERF compare --baseline 3 "$UW/v3-io-bound.json" "$UW/v3-healthy.json"
expect_status "--baseline beyond the reports: exit 3" 3
expect_err "--baseline beyond the reports: said" '--baseline 3: only 2 reports given'
run $RPIPERF compare - - <"$UW/v3-healthy.json"
expect_status "standard input twice: exit 3" 3
run $RPIPERF compare --sort size "$UW/v3-io-bound.json" "$UW/v3-healthy.json"
expect_status "--sort size: exit 3" 3

# ---- how each run ended --------------------------------------------------------
run $RPIPERF compare "$UW/v3-healthy.json" "$UW/v3-failed.json"
verdict_has "a failed run is said to have failed, not to be slower" 'No run could be compared with v3-healthy\. Not compared \(partial throughput\): v3-failed failed at about 38 % of the write\.'
expect_no_out "a failed run is not a regression of the card" 'regressed'
run $RPIPERF compare "$UW/v3-cancelled.json" "$UW/v3-healthy.json"
verdict_has "a baseline that did not finish: nothing is compared with it" \
    'The baseline v3-cancelled was cancelled at about 30 % of the write: its throughput is partial'
# nothing is cut: a long label (an event type of a newer Imager) gets a
# line of its own, a long message wraps under its start
/usr/bin/python3 - "$UW/v3-healthy.json" "$TMP/newer.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for t in (1000, 2000, 3000):
    d["events"].append({"type": "someLongEventTypeOfANewerImagerRelease",
                        "startMs": t, "durationMs": 1500, "success": True})
json.dump(d, open(sys.argv[2], "w"), indent=4)
PY
run $RPIPERF compare "$UW/v3-healthy.json" "$TMP/newer.json"
expect_out "a long label stands whole on its own line" '^  someLongEventTypeOfANewerImagerRelease$'
expect_out "event counts read 'N in T'" '^ +0 +3 in 4\.5 s$'
run $RPIPERF compare tests/data/exports/v3-stalls-write15.json \
    tests/data/exports/v3-stalls-no-summaries.json
expect_out "a long change wraps under its message" '^                          image\) written$'
expect_no_out "no text is cut with ..." '\.\.\.'
run $RPIPERF compare "$UW/v3-healthy.json" tests/data/exports/v3-healthy-write50.json
verdict_has "a report exported mid-write is said so, not compared" \
    'No run could be compared with healthy\. Not compared \(partial throughput\): healthy-write~ was exported while running \(in progress\) at about 50 % of the write\.'
run $RPIPERF compare --fail-slower 50 "$UW/v3-healthy.json" tests/data/exports/v3-healthy-write50.json
expect_status "--fail-slower 50 with a run exported mid-write: exit 1" 1
for later in v3-failed v3-cancelled v3-never-started; do
    run $RPIPERF compare --fail-slower 50 "$UW/v3-healthy.json" "$UW/$later.json"
    expect_status "--fail-slower 50 with a $later later run: exit 1" 1
done
run $RPIPERF compare --fail-slower 50 "$UW/v3-failed.json" "$UW/v3-healthy.json"
expect_status "--fail-slower with a baseline that did not finish: exit 1" 1
run $RPIPERF compare --fail-slower 0 "$UW/v3-healthy.json" "$UW/v3-healthy.json"
expect_status "--fail-slower 0: a run as fast as the baseline passes" 0
# the io-bound run's download (paced by the card) is 79 % slower, its write 73 %
run $RPIPERF compare --fail-slower 78 "$UW/v3-healthy.json" "$UW/v3-io-bound.json"
expect_status "--fail-slower 78: a phase 79 % slower is more" 1
run $RPIPERF compare --fail-slower 80 "$UW/v3-healthy.json" "$UW/v3-io-bound.json"
expect_status "--fail-slower 80: no phase is that much slower" 0
run $RPIPERF compare --fail-slower 50 "$TMP/fx/imager-2.0.2.json" "$TMP/fx/imager-2.0.4.json" "$TMP/fx/imager-2.0.2.json"
expect_status "--fail-slower: a failed run among finished ones: exit 1" 1

# ---- a dozen runs: 100 columns, markdown limit -------------------------------
run $RPIPERF compare --baseline 5 "$UW"/v3-*.json
expect_status "twelve runs: exit 0" 0
widest "twelve runs" "$TMP/out"
expect_out "twelve runs: long names shortened the same way everywhere" '^  long-customis~ +succeeded'
expect_out "twelve runs: the context wraps into blocks of runs" '^ +healthy\* +io-bound +long-customis~ +multi-cycle$'
verdict_has "twelve runs: the never-started run is said so" 'never-started never started: no write was captured'
# shellcheck disable=SC2046
run $RPIPERF compare -f markdown --baseline 5 "$UW"/v3-*.json
expect_out "twelve runs markdown: the verdict first" '^\*\*Verdict:\*\* '
mkdir -p "$TMP/many"
i=0
while [ "$i" -lt 160 ]; do
    ln -s "$PWD/$S/v3-io-bound.json" "$TMP/many/a-long-name-for-a-report-of-one-run-$i.json"
    i=$((i + 1))
done
run $RPIPERF compare -f markdown "$TMP/many"/*.json
n=$(wc -c <"$TMP/out")
if [ "$st" -eq 0 ] && [ "$n" -le 65536 ]; then ok "160 runs: markdown within 65,536 characters ($n bytes)"; else not_ok "160 runs: markdown within 65,536 characters ($n bytes, status $st)"; fi
expect_out "160 runs: what is left out is said" 'The rest is left out: a GitHub comment holds 65,536 characters'

# ---- the overlay chart ---------------------------------------------------------
run $RPIPERF compare --chart "$TMP/o.png" $FIVE
expect_status "--chart FILE.png: exit 0" 0
expect_out "--chart: the text is printed as well" '^Verdict$'
if $PY - "$TMP/o.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
w, h, depth, ctype = struct.unpack(">IIBB", data[16:26])
assert w == 1200 and 400 <= h <= 2000 and depth == 8 and ctype == 2, (w, h)
raw, pos = b"", 8
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    if kind == b"IDAT":
        raw += data[pos + 8:pos + 8 + n]
    pos += 12 + n
raw = zlib.decompress(raw)
stride = w * 3
prev, colours, ink = bytearray(stride), set(), 0
for y in range(h):
    f, row = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = row[i - 3] if i >= 3 else 0
        b, c = prev[i], prev[i - 3] if i >= 3 else 0
        if f == 1: row[i] = (row[i] + a) & 255
        elif f == 2: row[i] = (row[i] + b) & 255
        elif f == 3: row[i] = (row[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, 3):
        px = bytes(row[x:x + 3])
        if px != b"\xff\xff\xff":
            ink += 1
            colours.add(px)
    prev = row
assert ink > w * h // 40, ink            # not blank
# the five run colours (Paul Tol's first five) are drawn
for hexc in ("332288", "cc6677", "117733", "88ccee", "999933"):
    assert bytes.fromhex(hexc) in colours, hexc
PY
then ok "--chart: a 1200-pixel-wide PNG, not blank, with a colour per run"; else not_ok "--chart: a 1200-pixel-wide PNG, not blank, with a colour per run"; fi
# the committed example (README.md): drawn again, it is the same file
run $RPIPERF compare --width 900 --chart "$TMP/overlay.png" $S/v3-healthy.json \
    $S/v3-periodic-drops.json $S/v3-stall-gap.json $S/v3-io-bound.json \
    $S/v3-cancelled.json $S/v3-failed.json
if cmp -s "$TMP/overlay.png" samples/charts/compare-overlay.png; then
    ok "committed chart compare-overlay is what the code draws"
else
    not_ok "committed chart compare-overlay is what the code draws (run make charts)"
fi
if grep -A2 -F "](samples/charts/compare-overlay.png)" README.md | grep -q '^\*The '; then
    ok "README shows compare-overlay with a caption"; else not_ok "README shows compare-overlay with a caption"; fi
if grep -q 'compare-overlay.png' Makefile && grep -A6 '^COMPARE_RUNS' Makefile | tr -d '\\\n' |
    grep -q 'v3-healthy.json *samples/v3-periodic-drops.json *samples/v3-stall-gap.json *samples/v3-io-bound.json *samples/v3-cancelled.json *samples/v3-failed.json'; then
    ok "make charts redraws compare-overlay from the same samples"
else
    not_ok "make charts redraws compare-overlay from the same samples"
fi
run $RPIPERF compare --chart "$TMP/o.svg" "$UW/v3-healthy.json" "$UW/v3-io-bound.json"
if head -c 5 "$TMP/o.svg" | grep -q '<?xml' && grep -q '<svg' "$TMP/o.svg"; then ok "--chart FILE.svg writes SVG"; else not_ok "--chart FILE.svg writes SVG"; fi
run $RPIPERF compare --chart "$TMP/o.PDF" "$UW/v3-healthy.json" "$UW/v3-io-bound.json"
if head -c 5 "$TMP/o.PDF" | grep -q '%PDF-'; then ok "--chart FILE.PDF writes PDF"; else not_ok "--chart FILE.PDF writes PDF"; fi
run $RPIPERF compare --chart "$TMP/o.gif" "$UW/v3-healthy.json" "$UW/v3-io-bound.json"
expect_status "--chart FILE.gif: exit 3" 3
run $RPIPERF compare --chart "$UW/v3-healthy.json" "$UW/v3-healthy.json" "$UW/v3-io-bound.json"
expect_status "--chart naming an input: refused" 3
mkdir -p "$TMP/lonely"
cp "$BUILD/rpiperf" "$TMP/lonely/rpiperf"
run $VG "$TMP/lonely/rpiperf" compare --chart "$TMP/x.png" "$UW/v3-healthy.json" "$UW/v3-io-bound.json"
expect_status "--chart without rpiperf-render: status 6" 6

# ---- the page ------------------------------------------------------------------
# a report whose strings, and a file whose name, try to inject markup
cp "$UW/v3-io-bound.json" "$TMP/fx/<img src=x onerror=window.pwned=3>.json"
$PY - "$UW/v3-healthy.json" "$TMP/fx/evil.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["summary"]["imageName"] = '<img src=x onerror="window.pwned=1">OS'
for e in d["events"]:
    if e["type"] == "finalSync":
        e["metadata"] = '<script>window.pwned=2</script> & "quoted" \x1b[31m'
        e["success"] = False
json.dump(d, open(sys.argv[2], "w"), indent=4)
PY
run $RPIPERF compare --html "$TMP/page.html" "$UW/v3-healthy.json" "$TMP/fx/<img src=x onerror=window.pwned=3>.json" "$TMP/fx/evil.json" "$UW/v3-cancelled.json" "$UW/v2-healthy.json"
expect_status "--html: exit 0" 0
if grep -q '<script>window.pwned' "$TMP/page.html" || grep -q '<img src=x' "$TMP/page.html"; then
    not_ok "--html: report strings and file names are escaped"; else ok "--html: report strings and file names are escaped"; fi
if grep -Eq '(src|href)="(https?:)?//' "$TMP/page.html"; then not_ok "--html: no external resources"; else ok "--html: no external resources"; fi
if grep -q "$(printf '\033')" "$TMP/page.html"; then not_ok "--html: no raw escape character"; else ok "--html: no raw escape character"; fi
if command -v chromium >/dev/null 2>&1; then
    cp "$TMP/page.html" "$TMP/probe.html"
    cat >> "$TMP/probe.html" <<'JS'
<script>
window.addEventListener('load', function () {
  var imgs = document.querySelectorAll('#charts img'), ok = 0;
  imgs.forEach(function (i) { if (i.complete && i.naturalWidth > 0) ok++; });
  var ids = Array.prototype.map.call(document.querySelectorAll('#findings li'),
      function (li) { return li.getAttribute('data-id'); });
  var t = document.getElementById('table-phases');
  var before = t.tBodies[0].rows[0].cells[2].textContent;
  t.tHead.rows[0].cells[2].click();
  t.tHead.rows[0].cells[2].click();
  var after = t.tBodies[0].rows[0].cells[2].textContent;
  document.body.setAttribute('data-probe', 'images=' + ok + '/' + imgs.length +
      ' pwned=' + (window.pwned || 0) + ' findings=' + ids.join(',') +
      ' runs=' + document.querySelectorAll('#table-runs tbody tr').length +
      ' top=' + after + ' sorted=' + (before !== after) +
      ' verdict=' + document.querySelector('#verdict p').textContent.slice(0, 40));
});
</script>
JS
    timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking --disable-component-update \
        --disable-sync --user-data-dir="$TMP/profile" --virtual-time-budget=10000 \
        --dump-dom "file://$TMP/probe.html" > "$TMP/dom.html" 2>/dev/null
    probe=$(grep -o 'data-probe="[^"]*"' "$TMP/dom.html")
    echo "# $probe"
    case "$probe" in *"images=1/1"*) ok "Chromium: the overlay chart loaded";; *) not_ok "Chromium: the overlay chart loaded";; esac
    case "$probe" in *"pwned=0"*) ok "Chromium: nothing from a report or a file name ran";; *) not_ok "Chromium: nothing from a report or a file name ran";; esac
    case "$probe" in *"findings="*io-bound*failed-event*session-cancelled*) ok "Chromium: each run's findings are on the page";; *) not_ok "Chromium: each run's findings are on the page";; esac
    case "$probe" in *"runs=5"*) ok "Chromium: the five runs are listed";; *) not_ok "Chromium: the five runs are listed";; esac
    # two clicks on "avg": descending, the fastest phase first (verify of
    # the healthy run, 87.8 MB/s)
    case "$probe" in *"top=87.8 sorted=true"*) ok "Chromium: the phase table sorts";; *) not_ok "Chromium: the phase table sorts";; esac
    case "$probe" in *"verdict=With "*) ok "Chromium: the verdict is on the page";; *) not_ok "Chromium: the verdict is on the page";; esac
else
    not_ok "chromium is not installed (make check installs it)"
fi
finish
