#!/bin/sh
# Output files: written whole (a temporary file created exclusively, then
# renamed), never through a link planted at the temporary name, never over
# an input (by name, hard link or symbolic link), and a failed write keeps
# the old file and leaves nothing behind. render refuses an output
# directory that does not exist.
. "$(dirname "$0")/lib.sh"
case $RPIPERF in build/*) RPIPERF=$PWD/$RPIPERF ;; esac
R=tests/data/hostile/negative-zero.json
D=$TMP/d
mkdir -p "$D"
cp "$R" "$D/in.json"
cp "$R" "$D/other.json"
sum() { cksum <"$1"; }
orig=$(sum "$D/in.json")

# left_over NAME: no temporary file is left in $D
left_over() {
    if ls -A "$D" | grep -q '^\.rpiperf-'; then
        not_ok "$1: no temporary file is left"
        ls -A "$D" | sed 's/^/#   /'
        rm -f "$D"/.rpiperf-*
    else
        ok "$1: no temporary file is left"
    fi
}
unchanged() {
    if [ "$(sum "$D/in.json")" = "$orig" ]; then ok "$1: the input is unchanged"
    else not_ok "$1: the input is unchanged"; cp "$R" "$D/in.json"; fi
}

# ---- never over the input ----------------------------------------------------
ln "$D/in.json" "$D/hard.json"
ln -s in.json "$D/soft.json"
for target in in.json hard.json soft.json; do
    run $RPIPERF analyse -o "$D/$target" "$D/in.json"
    expect_status "analyse -o $target (the input) is refused" 4
    expect_err "analyse -o $target: says why" "refusing to overwrite the input file"
    unchanged "analyse -o $target"
    run $RPIPERF compare -o "$D/$target" "$D/other.json" "$D/in.json"
    expect_status "compare -o $target (an input) is refused" 4
    unchanged "compare -o $target"
    run $RPIPERF check --junit "$D/$target" "$D/in.json"
    expect_status "check --junit $target (an input) is refused" 4
    unchanged "check --junit $target"
    run $RPIPERF check --json "$D/$target" "$D/other.json" "$D/in.json"
    expect_status "check --json $target (an input) is refused" 4
    unchanged "check --json $target"
done
if [ -L "$D/soft.json" ]; then ok "the symbolic link is left alone"; else
    not_ok "the symbolic link is left alone"; fi
# render: a chart's name that is a hard link to the input
mkdir -p "$D/charts"
ln "$D/in.json" "$D/charts/in-timeline.png"
run $RPIPERF render -o "$D/charts" "$D/in.json"
expect_status "render over a hard link to the input is refused" 4
expect_err "render: says which file" "refusing to overwrite the input file .*in-timeline.png"
unchanged "render -o DIR with a link to the input in it"
if [ -f "$D/charts/in-throughput.png" ]; then
    ok "render: the other charts are still written"
else
    not_ok "render: the other charts are still written"
fi
rm -rf "$D/charts"
left_over "refused outputs"

# a file name with an escape sequence in the refusal is shown, not obeyed
esc=$(printf '\033')
cp "$R" "$D/evil${esc}[2J.json"
run $RPIPERF analyse -o "$D/evil${esc}[2J.json" "$D/evil${esc}[2J.json"
expect_status "a refused name with ESC in it" 4
if grep -q "$esc" "$TMP/err"; then not_ok "the refusal shows no raw ESC"; else
    ok "the refusal shows no raw ESC"; fi
expect_err "the refusal names the file visibly" 'evil\\x1b\[2J\.json'
rm -f "$D/evil${esc}[2J.json"

# ---- render: the output directory must exist -----------------------------
run $RPIPERF render -o "$D/no-such-dir" "$D/in.json"
expect_status "render -o a missing directory" 4
expect_err "render -o a missing directory: says so" "output directory .*no-such-dir does not exist"
if [ -e "$D/no-such-dir" ]; then not_ok "render does not create the directory"; else
    ok "render does not create the directory"; fi
run $RPIPERF render -o "$D/in.json" "$D/in.json"
expect_status "render -o a file" 4
expect_err "render -o a file: says so" "is not a directory"
unchanged "render -o the input itself"

# ---- a named symbolic link is replaced, its target is not written ------------
echo "keep me" >"$D/target.txt"
ln -s target.txt "$D/link.txt"
run $RPIPERF analyse -o "$D/link.txt" "$D/in.json"
expect_status "analyse -o a symbolic link" 0
if [ "$(cat "$D/target.txt")" = "keep me" ] && [ ! -L "$D/link.txt" ] &&
    grep -q 'rpiperf analysis' "$D/link.txt"; then
    ok "the output replaces the link; the file it pointed to is not written"
else
    not_ok "the output replaces the link; the file it pointed to is not written"
fi

# ---- a failed write keeps the old file and leaves nothing behind -----------
# (a file size limit of 0 makes every write fail with EFBIG; SIGXFSZ is
# ignored so that the write returns the error instead of killing)
# limited CMD...: runs it so; standard error (through a pipe, which the
# limit does not apply to) in $TMP/err, the status in $st
# (valgrind's gdb server needs a file of its own: it is turned off here)
limited() {
    if [ "$1" = valgrind ]; then
        shift
        set -- valgrind --vgdb=no "$@"
    fi
    { (trap '' XFSZ; ulimit -f 0; exec "$@" >/dev/null) 2>&1
      echo $? >"$TMP/st"; } | cat >"$TMP/err"
    st=$(cat "$TMP/st")
}
echo old >"$D/out.txt"
echo old >"$D/out.xml"
echo old >"$D/out.json"
limited $RPIPERF analyse -o "$D/out.txt" "$D/in.json"
expect_status "analyse -o: a failed write" 4
expect_err "analyse -o: a failed write is said" "cannot write .*out.txt"
if [ "$(cat "$D/out.txt")" = old ]; then ok "analyse -o: the old file is kept"; else
    not_ok "analyse -o: the old file is kept"; fi
left_over "analyse -o: a failed write"
limited $RPIPERF check --junit "$D/out.xml" --json "$D/out.json" "$D/in.json"
expect_status "check --junit --json: a failed write" 4
expect_err "check: a failed write is said" "cannot write"
if [ "$(cat "$D/out.xml")" = old ] && [ "$(cat "$D/out.json")" = old ]; then
    ok "check: the old files are kept"
else
    not_ok "check: the old files are kept"
fi
left_over "check: a failed write"
mkdir -p "$D/charts"
limited $RPIPERF render -o "$D/charts" "$D/in.json"
expect_status "render: a failed write" 4
if [ -z "$(ls -A "$D/charts")" ]; then ok "render: a failed write leaves nothing"; else
    not_ok "render: a failed write leaves nothing"; ls -A "$D/charts" | sed 's/^/#   /'; fi
rm -rf "$D/charts"

# ---- temporary files: created exclusively, never opened again by name -------
# Every file the commands open for writing is a fresh temporary file
# created with O_CREAT|O_EXCL (so a link planted at its name makes the
# creation fail instead of being followed), and no temporary file is ever
# opened again by its name.
if command -v strace >/dev/null 2>&1 && strace -f -o /dev/null true 2>/dev/null; then
    mkdir -p "$D/charts"
    for cmd in "analyse -o $D/a.txt $D/in.json" \
        "compare -o $D/c.txt $D/in.json $D/other.json" \
        "check --junit $D/j.xml --json $D/j.json $D/in.json" \
        "render -o $D/charts $D/in.json"; do
        # shellcheck disable=SC2086
        strace -f -qq -e trace=open,openat,creat -o "$TMP/trace" \
            ${RPIPERF##* } $cmd >/dev/null 2>&1
        name=${cmd%% *}
        bad=$(grep -E 'O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|creat\(' "$TMP/trace" |
            grep -v '/dev/null' | grep -vE '"[^"]*\.rpiperf-[^"/]*", O_RDWR\|O_CREAT\|O_EXCL')
        again=$(grep -E '\.rpiperf-[^"/]*"' "$TMP/trace" | grep -v 'O_CREAT|O_EXCL')
        if [ -z "$bad" ] && [ -z "$again" ] && grep -q '\.rpiperf-' "$TMP/trace"; then
            ok "$name: writes only through exclusively created temporary files"
        else
            not_ok "$name: writes only through exclusively created temporary files"
            printf '%s\n%s\n' "$bad" "$again" | head -3 | sed 's/^/#   /'
        fi
    done
    rm -rf "$D/charts"
else
    echo "ok - # SKIP strace is not available"
fi
left_over "all commands"

finish
