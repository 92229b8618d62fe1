#!/bin/sh
# The documentation lists what the code does: every rule, every event type
# with its expected maximum, every command, every exit status.
. tests/cli/lib.sh

$RPIPERF analyse --list-rules > "$TMP/rules" 2>&1
for id in $(grep -E '^[a-z]' "$TMP/rules" | awk '{print $1}'); do
    if grep -q "\`$id\`" README.md; then ok "README documents rule $id"; else not_ok "README documents rule $id"; fi
    esc=$(printf '%s' "$id" | sed 's/-/\\\\-/g')
    if grep -q -- "$esc" man/rpiperf.1; then ok "man page names rule $id"; else not_ok "man page names rule $id"; fi
done

# event types: README table row with the table's expected maximum
sed -n 's/^X(\([A-Z_]*\), *"\([^"]*\)", *\([A-Z]*\), *\([0-9]*\),.*/\2 \4/p' schema/event_types.def > "$TMP/types"
while read -r name max; do
    if [ "$max" = 0 ]; then want="-"; else want=$(awk -v m="$max" 'BEGIN { printf "%g s", m / 1000 }'); fi
    if grep -qF "| \`$name\` |" README.md && grep -F "| \`$name\` |" README.md | grep -qF "| $want |"; then
        ok "README lists $name with $want"; else not_ok "README lists $name with $want"; fi
done < "$TMP/types"

for cmd in validate analyse render report check compare; do
    if $RPIPERF --help | grep -q "^  $cmd "; then ok "--help lists $cmd"; else not_ok "--help lists $cmd"; fi
    if grep -q "rpiperf $cmd" README.md; then ok "README documents $cmd"; else not_ok "README documents $cmd"; fi
    if grep -q "^\.B $cmd" man/rpiperf.1; then ok "man page documents $cmd"; else not_ok "man page documents $cmd"; fi
    if $RPIPERF help $cmd | grep -q "exit status"; then ok "help $cmd gives exit statuses"; else not_ok "help $cmd gives exit statuses"; fi
done
for n in 0 1 2 3 4 5; do
    if grep -q "^| $n |" README.md; then ok "README documents exit status $n"; else not_ok "README documents exit status $n"; fi
    if grep -A0 "^\.B $n\$" man/rpiperf.1 | grep -q .; then ok "man page documents exit status $n"; else not_ok "man page documents exit status $n"; fi
done
finish
