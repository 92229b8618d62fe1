#!/bin/sh
# Installs the dependencies that are missing, with apt-get (through sudo
# when not root). Only what is found missing is installed: pkg-config for
# the libraries, the commands and files for the tools.
#
#   tools/install-deps.sh build   to build and run rpiperf (make demo)
#   tools/install-deps.sh test    also what the tests need (make check)
set -u
mode=${1:-build}
missing=""
need() { missing="$missing $1"; }
check_pc() { pkg-config --exists "$1" 2>/dev/null || need "$2"; }
check_cmd() { command -v "$1" >/dev/null 2>&1 || need "$2"; }

check_cmd pkg-config pkg-config
check_cmd cc gcc
check_cmd make make
check_pc libcjson libcjson-dev
check_pc cairo libcairo2-dev
check_pc libpng libpng-dev
check_pc fontconfig libfontconfig-dev
fc-list 2>/dev/null | grep -q 'DejaVuSans' || need "fonts-dejavu-core fontconfig"

if [ "$mode" = test ]; then
    check_pc cmocka libcmocka-dev
    /usr/bin/python3 -c 'import jsonschema' 2>/dev/null || need python3-jsonschema
    # tests/cli/test_action.sh reads action.yml as GitHub does
    /usr/bin/python3 -c 'import yaml' 2>/dev/null || need python3-yaml
    check_cmd xmllint libxml2-utils
    check_cmd valgrind valgrind
    check_cmd cppcheck cppcheck
    check_cmd clang-tidy clang-tidy
    check_cmd clang clang
    # libFuzzer and the sanitizer runtimes of clang
    ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a \
        >/dev/null 2>&1 || need libclang-rt-dev
    check_cmd script bsdutils
    check_cmd strace strace          # tests/cli/test_outputs.sh
    check_cmd c++ g++                # tests/cli/test_install.sh: a C++ user
    check_cmd readelf binutils
    check_cmd chromium chromium
    # tests/cli/test_markdown.sh reads the markdown as GitHub does;
    # tests/cli/test_redact.sh reads the charts' text back from PDF
    check_cmd cmark-gfm cmark-gfm
    check_cmd pdftotext poppler-utils
fi

[ -z "$missing" ] && exit 0
echo "installing:$missing"
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || exit 1
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null || exit 1
