#!/bin/sh
# Shows rpiperf working on a bundled sample (run by `make demo`).
set -u
BUILD=${1:-build}
sample=samples/v3-io-bound.json
[ -f "$sample" ] || sample=$(ls samples/*.json 2>/dev/null | head -1)
[ -n "$sample" ] || sample=../shared/reference/examples/imager-docs-example-v3.json
echo "\$ rpiperf validate $sample"
"$BUILD/rpiperf" validate "$sample"
echo
echo "\$ rpiperf render -o $BUILD/demo $sample"
mkdir -p "$BUILD/demo"
"$BUILD/rpiperf" render -o "$BUILD/demo" "$sample" || exit 1
echo "The charts of $sample are in $BUILD/demo/ (open the PNG files above)."
