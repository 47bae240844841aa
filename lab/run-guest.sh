#!/usr/bin/env bash
# Boots the lab guest (qemu, software emulation), runs one shell command line in it, and returns
# its exit status; the command's output is in $LAB_OUT/guest.out, the console in $LAB_OUT/console.log.
# Usage: lab/run-guest.sh 'COMMAND LINE'      (timeout: LAB_TIMEOUT seconds, default 900)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${LAB_CACHE:-$here/cache}
out=${LAB_OUT:-$here/out}
release=$("$here/fetch.sh")
initrd=$("$here/initramfs.sh")
mkdir -p "$out"
rm -f "$out/guest.rc" "$out/guest.out"
printf '%s\n' "$1" > "$out/request"
mods="$cache/kernel/root/lib/modules"
timeout --foreground -k 10 "${LAB_TIMEOUT:-900}" qemu-system-x86_64 \
    -accel tcg,thread=multi -cpu max -smp 2 -m "${LAB_MEM:-3072}" -nographic -no-reboot \
    -kernel "$cache/kernel/vmlinuz" -initrd "$initrd" \
    -append "console=ttyS0 quiet panic=-1 labout=$out labstage2=$here/guest/stage2.sh labmods=$mods" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs local,path="$out",mount_tag=labout,security_model=none,multidevs=remap \
    < /dev/null > "$out/console.log" 2>&1 || true
if [ ! -f "$out/guest.rc" ]; then
    echo "lab: the guest did not finish (timeout or crash); last console lines:" >&2
    tail -20 "$out/console.log" >&2
    exit 99
fi
exit "$(cat "$out/guest.rc")"
