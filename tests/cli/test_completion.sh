#!/bin/sh
# Shell completion: the script the build made is the one the program
# prints from its own tables; bash loads it and registers it with
# `complete`, and the function it registers offers the commands, the
# options of each command, the values of options with choices, the rule
# settings after --set, files and directories. It cannot drift: every
# option of every command's help and every rule of --list-rules is
# offered.
. tests/cli/lib.sh
comp=$BUILD/completion/rpiperf

if ! command -v bash >/dev/null 2>&1; then
    echo "ok - # SKIP bash is not installed"
    finish
    exit
fi
$RPIPERF --completion bash >"$TMP/printed" 2>"$TMP/err"
if cmp -s "$TMP/printed" "$comp"; then
    ok "the build's completion script is what rpiperf --completion bash prints"
else
    not_ok "the build's completion script is what rpiperf --completion bash prints"
fi
run $RPIPERF --completion fish
expect_status "--completion of another shell: bad usage" 3

# drive WORD...: the words of a command line as bash splits them (with
# COMP_WORDBREAKS: "--format=" is "--format" "="), the last being the one
# completed; calls the function `complete` registered and prints what it
# offers, one per line, sorted
cat >"$TMP/drive.sh" <<'EOF'
. "$1" || exit 2
shift
fn=$(complete -p rpiperf | sed -n 's/.*-F \([^ ]*\) rpiperf$/\1/p')
[ -n "$fn" ] || { echo "no completion registered for rpiperf" >&2; exit 2; }
COMP_WORDS=("$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
"$fn" rpiperf "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}" | sort
EOF
offers() { bash "$TMP/drive.sh" "$comp" rpiperf "$@" | tr '\n' ' ' | sed 's/ $//'; }

# expect_offers NAME WANT WORD...: exactly WANT (sorted, one space apart)
expect_offers() {
    name=$1
    want=$2
    shift 2
    got=$(offers "$@")
    if [ "$got" = "$want" ]; then ok "$name"; else not_ok "$name (got: $got)"; fi
}
# expect_has NAME REGEX WORD... / expect_lacks: among the words offered
expect_has() {
    name=$1
    re=$2
    shift 2
    if offers "$@" | tr ' ' '\n' | grep -Eq -- "$re"; then ok "$name"; else
        not_ok "$name (got: $(offers "$@"))"; fi
}
expect_lacks() {
    name=$1
    re=$2
    shift 2
    if offers "$@" | tr ' ' '\n' | grep -Eq -- "$re"; then
        not_ok "$name (got: $(offers "$@"))"; else ok "$name"; fi
}

if bash -c ". '$comp' && complete -p rpiperf" 2>/dev/null | grep -q -- '-F _rpiperf rpiperf$'; then
    ok "bash registers the completion with complete -F"
else
    not_ok "bash registers the completion with complete -F"
fi

# commands
expect_offers "the commands" "analyse analyze check compare help render report validate" ""
expect_offers "a command from its first letters" "check" ch
expect_offers "the global options" "--completion --help --version" --
expect_offers "the shells of --completion" "bash" --completion ""
expect_offers "help COMMAND" "analyse analyze" help an

# the options of each command, and only those
expect_has "check offers --include" '^--include$' check --
expect_has "check offers --exclude" '^--exclude$' check --
expect_has "check offers --reports-only" '^--reports-only$' check --
expect_has "check offers --markdown" '^--markdown$' check --
expect_lacks "check does not offer analyse's --format" '^--format$' check --
expect_has "analyse offers --format" '^--format$' analyse --
expect_lacks "analyse does not offer check's --junit" '^--junit$' analyse --
expect_offers "options after the files too" "--redact --rules" compare a.json --r
# every option of every command's help is offered for that command
for cmd in validate analyse check compare render report; do
    missing=""
    for o in $($RPIPERF help $cmd | sed -n 's/^ *\(-[A-Za-z], \)\{0,1\}\(--[a-z-]*\).*/\2/p'); do
        offers $cmd -- | tr ' ' '\n' | grep -qx -- "$o" || missing="$missing $o"
    done
    if [ -z "$missing" ]; then ok "$cmd: every option of its help is offered"; else
        not_ok "$cmd: every option of its help is offered (missing:$missing)"; fi
done

# the values of options
expect_offers "-f of analyse: the formats" "json markdown text" analyse -f ""
expect_offers "--format of render: the image formats" "pdf png svg" render --format ""
expect_offers "--format=: the formats after the '='" "json markdown text" analyse --format =
expect_offers "--format=j" "json" analyse --format = j
expect_offers "--fail-on" "warning" check --fail-on w
expect_offers "--color" "always auto never" analyse --color ""
expect_offers "a value to type: nothing offered" "" check -j ""

# rule settings after --set
expect_offers "--set RULE.: its parameters" "slow-final-sync.max_ms=" analyse --set slow-final-sync.
expect_offers "--set RULE: the rule's level and parameters" \
    "slow-final-sync.max_ms= slow-final-sync=" check --set slow-final
expect_offers "--set RULE=: the levels" "error info off warning" analyse --set io-bound =
expect_offers "--set RULE=w: a level" "warning" analyse --set io-bound = w
expect_offers "--set RULE.PARAM=: a number, nothing offered" "" analyse --set slow-final-sync.max_ms =
$RPIPERF analyse --list-rules 2>/dev/null | sed -n 's/^\([a-z][a-z0-9-]*\) .*/\1/p' >"$TMP/rules"
missing=""
while read -r id; do
    offers analyse --set "" | tr ' ' '\n' | grep -qx -- "$id=" || missing="$missing $id"
done <"$TMP/rules"
if [ -s "$TMP/rules" ] && [ -z "$missing" ]; then
    ok "--set offers every rule of --list-rules ($(wc -l <"$TMP/rules"))"
else
    not_ok "--set offers every rule of --list-rules (missing:$missing)"
fi

# files and directories
mkdir -p "$TMP/c/reports"
: >"$TMP/c/run.json"
expect_offers "files for a report" "$TMP/c/reports $TMP/c/run.json" check "$TMP/c/"
expect_offers "files for --rules" "$TMP/c/run.json" analyse --rules "$TMP/c/ru"
expect_offers "only directories for render -o" "$TMP/c/reports" render -o "$TMP/c/"
finish
