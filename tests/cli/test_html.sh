#!/bin/sh
# rpiperf report / analyse --html: a self-contained page that opens in
# Chromium with its findings and three images, and whose report strings
# stay text.
. tests/cli/lib.sh
UW=$REF/upstream-writer

# a report whose strings try to inject markup and script
/usr/bin/python3 - "$UW/v3-io-bound.json" "$TMP/evil.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["summary"]["imageName"] = '<img src=x onerror="window.pwned=1">OS'
for e in d["events"]:
    if e["type"] == "finalSync":
        e["metadata"] = '<script>window.pwned=2</script> & "quoted" \x1b[31m'
        e["success"] = False
json.dump(d, open(sys.argv[2], "w"), indent=4)
PY

run $RPIPERF report -o "$TMP/page.html" "$TMP/evil.json"
expect_status "report writes the page" 0
expect_out "report prints the path" "page.html"
run $RPIPERF analyse --html "$TMP/page2.html" "$UW/v3-io-bound.json"
expect_status "analyse --html writes the page" 0
cp "$UW/v3-healthy.json" "$TMP/healthy.json"
run $RPIPERF report "$TMP/healthy.json"
if [ -f "$TMP/healthy.html" ]; then ok "default page name NAME.html"; else not_ok "default page name NAME.html"; fi
run $RPIPERF report - < "$UW/v3-healthy.json"
expect_status "stdin without -o is refused" 3
run $RPIPERF report -o "$TMP/evil.json" "$TMP/evil.json"
expect_status "the input is never overwritten" 4

if grep -q '<script>window.pwned' "$TMP/page.html"; then not_ok "report strings are escaped"; else ok "report strings are escaped"; fi
if grep -q '&lt;script&gt;window.pwned=2&lt;/script&gt;' "$TMP/page.html"; then ok "the script text is shown as text"; else not_ok "the script text is shown as text"; fi
if grep -Eq '(src|href)="(https?:)?//' "$TMP/page.html"; then not_ok "no external resources"; else ok "no external resources"; fi
if [ "$(grep -o 'src="data:image/png;base64,' "$TMP/page.html" | wc -l)" -eq 3 ]; then ok "three charts embedded as PNG"; else not_ok "three charts embedded as PNG"; fi
if grep -q "$(printf '\033')" "$TMP/page.html"; then not_ok "no raw escape character"; else ok "no raw escape character"; fi

run $RPIPERF report --redact -o "$TMP/red.html" "$UW/v3-windows-slow-prepare.json"
if grep -q 'PhysicalDrive' "$TMP/red.html"; then not_ok "--redact hides the device path everywhere"; else ok "--redact hides the device path everywhere"; fi
# no image and no device: nothing to redact, and no placeholder invented
run $RPIPERF report --redact -o "$TMP/none.html" "$UW/v3-never-started.json"
if grep -q '<title>rpiperf: no write captured</title>' "$TMP/none.html" &&
   [ "$(grep -o '<td>(none)</td>' "$TMP/none.html" | wc -l)" -eq 2 ] &&
   ! grep -Eq 'image-[0-9]|device-[0-9]' "$TMP/none.html"; then
    ok "--redact leaves a page without image or device as it is"
else
    not_ok "--redact leaves a page without image or device as it is"
fi

# Chromium: the page opens, shows the findings, the images decode, and
# nothing from the report ran
if command -v chromium >/dev/null 2>&1; then
    cp "$TMP/page.html" "$TMP/probe.html"
    cat >> "$TMP/probe.html" <<'JS'
<script>
window.addEventListener('load', function () {
  var imgs = document.querySelectorAll('#charts img'), ok = 0;
  imgs.forEach(function (i) { if (i.complete && i.naturalWidth > 0) ok++; });
  var ids = Array.prototype.map.call(document.querySelectorAll('#findings li'),
      function (li) { return li.getAttribute('data-id'); });
  var t = document.getElementById('table-events');
  var before = t.tBodies[0].rows[0].cells[3].textContent;
  t.tHead.rows[0].cells[3].click();
  t.tHead.rows[0].cells[3].click();
  var after = t.tBodies[0].rows[0].cells[3].textContent;
  document.body.setAttribute('data-probe', 'images=' + ok + '/' + imgs.length +
      ' pwned=' + (window.pwned || 0) + ' findings=' + ids.join(',') +
      ' longest=' + after + ' sorted=' + (before !== after));
});
</script>
JS
    timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking --disable-component-update \
        --disable-sync --user-data-dir="$TMP/profile" --virtual-time-budget=10000 \
        --dump-dom "file://$TMP/probe.html" > "$TMP/dom.html" 2>/dev/null
    probe=$(grep -o 'data-probe="[^"]*"' "$TMP/dom.html")
    echo "# $probe"
    case "$probe" in *"images=3/3"*) ok "Chromium: the three images loaded";; *) not_ok "Chromium: the three images loaded";; esac
    case "$probe" in *"pwned=0"*) ok "Chromium: nothing from the report ran";; *) not_ok "Chromium: nothing from the report ran";; esac
    case "$probe" in *"findings="*io-bound*slow-final-sync*) ok "Chromium: the findings are on the page";; *) not_ok "Chromium: the findings are on the page";; esac
    case "$probe" in *"failed-event"*) ok "Chromium: the injected failure shows as a finding";; *) not_ok "Chromium: the injected failure shows as a finding";; esac
    # two clicks on "duration": descending, the longest event first
    # (writeRingBufferStats, 233612 ms, in this report)
    case "$probe" in *"longest=3 min 53 s sorted=true"*) ok "Chromium: tables sort by a column";; *) not_ok "Chromium: tables sort by a column";; esac
else
    not_ok "chromium is not installed (make check installs it)"
fi
finish
