#!/bin/sh
# Shows rpiperf working on a bundled sample (run by `make demo`).
set -u
BUILD=${1:-build}
sample=samples/v3-io-bound.json
[ -f "$sample" ] || sample=$(ls samples/*.json 2>/dev/null | head -1)
[ -n "$sample" ] || sample=../shared/reference/examples/imager-docs-example-v3.json
echo "\$ rpiperf validate $sample"
"$BUILD/rpiperf" validate "$sample"
