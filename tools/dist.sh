#!/bin/sh
# make dist: writes DIR/rpiperf-VERSION.tar.gz, the files git tracks as
# they are in the working tree, under the directory rpiperf-VERSION/.
# The archive is the same for the same files: names sorted, the time of
# the last commit, no owner, gzip without a time stamp.
#
#   tools/dist.sh VERSION DIR
set -u
version=$1
dir=$2
name=rpiperf-$version
if ! git rev-parse --show-toplevel >/dev/null 2>&1 ||
    [ "$(git rev-parse --show-toplevel)" != "$(pwd -P)" ]; then
    echo "make dist: needs the git checkout of the sources (it ships the files git tracks)" >&2
    exit 2
fi
list=$(mktemp) || exit 2
trap 'rm -f "$list"' EXIT
# tracked files still there (one removed but not yet committed is left out)
git ls-files | while IFS= read -r f; do
    [ -e "$f" ] && printf '%s\n' "$f"
done >"$list"
mtime=$(git log -1 --format=%ct 2>/dev/null || echo 0)
mkdir -p "$dir" || exit 2
tar --create --file=- --files-from="$list" --verbatim-files-from \
    --transform="s|^|$name/|" --sort=name --mtime="@$mtime" \
    --owner=0 --group=0 --numeric-owner --mode='go-w' |
    gzip -n -9 >"$dir/$name.tar.gz.tmp" &&
    mv "$dir/$name.tar.gz.tmp" "$dir/$name.tar.gz" || {
    rm -f "$dir/$name.tar.gz.tmp"
    exit 2
}
echo "$dir/$name.tar.gz"
