#!/bin/sh
# rpiperf validate: the reference reports, the malformed corpus
# (tests/data/invalid with its .expect files), the warnings corpus
# (tests/data/warn), standard input, several files, unreadable and special
# files, the options, and file names that carry escape sequences.
. tests/cli/lib.sh

ESC=$(printf '\033')

# expect_err_fixed NAME TEXT: stderr holds TEXT, taken literally
expect_err_fixed() {
    if grep -Fq -- "$2" "$TMP/err"; then ok "$1"; else
        not_ok "$1 (stderr lacks \"$2\")"; head -5 "$TMP/err" | sed 's/^/#   /'
    fi
}
expect_out_fixed() {
    if joined "$TMP/out" | grep -Fqx -- "$2"; then ok "$1"; else
        not_ok "$1 (stdout lacks the line \"$2\")"; head -5 "$TMP/out" | sed 's/^/#   /'
    fi
}
expect_empty() {
    if [ -s "$TMP/$2" ]; then
        not_ok "$1 (std$2 is not empty)"; head -5 "$TMP/$2" | sed 's/^/#   /'
    else ok "$1"; fi
}
# field NAME FILE.expect: the value of "NAME: value" in an .expect file
field() { sed -n "s/^$1: //p" "$2" | head -1; }

# ---- the reference reports ---------------------------------------------
n=0
for f in "$REF"/upstream-writer/*.json "$REF"/examples/*.json; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    run $RPIPERF validate "$f"
    if [ "$st" -eq 0 ] && grep -Eq "^$f: ok, version [23], [0-9]+ events?" "$TMP/out" &&
        [ ! -s "$TMP/err" ]; then
        ok "valid without warnings: $f"
    else
        not_ok "valid without warnings: $f (status $st)"
        head -3 "$TMP/err" | sed 's/^/#   /'
    fi
done
if [ "$n" -eq 26 ]; then ok "all 26 reference reports found"; else
    not_ok "all 26 reference reports found ($n)"; fi

# counts from the one-line summaries of upstream-writer/README.md
W=$REF/upstream-writer
run $RPIPERF validate "$W/v3-healthy.json" "$W/v2-cap.json" "$W/v3-never-started.json" \
    "$W/v2-failed.json" "$W/v3-multi-cycle.json"
expect_status "five reference reports at once" 0
expect_out_fixed "v3-healthy counts" \
    "$W/v3-healthy.json: ok, version 3, 47 events, download 111 slices, decompress 114 slices, write 115 slices, verify 59 slices"
expect_out_fixed "v2-cap counts" \
    "$W/v2-cap.json: ok, version 2, 6 events, download 660 slices, write 660 slices, verify 125 slices"
expect_out_fixed "v3-never-started has no slices" \
    "$W/v3-never-started.json: ok, version 3, 9 events"
expect_out_fixed "v2-failed has no verify slices" \
    "$W/v2-failed.json: ok, version 2, 5 events, download 67 slices, write 66 slices"
expect_out_fixed "v3-multi-cycle counts" \
    "$W/v3-multi-cycle.json: ok, version 3, 88 events, download 158 slices, decompress 170 slices, write 173 slices, verify 65 slices"

# ---- the malformed corpus: status 2 and the place of the problem ---------
n=0
for f in tests/data/invalid/*.json; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    e=${f%.json}.expect
    path=$(field path "$e")
    line=$(field line "$e")
    col=$(field column "$e")
    msg=$(field message "$e")
    if [ -n "$line" ]; then
        where="$f:$line:$col: "
    elif [ -n "$path" ]; then
        where="$f: $path: "
    else
        where="$f: "
    fi
    run $RPIPERF validate "$f"
    if [ "$st" -eq "$(field status "$e")" ] && [ ! -s "$TMP/out" ] &&
        grep -F -- "$where" "$TMP/err" | grep -Fq -- "$msg"; then
        ok "rejected with its place: $f"
    else
        not_ok "rejected with its place: $f (status $st; want \"$where...$msg\")"
        head -3 "$TMP/err" | sed 's/^/#   /'
    fi
done
if [ "$n" -ge 100 ]; then ok "the malformed corpus has $n files"; else
    not_ok "the malformed corpus has only $n files"; fi

# ---- accepted with a warning ---------------------------------------------
n=0
for f in tests/data/warn/*.json; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    e=${f%.json}.expect
    path=$(field path "$e")
    line=$(field line "$e")
    col=$(field column "$e")
    msg=$(field message "$e")
    if [ -n "$line" ]; then
        where="$f:$line:$col: warning: "
    else
        where="$f: warning: $path: "
    fi
    run $RPIPERF validate "$f"
    if [ "$st" -eq 0 ] && grep -q "^$f: ok, version" "$TMP/out" &&
        grep -F -- "$where" "$TMP/err" | grep -Fq -- "$msg"; then
        ok "accepted with a warning: $f"
    else
        not_ok "accepted with a warning: $f (status $st; want \"$where...$msg\")"
        head -3 "$TMP/err" | sed 's/^/#   /'
    fi
done
if [ "$n" -ge 7 ]; then ok "the warnings corpus has $n files"; else
    not_ok "the warnings corpus has only $n files"; fi
run $RPIPERF validate -W tests/data/warn/*.json
expect_status "-W: the warnings corpus is valid" 0
expect_empty "-W hides every warning" err
if [ "$(grep -c ': ok, version' "$TMP/out")" -eq "$n" ]; then
    ok "-W: every file is reported ok"
else not_ok "-W: every file is reported ok"; fi

# ---- standard input ------------------------------------------------------
run $RPIPERF validate - <"$W/v2-healthy.json"
expect_status "stdin: valid" 0
expect_out_fixed "stdin is named <stdin>" \
    "<stdin>: ok, version 2, 10 events, download 111 slices, write 115 slices, verify 59 slices"
run $RPIPERF validate - <tests/data/invalid/slice-15-numbers.json
expect_status "stdin: invalid" 2
expect_err_fixed "stdin: the problem is named" \
    '<stdin>: $.histograms.write[1]: expected 16 numbers, got 15'
run $RPIPERF validate - </dev/null
expect_status "stdin: empty" 2
expect_err_fixed "stdin: empty is said" "<stdin>: empty file"
cat "$W/v3-failed.json" | $RPIPERF validate - >"$TMP/out" 2>"$TMP/err"
st=$?
expect_status "stdin: a pipe" 0
expect_out "stdin: a pipe is read to its end" '^<stdin>: ok, version 3, 20 events'

# ---- several files, one bad ---------------------------------------------
run $RPIPERF validate "$W/v2-stalls.json" tests/data/invalid/window-zero.json "$W/v3-stalls.json"
expect_status "several files with one bad: status 2" 2
expect_out "several files: the first good one is reported" "^$W/v2-stalls.json: ok, version 2, 6 events"
expect_out "several files: the one after the bad one is reported" "^$W/v3-stalls.json: ok, version 3, 44 events"
expect_err_fixed "several files: the bad one is named" \
    'tests/data/invalid/window-zero.json: $.schema.histogramWindowMs: window of 0 ms is out of range'
expect_no_out "several files: the bad one is not called ok" "window-zero.json: ok"

# ---- files that cannot be read -------------------------------------------
run $RPIPERF validate tests/data
expect_status "a directory" 2
expect_err_fixed "a directory is said" "tests/data: is a directory, not a report"
run $RPIPERF validate "$TMP/no-such-file.json"
expect_status "a missing file" 2
expect_err_fixed "a missing file is said" "$TMP/no-such-file.json: cannot open: No such file or directory"
if [ "$(id -u)" -eq 0 ]; then
    echo "# skip: unreadable file (root reads any file)"
else
    cp "$W/v2-healthy.json" "$TMP/locked.json"
    chmod 000 "$TMP/locked.json"
    run $RPIPERF validate "$TMP/locked.json"
    expect_status "an unreadable file" 2
    expect_err_fixed "an unreadable file is said" "$TMP/locked.json: cannot open: Permission denied"
    chmod 600 "$TMP/locked.json"
fi
# FIFOs: the program that feeds one may open it after rpiperf does
mkfifo "$TMP/fifo"
# (a writer whose reader never comes gives up, instead of hanging the test)
timeout 60 sh -c 'sleep 1; cat "$1" >"$2"' sh "$W/v2-healthy.json" "$TMP/fifo" &
run $RPIPERF validate "$TMP/fifo"
wait
expect_status "a FIFO whose writer comes a second later" 0
expect_out "a FIFO whose writer comes later is read" "$TMP/fifo: ok, version 2"
timeout 60 sh -c 'sleep 1; exec 3>"$1"; exec 3>&-' sh "$TMP/fifo" &
run $RPIPERF validate "$TMP/fifo"
wait
expect_status "a FIFO whose writer writes nothing" 2
expect_err_fixed "a FIFO whose writer writes nothing is empty" "$TMP/fifo: empty file"
run $RPIPERF validate /dev/zero
expect_status "/dev/zero" 2
expect_err_fixed "/dev/zero is not text" "/dev/zero:1:1: not a text file: NUL byte at offset 0"

# ---- options -------------------------------------------------------------
run $RPIPERF validate --max-size 1K "$W/v3-healthy.json"
expect_status "--max-size 1K refuses a reference report" 2
expect_err_fixed "--max-size: the limit is said" \
    "$W/v3-healthy.json: file of 158297 bytes is above the size limit of 1024 bytes; not read"
expect_err_fixed "--max-size: how to raise it" "note: the size limit can be raised with --max-size"
run $RPIPERF validate --max-size 1M "$W/v3-healthy.json"
expect_status "--max-size 1M is enough" 0
run $RPIPERF validate --max-size 158297 "$W/v3-healthy.json"
expect_status "--max-size at the exact size is enough" 0
run $RPIPERF validate --max-size 158296 "$W/v3-healthy.json"
expect_status "--max-size one byte short is not" 2
run $RPIPERF validate --max-size lots "$W/v3-healthy.json"
expect_status "--max-size with a bad size" 3
expect_err "--max-size: the bad size is said" "expected a size above 0 such as 1048576, 512K, 256M or 2G, got \"lots\""

run $RPIPERF validate -q "$W/v3-io-bound.json" "$W/v2-io-bound.json"
expect_status "-q: valid files" 0
expect_empty "-q prints nothing for valid files" out
expect_empty "-q prints nothing on stderr for clean files" err
run $RPIPERF validate -q "$W/v3-io-bound.json" tests/data/invalid/version-9.json
expect_status "-q: an invalid file" 2
expect_empty "-q: still nothing on stdout" out
expect_err_fixed "-q: problems are still printed" \
    'tests/data/invalid/version-9.json: $.version: unsupported version 9'
run $RPIPERF validate -W tests/data/invalid/duration-negative.json
expect_status "-W: errors still fail" 2
expect_err_fixed "-W: errors are still printed" \
    'tests/data/invalid/duration-negative.json: $.events[2].durationMs: expected a non-negative integer, got negative -5'

run $RPIPERF validate --help
expect_status "validate --help" 0
expect_out "validate --help shows the usage" "^usage: rpiperf validate"
expect_out "validate --help names --max-size" "--max-size SIZE"
run $RPIPERF help validate
expect_status "help validate" 0
expect_out "help validate shows the usage" "^usage: rpiperf validate"
run $RPIPERF --version
expect_status "--version" 0
expect_out "--version names the program" "^rpiperf [0-9]+\.[0-9]+\.[0-9]+"
run $RPIPERF validate --frobnicate "$W/v3-healthy.json"
expect_status "an unknown option" 3
expect_empty "an unknown option validates nothing" out
run $RPIPERF validate
expect_status "no FILE" 3
expect_err "no FILE is said" "no FILE given"

# ---- more than 64 problems: the rest are counted ---------------------------
{
    sed -n '1,/"write": \[/p' tests/data/invalid/slice-15-numbers.json
    i=0
    while [ $i -lt 99 ]; do printf '            [%d],\n' $i; i=$((i + 1)); done
    sed -n '/"write": \[/,$p' tests/data/invalid/slice-15-numbers.json | sed 1d
} >"$TMP/many.json"
run $RPIPERF validate "$TMP/many.json"
expect_status "100 problems" 2
if [ "$(grep -c "^$TMP/many.json: \\\$.histograms.write\[" "$TMP/err")" -eq 64 ]; then
    ok "100 problems: 64 are listed"
else
    not_ok "100 problems: 64 are listed ($(grep -c "histograms" "$TMP/err"))"
fi
expect_err_fixed "100 problems: the rest are counted" "$TMP/many.json: ... and 36 more errors"

# ---- names with escape sequences are printed visibly ------------------------
bad="$TMP/evil${ESC}[31mred.json"
good="$TMP/fine${ESC}]0;title${ESC}\\.json"
cp tests/data/invalid/throughput-unit-mbps.json "$bad"
cp "$W/v2-never-started.json" "$good"
run $RPIPERF validate "$bad" "$good"
expect_status "escape names: one bad" 2
if grep -q "$ESC" "$TMP/out" "$TMP/err"; then
    not_ok "no raw ESC byte reaches the terminal"
    od -c "$TMP/err" | head -3 | sed 's/^/#   /'
else
    ok "no raw ESC byte reaches the terminal"
fi
expect_err_fixed "the bad name is shown with ESC made visible" 'evil\x1b[31mred.json: $.schema.throughputUnit'
expect_out_fixed "the good name is shown with ESC made visible" \
    "$TMP/fine\\x1b]0;title\\x1b\\.json: ok, version 2, 9 events"

finish
