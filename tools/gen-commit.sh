#!/bin/sh
# Prints the header that tells `rpiperf --version` which commit it was
# built from: the commit checked out when the sources are the top of a git
# work tree, and "" otherwise, so that sources unpacked from a release
# tarball, even inside some other repository, claim no commit.
#
# Whether the working tree differs from that commit is not said: the
# header would then change with every edit, and a make run by a test
# (make install) would relink the programs other tests are running.
top=$(pwd -P)
commit=""
GIT_OPTIONAL_LOCKS=0
export GIT_OPTIONAL_LOCKS
if command -v git >/dev/null 2>&1 &&
    [ "$(git rev-parse --show-toplevel 2>/dev/null)" = "$top" ]; then
    commit=$(git rev-parse --short=12 HEAD 2>/dev/null)
fi
printf '%s\n' "/* Made by tools/gen-commit.sh: the commit built, or \"\". */" \
    "#define RPP_BUILD_COMMIT \"$commit\""
