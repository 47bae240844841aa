#!/usr/bin/env bash
# Boots the lab guest (qemu, software emulation), runs one shell command line in it, and returns
# its exit status; the command's output is in $LAB_OUT/guest.out, the console in $LAB_OUT/console.log.
# Usage: lab/run-guest.sh 'COMMAND LINE'      (timeout: LAB_TIMEOUT seconds, default 900; make lab-test gives 1800)
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
# TCG runs the guest's vCPUs in ONE host thread (thread=single): with multi-threaded TCG the
# guest JVMs died now and then with SIGSEGV at the first instruction of freshly JIT-compiled
# methods (hs_err in $LAB_OUT), even with UseAVX=0 and -cpu qemu64 — code written by one vCPU
# and run by another before its translation was invalidated. One thread keeps that coherent; the
# guest still sees 2 CPUs.
# Software emulation now and then stalls in early boot (seen once on a fresh machine: no console
# output at all for the whole timeout). A guest that has not reached stage 2 within
# LAB_BOOT_TIMEOUT seconds is killed and booted again, up to LAB_BOOT_TRIES times, instead of
# eating the whole budget.
boot_timeout=${LAB_BOOT_TIMEOUT:-180}
tries=${LAB_BOOT_TRIES:-3}
for attempt in $(seq 1 "$tries"); do
    timeout --foreground -k 10 "${LAB_TIMEOUT:-900}" qemu-system-x86_64 \
        -accel "tcg,thread=${LAB_TCG_THREAD:-single}" -cpu "${LAB_CPU:-qemu64}" -smp 2 -m "${LAB_MEM:-3072}" -nographic -no-reboot \
        -kernel "$cache/kernel/vmlinuz" -initrd "$initrd" \
        -append "console=ttyS0 loglevel=5 panic=-1 labout=$out labstage2=$here/guest/stage2.sh labmods=$mods" \
        -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
        -virtfs local,path="$out",mount_tag=labout,security_model=none,multidevs=remap \
        < /dev/null > "$out/console.log" 2>&1 &
    qemu=$!
    waited=0
    while kill -0 "$qemu" 2>/dev/null && ! grep -q "LAB: guest up" "$out/console.log" 2>/dev/null; do
        if [ "$waited" -ge "$boot_timeout" ]; then
            echo "lab: the guest did not boot within $boot_timeout s (attempt $attempt of $tries); console:" >&2
            tail -5 "$out/console.log" >&2
            cp "$out/console.log" "$out/console-stalled-$attempt.log"
            pkill -TERM -P "$qemu" 2>/dev/null; kill -TERM "$qemu" 2>/dev/null
            break
        fi
        sleep 1; waited=$((waited + 1))
    done
    wait "$qemu" || true
    if grep -q "LAB: guest up" "$out/console.log" 2>/dev/null; then
        break
    fi
done
if [ ! -f "$out/guest.rc" ]; then
    echo "lab: the guest did not finish (timeout or crash); last console lines:" >&2
    tail -20 "$out/console.log" >&2
    exit 99
fi
exit "$(cat "$out/guest.rc")"
