#!/bin/sh
# deps.sh - make sure the system packages slotbench builds and runs with are
# installed: installs the missing ones with apt-get when run as root,
# otherwise prints the exact command to run (with sudo where there is one;
# where there is none, the command to run as root).  Called by make before
# any build; quick when everything is there (one dpkg-query).
#
#   harness/deps.sh          check, and install or say how
#   harness/deps.sh --list   the packages it checks, one a line (tests)
#
# PYTHON (make passes its own) is the interpreter being built: Debian's
# /usr/bin/python3.X needs its own python3.X-dev (the embedding library and
# python3.X-config; it brings the interpreter with it); any other path
# (pyenv, uv, /usr/local) carries its own headers and library, so no -dev
# package.  python3 itself stays: the tests run under /usr/bin/python3.
set -u
PYTHON=${PYTHON:-/usr/bin/python3}
case $PYTHON in
/usr/bin/python3) dev=python3-dev ;;
/usr/bin/python3.[0-9]*) dev=${PYTHON#/usr/bin/}-dev ;;
*) dev="" ;;
esac
PACKAGES="gcc g++ make pkg-config python3 $dev libbenchmark-dev libjansson-dev gnuplot-nox"
[ -n "${SLOTBENCH_EXTRA_PACKAGES:-}" ] && PACKAGES="$PACKAGES $SLOTBENCH_EXTRA_PACKAGES"

if [ "${1:-}" = --list ]; then
    for p in $PACKAGES; do
        echo "$p"
    done
    exit 0
fi

missing=""
for p in $PACKAGES; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)
    [ "$status" = "installed" ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "slotbench: missing packages:$missing (this is not a Debian system: install their equivalents)" >&2
    exit 1
fi
install="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -ne 0 ]; then
    echo "slotbench: missing packages:$missing" >&2
    if command -v sudo >/dev/null 2>&1; then
        echo "slotbench: install them with: sudo apt-get update && sudo $install" >&2
    else
        echo "slotbench: there is no sudo here: install them as root (su -, or a root shell) with: apt-get update && $install" >&2
    fi
    exit 1
fi
echo "slotbench: installing missing packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 || { echo "slotbench: apt-get update failed" >&2; exit 1; }
# shellcheck disable=SC2086
$install -qq >&2 || {
    echo "slotbench: $install failed" >&2; exit 1; }
