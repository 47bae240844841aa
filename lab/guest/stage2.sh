#!/bin/sh
# Stage 2 (on the overlaid host root): the usual mounts, then the lab command given in
# $OUT/request, its output and exit status written to $OUT. Always powers off.
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm && mount -t devpts devpts /dev/pts && mount -t tmpfs tmpfs /dev/shm
modprobe configfs 2>/dev/null; mount -t configfs none /sys/kernel/config 2>/dev/null
mount -t tmpfs tmpfs /run
mkdir -p /var/target/pr /run/lock
OUT=$(sed -n 's/.*\blabout=\([^ ]*\).*/\1/p' /proc/cmdline)
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LAB_OUT="$OUT"
# Under TCG (software emulation) the JIT's AVX code paths have crashed the JVM now and then
# (SIGSEGV in compiled code); SSE-only code is emulated reliably. Crash logs go to the output share.
# C1 only: under TCG every JVM start of the CLI spent ~2 s more in C2 compilation than it saved
# (measured: \`mpathfs pr --help\` 9.6 s default, 7.6 s with C1 only); the lab's JVMs are short-lived.
export JAVA_TOOL_OPTIONS="-XX:UseAVX=0 -XX:TieredStopAtLevel=1 -XX:ErrorFile=$OUT/hs_err_%p.log"
echo "LAB: guest up ($(uname -r)), running $(cat "$OUT/request")"
sh -c "$(cat "$OUT/request")" > "$OUT/guest.out" 2>&1
echo $? > "$OUT/guest.rc"
sync
echo "LAB: guest done, rc=$(cat "$OUT/guest.rc")"
/bin/busybox poweroff -f
