#!/bin/sh
# Shows rpiperf working on a bundled sample (run by `make demo`): validate,
# analyse, the three charts and the HTML page, written into BUILD/demo/.
set -u
BUILD=${1:-build}
sample=samples/v3-io-bound.json
[ -f "$sample" ] || sample=$(ls samples/*.json 2>/dev/null | head -1)
[ -n "$sample" ] || sample=tests/data/reference/examples/imager-docs-example-v3.json
out=$BUILD/demo
mkdir -p "$out"

run() {
    echo
    echo "\$ rpiperf $*"
    "$BUILD/rpiperf" "$@" || exit 1
}
run validate "$sample"
run analyse "$sample"
run render -o "$out" "$sample"
run report -o "$out/$(basename "$sample" .json).html" "$sample"
echo
echo "The charts and the HTML page of $sample are in $out/:"
ls -1 "$out"
echo
echo "Next: rpiperf analyse --format markdown FILE (for an issue comment),"
echo "rpiperf check DIR (for CI), rpiperf compare BEFORE AFTER; see README.md."
