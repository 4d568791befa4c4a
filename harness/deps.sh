#!/bin/sh
# deps.sh - make sure the system packages slotbench builds and runs with are
# installed: installs the missing ones with apt-get when run as root,
# otherwise prints the exact command to run.  Called by make before any
# build; quick when everything is there (one dpkg-query).
set -u
PACKAGES="gcc g++ make pkg-config python3 python3-dev libbenchmark-dev libjansson-dev gnuplot-nox"
[ -n "${SLOTBENCH_EXTRA_PACKAGES:-}" ] && PACKAGES="$PACKAGES $SLOTBENCH_EXTRA_PACKAGES"

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
if [ "$(id -u)" -ne 0 ]; then
    echo "slotbench: missing packages:$missing" >&2
    echo "slotbench: install them with: sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "slotbench: installing missing packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 || { echo "slotbench: apt-get update failed" >&2; exit 1; }
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2 || {
    echo "slotbench: apt-get install$missing failed" >&2; exit 1; }
