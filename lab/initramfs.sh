#!/usr/bin/env bash
# Builds the lab's tiny initramfs: busybox + the modules that reach the host root over 9p
# (virtio_pci, 9pnet_virtio, 9p, overlay), loaded in dependency order. Prints its path.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${LAB_CACHE:-$here/cache}
K="$cache/kernel"
R=$(cat "$K/release")
out="$cache/initramfs-$R.cpio.gz"
if [ -f "$out" ] && [ "$out" -nt "$here/initramfs.sh" ] && [ "$out" -nt "$here/guest/init" ]; then
    echo "$out"
    exit 0
fi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,mods,lower,upper,newroot}
cp /bin/busybox "$root/bin/busybox"
for a in sh mount umount mkdir insmod switch_root cat sleep echo poweroff mknod ls; do
    ln -s busybox "$root/bin/$a"
done
: > "$root/mods/order"
for m in virtio_pci 9pnet_virtio 9p overlay; do
    modprobe -d "$K/root" -S "$R" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'
done | awk '!seen[$0]++' | while read -r ko; do
    cp "$ko" "$root/mods/"
    basename "$ko" >> "$root/mods/order"
done
cp "$here/guest/init" "$root/init"
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
echo "$out"
