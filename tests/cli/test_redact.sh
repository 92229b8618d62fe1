#!/bin/sh
# --redact: a report with an identifying string of each kind planted in its
# summary, system block and metadata (tests/data/redact/seeded.json, the
# strings in secrets.txt) goes through every output: analyse as text,
# markdown and JSON, the HTML page, and the three charts as SVG and as PDF
# (cairo draws text as glyph outlines in SVG, so the PDF's text, read back
# with pdftotext, is where the charts' words can be checked). No original
# may remain; the placeholders must be there instead.
. tests/cli/lib.sh
D=tests/data/redact
R=$D/seeded.json
O=$TMP/o
mkdir -p "$O"
case $RPIPERF in build/*) RPIPERF=$PWD/$RPIPERF ;; esac

# the seeded strings really are in the report's outputs without --redact
# (the markdown lists every event with its metadata)
$RPIPERF analyse -W "$R" >"$O/plain.txt" 2>/dev/null
$RPIPERF analyse -W --format markdown "$R" >>"$O/plain.txt" 2>/dev/null
missing=""
while IFS= read -r s; do
    grep -Fq -- "$s" "$O/plain.txt" || missing="$missing $s"
done <"$D/secrets.txt"
if [ -z "$missing" ]; then ok "without --redact every seeded string is shown"; else
    not_ok "without --redact every seeded string is shown (missing:$missing)"; fi

run $RPIPERF analyse -W --redact "$R"
cp "$TMP/out" "$O/analyse.txt"
expect_status "analyse --redact" 0
run $RPIPERF analyse -W --redact --format markdown "$R"
cp "$TMP/out" "$O/analyse.md"
run $RPIPERF analyse -W --redact --format json "$R"
cp "$TMP/out" "$O/analyse.json"
run $RPIPERF report --redact -o "$O/page.html" "$R"
expect_status "report --redact" 0
run $RPIPERF render --redact --format svg -o "$O" "$R"
expect_status "render --redact --format svg" 0
mkdir -p "$O/pdf"
run $RPIPERF render --redact --format pdf -o "$O/pdf" "$R"
expect_status "render --redact --format pdf" 0
if command -v pdftotext >/dev/null 2>&1; then
    for f in "$O"/pdf/*.pdf; do
        [ -f "$f" ] && pdftotext "$f" "$O/$(basename "$f" .pdf).pdf.txt"
    done
    pdf=yes
else
    echo "ok - # SKIP pdftotext (poppler-utils) is not installed: the charts' text is not read back"
    pdf=""
fi

for f in analyse.txt analyse.md analyse.json page.html seeded-timeline.svg \
    seeded-throughput.svg seeded-network.svg ${pdf:+seeded-timeline.pdf.txt \
    seeded-throughput.pdf.txt seeded-network.pdf.txt}; do
    if [ ! -s "$O/$f" ]; then
        not_ok "$f: no seeded string is left (the output is missing)"
        continue
    fi
    left=""
    while IFS= read -r s; do
        grep -Fq -- "$s" "$O/$f" || continue
        left="$left $s"
    done <"$D/secrets.txt"
    if [ -z "$left" ]; then ok "$f: no seeded string is left"; else
        not_ok "$f: no seeded string is left (found:$left)"
        grep -Fn -f "$D/secrets.txt" "$O/$f" | head -3 | sed 's/^/#   /'
    fi
done

# what took their place, the same in every output of one run
for p in image-1 device-1 description-1 user-1 host-1 serial-1; do
    if grep -q -- "$p" "$O/analyse.txt" && grep -q -- "$p" "$O/analyse.md" &&
        grep -q -- "$p" "$O/analyse.json"; then
        ok "placeholder $p in text, markdown and JSON"
    else
        not_ok "placeholder $p in text, markdown and JSON"
    fi
done
expect_line() {
    if grep -Fq -- "$2" "$O/analyse.txt"; then ok "$1"; else
        not_ok "$1 (text lacks \"$2\")"; fi
}
expect_line "a home directory keeps its shape" \
    "Could not write /home/user-1/.cache/Raspberry Pi/Imager/lastdownload.cache"
expect_line "a Windows home directory" 'C:\Users\user-2\AppData\Local\Temp\rpi.tmp'
expect_line "the host of a URL" "http://host-3:8080/images/sublist.json"
expect_line "the device: name, size, description" \
    "Device   device-1, 29.7 GB, description-1, USB, removable"
expect_line "the image" "Image    image-1, 5.5 GB"
# a status word of the Imager ("set") is not a name
if grep -Eq 'hostname: host-[0-9]+; username: user-[0-9]+; ssh: key-auth; wifi: set' \
    "$O/analyse.md"; then
    ok "a hostname and a user name are replaced, the Imager's 'set' is kept"
else
    not_ok "a hostname and a user name are replaced, the Imager's 'set' is kept"
fi
# the charts' text is read back for real: without --redact it has them
if [ -n "$pdf" ]; then
    mkdir -p "$O/plain"
    $RPIPERF render --format pdf --only timeline -o "$O/plain" "$R" >/dev/null 2>&1
    pdftotext "$O/plain/seeded-timeline.pdf" "$O/plain.pdf.txt" 2>/dev/null
    if grep -q "KarlsCustomImage" "$O/plain.pdf.txt"; then
        ok "without --redact the chart's text holds the image name"
    else
        not_ok "without --redact the chart's text holds the image name"
    fi
fi
if [ -n "$pdf" ] && grep -q "image-1" "$O/seeded-timeline.pdf.txt" &&
    grep -q "device-1" "$O/seeded-timeline.pdf.txt"; then
    ok "the charts' title has the placeholders"
elif [ -n "$pdf" ]; then
    not_ok "the charts' title has the placeholders"
fi
finish
