#!/usr/bin/env bash
# Fetches what the lab needs, idempotently: Debian packages (qemu, busybox, kmod, sg3-utils, fio,
# FUSE; open-iscsi and iptables, which the guest uses from the host root) and a Debian kernel
# unpacked into the cache (never installed on the host).
# Prints the kernel release on stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${LAB_CACHE:-$here/cache}
mkdir -p "$cache"

"$here/../scripts/ensure-deps.sh" qemu-system-x86 busybox-static kmod sg3-utils fio libfuse2 fuse cpio open-iscsi iptables >&2

if [ -f "$cache/kernel/release" ] && [ -f "$cache/kernel/vmlinuz" ]; then
    cat "$cache/kernel/release"
    exit 0
fi

# The package linux-image-amd64 depends on is the current kernel of this Debian release.
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: \(linux-image-[0-9][^ ]*\)/\1/p' | head -1)
if [ -z "$pkg" ]; then
    apt-get update -qq >&2 || true
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: \(linux-image-[0-9][^ ]*\)/\1/p' | head -1)
fi
[ -n "$pkg" ] || { echo "lab: cannot find the kernel package behind linux-image-amd64 (apt-get update?)" >&2; exit 1; }
work=$(mktemp -d "$cache/dl.XXXXXX")
chmod 755 "$work"  # apt-get download runs as _apt when it can
trap 'rm -rf "$work"' EXIT
# Stale package lists on a fresh machine name a kernel build the mirror no longer has: update, retry.
if ! (cd "$work" && apt-get download -qq "$pkg" >&2); then
    apt-get update -qq >&2 || true
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: \(linux-image-[0-9][^ ]*\)/\1/p' | head -1)
    (cd "$work" && apt-get download -qq "$pkg" >&2) || { echo "lab: apt-get download $pkg failed" >&2; exit 1; }
fi
rm -rf "$cache/kernel.new"
mkdir -p "$cache/kernel.new/root"
dpkg -x "$work"/*.deb "$cache/kernel.new/root"
release=$(ls "$cache/kernel.new/root/lib/modules" | head -1)
depmod -b "$cache/kernel.new/root" "$release"
cp "$cache/kernel.new/root/boot/vmlinuz-$release" "$cache/kernel.new/vmlinuz"
echo "$release" > "$cache/kernel.new/release"
rm -rf "$cache/kernel"
mv "$cache/kernel.new" "$cache/kernel"
echo "$release"
