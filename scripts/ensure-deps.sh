#!/usr/bin/env bash
# Installs what mpathfs needs on a Debian machine when it is missing: the JDK/Maven are assumed
# (the machine kind has them); FUSE 2, sg3-utils, fio, and the lab's qemu/busybox/kmod come from
# Debian. Idempotent and quiet when everything is there. Needs root to install.
set -euo pipefail

need=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for p in "$@"; do
    have_pkg "$p" || need+=("$p")
done
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "ensure-deps: missing Debian packages: ${need[*]} (run as root, or: sudo apt-get install ${need[*]})" >&2
    exit 1
fi
echo "ensure-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
