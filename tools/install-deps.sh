#!/bin/sh
# Installs the build and test dependencies that are missing, with apt-get.
# Only what pkg-config (or the python module check) reports as missing is
# installed; sudo is used when not running as root.
set -u

missing=""
check_pc() { pkg-config --exists "$1" 2>/dev/null || missing="$missing $2"; }

command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
command -v cc >/dev/null 2>&1 || missing="$missing gcc"
command -v make >/dev/null 2>&1 || missing="$missing make"
check_pc libcjson libcjson-dev
check_pc cairo libcairo2-dev
check_pc libpng libpng-dev
check_pc cmocka libcmocka-dev
/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || missing="$missing python3-jsonschema"
command -v xmllint >/dev/null 2>&1 || missing="$missing libxml2-utils"
fc-list 2>/dev/null | grep -q DejaVuSans || missing="$missing fonts-dejavu-core fontconfig"

if [ -z "$missing" ]; then
    exit 0
fi
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
