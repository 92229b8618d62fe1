# Shared by the hostile-input tests (test_hostile.sh, test_hostile_files.sh),
# sourced after lib.sh: the outcheck.py checker of outputs, check_outputs
# and matrix (every command and output on one file).
PY=${PYTHON:-/usr/bin/python3}
H=tests/data/hostile

# What no output shown on a terminal or a page may hold, and what every
# JSON output must be. Usage: outcheck.py safe|json|nonneg FILE...
cat >"$TMP/outcheck.py" <<'EOF'
import json, re, sys
RAW = re.compile(rb'[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r|\xc2[\x80-\x9f]|'
                 rb'\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]|'
                 rb'\xd8\x9c|\xef\xbb\xbf')
bad = 0
for fn in sys.argv[2:]:
    data = open(fn, 'rb').read()
    if sys.argv[1] == 'safe':
        m = RAW.search(data)
        if m:
            print('# %s: raw %r at byte %d' % (fn, m.group(), m.start()))
            bad += 1
        continue
    try:
        doc = json.loads(data)
    except ValueError as e:
        print('# %s: not JSON: %s' % (fn, e))
        bad += 1
        continue
    if sys.argv[1] == 'nonneg':
        def walk(x, path):
            global bad
            if isinstance(x, dict):
                for k, v in x.items():
                    walk(v, path + '.' + k)
            elif isinstance(x, list):
                for v in x:
                    walk(v, path + '[]')
            elif isinstance(x, (int, float)) and not isinstance(x, bool) \
                    and x < 0:
                print('# %s: negative %s at %s' % (fn, x, path))
                bad += 1
        walk(doc, '$')
sys.exit(1 if bad else 0)
EOF

# check_outputs NAME: the outputs of the last matrix were all safe
check_outputs() {
    name=$1
    texts=$(ls "$TMP/o/"* 2>/dev/null | grep -v '\.png$')
    # shellcheck disable=SC2086
    if "$PY" "$TMP/outcheck.py" safe $texts >"$TMP/why"; then
        ok "$name: no raw control, escape or bidi character in any output"
    else
        not_ok "$name: no raw control, escape or bidi character in any output"
        head -5 "$TMP/why"
    fi
    js=$(find "$TMP/o" -name '*.json' -size +0 | sort)
    if [ -n "$js" ]; then
        # shellcheck disable=SC2086
        if "$PY" "$TMP/outcheck.py" json $js >"$TMP/why"; then
            ok "$name: every JSON output parses"
        else
            not_ok "$name: every JSON output parses"
            head -5 "$TMP/why"
        fi
    fi
    if [ -s "$TMP/o/analyse.json" ]; then
        # shellcheck disable=SC2046
        if "$PY" "$TMP/outcheck.py" nonneg $(ls "$TMP/o/analyse"*.json) \
            >"$TMP/why"; then
            ok "$name: no negative number in the analysis"
        else
            not_ok "$name: no negative number in the analysis"
            head -5 "$TMP/why"
        fi
    fi
    if [ -s "$TMP/o/junit.xml" ]; then
        if xmllint --noout "$TMP/o/junit.xml" 2>"$TMP/why"; then
            ok "$name: the JUnit file is well-formed XML"
        else
            not_ok "$name: the JUnit file is well-formed XML"
            head -3 "$TMP/why"
        fi
    fi
}

# matrix FILE WANT [full]: every command on FILE; WANT is 0 (a report) or 2
# (refused). Outputs go to $TMP/o. Under valgrind (slow) only analyse (in
# the three formats), check and validate run, unless "full" is given: the
# other outputs are the same code, which the sanitizer run checks as well.
matrix() {
    f=$1
    want=$2
    full=${3:-}
    bad=""
    rm -rf "$TMP/o" "$TMP/charts"
    mkdir -p "$TMP/o" "$TMP/charts"
    # expect STATUS LABEL: collects the commands that ended otherwise
    expect() { [ "$st" -eq "$1" ] || bad="$bad $2=$st"; }
    quick=""
    [ -n "$VG" ] && [ -z "$full" ] && quick=1
    # under valgrind the analysis runs once, for its JSON: the text and
    # markdown of every file run under the sanitizers
    fmts="text markdown json"
    [ -n "$quick" ] && fmts=json
    for fmt in $fmts; do
        ext=$fmt
        [ "$fmt" = markdown ] && ext=md
        $RPIPERF analyse --format $fmt "$f" >"$TMP/o/analyse.$ext" \
            2>"$TMP/o/analyse-$fmt.err"
        st=$?
        expect "$want" "analyse-$fmt"
        [ -n "$quick" ] && continue
        $RPIPERF compare --format $fmt "$f" "$f" >"$TMP/o/compare.$ext" \
            2>"$TMP/o/compare-$fmt.err"
        st=$?
        expect "$want" "compare-$fmt"
        $RPIPERF analyse --redact --format $fmt "$f" \
            >"$TMP/o/analyse-redact.$ext" 2>>"$TMP/o/analyse-$fmt.err"
        st=$?
        expect "$want" "analyse-redact-$fmt"
    done
    if [ -z "$quick" ]; then
        $RPIPERF analyse --color always "$f" >"$TMP/color" 2>/dev/null
        st=$?
        expect "$want" "analyse-color"
        # our own colour sequences are the only escapes allowed there
        sed 's/\x1b\[[0-9;]*m//g' "$TMP/color" >"$TMP/o/analyse-color.txt"
    fi
    GITHUB_ACTIONS=true $RPIPERF check --fail-on info --junit \
        "$TMP/o/junit.xml" --json "$TMP/o/check.json" \
        --markdown "$TMP/o/check.md" "$f" \
        >"$TMP/o/check.out" 2>"$TMP/o/check.err"
    st=$?
    if [ "$want" -eq 2 ]; then expect 2 check; elif [ "$st" -gt 1 ]; then
        bad="$bad check=$st"; fi
    $RPIPERF validate "$f" >"$TMP/o/validate.out" 2>"$TMP/o/validate.err"
    st=$?
    expect "$want" validate
    if [ -z "$quick" ]; then
        $RPIPERF report -o "$TMP/o/page.html" "$f" >/dev/null \
            2>"$TMP/o/report.err"
        st=$?
        expect "$want" report
        $RPIPERF render -o "$TMP/charts" "$f" >"$TMP/o/render.out" \
            2>"$TMP/o/render.err"
        st=$?
        expect "$want" render
        if [ "$want" -eq 0 ]; then
            for c in timeline throughput network; do
                png=$(ls "$TMP/charts/"*-$c.png 2>/dev/null | head -1)
                if [ -z "$png" ] || [ "$(head -c 4 "$png" | od -An -c | tr -d ' ')" != '211PNG' ]; then
                    bad="$bad render-$c-png"
                fi
            done
        fi
    fi
    if [ -z "$bad" ]; then
        ok "$(basename "$f"): every command ends with status $want"
    else
        not_ok "$(basename "$f"): every command ends with status $want (got:$bad)"
        cat "$TMP/o/"*.err | head -5 | sed 's/^/#   /'
    fi
    check_outputs "$(basename "$f")"
}
