#!/bin/sh
# Hot-plug on LIO: a configured device found by WWID (host B's disks blacklisted) over host A's
# four nexuses, holding write-exclusive-reg-only (what fence_mpath and fence_scsi reserve), with
# writes running on every path. A new tcm_loop nexus of the LU joins, registered before its first
# IO (a write on an unregistered nexus would fail with a reservation conflict); when its LUN goes,
# the path is removed and the writes carry on. Also `mpathfs discover` on real disks.
set -u
. "$LAB_HOME/guest/lib.sh"
modprobe fuse 2>/dev/null
MP="$LAB_HOME/../bin/mpathfs"
export MPATHFS_HEAP=256m
T=/sys/kernel/config/target
D=/tmp/hotplug
M=$D/mnt/hp
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
T0=$(date +%s)
section() { echo "== $* [t=$(( $(date +%s) - T0 )) s]"; }
check() { d=$1; shift; if "$@" >/dev/null 2>&1; then ok "$d"; else bad "$d"; fi; }
# A ctl command: the write's own status says whether it was carried out (the answer's text is in ctl/status).
ctl() { exec 3<>"$M/ctl/$1"; echo "$2" >&3; rc=$?; exec 3>&-; return $rc; }
# Registrations of our key on the LU as LIO's configfs lists them (one line per I_T nexus).
lio_registered() { grep -c "Key: 0x0*a " $T/core/rd_mcp_0/lu0/pr/res_pr_registered_i_pts 2>/dev/null; }
wait_for() { # seconds command...: polls until the command succeeds; the bound only catches hangs
    end=$(( $(date +%s) + $1 )); shift
    while [ "$(date +%s)" -le $end ]; do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done; return 1; }
for n in A1 A2 A3 A4 B1 B2; do sg_turs "$(lab_sg $n)" >/dev/null 2>&1; sg_turs "$(lab_sg $n)" >/dev/null 2>&1; done
sg_persist -n --out --register-ignore --param-sark=0xdead "$(lab_sg B2)" >/dev/null 2>&1
sg_persist -n --out --clear --param-rk=0xdead "$(lab_sg B2)" >/dev/null 2>&1

B1=$(basename "$(lab_blk B1)"); B2=$(basename "$(lab_blk B2)"); X1=$(lab_blk X1)
lu_id=$(cat "/sys/block/$(basename "$(lab_blk A1)")/device/wwid")

section "start by WWID from a configuration, host B's disks blacklisted"
mkdir -p $D
cat > $D/mpathfs.conf <<CONF
[defaults]
checker_interval = 2
mount_dir = "$D/mnt"
log_dir = "$D/log"
keys_file = "$D/prkeys-{alias}"

[[device]]
alias = "hp"
wwid = "$lu_id"
blacklist = ["^$B1\$", "^$B2\$"]
CONF
"$MP" start hp --config $D/mpathfs.conf > "$LAB_OUT/hotplug-mpathfs.log" 2>&1 &
MP_PID=$!
wait_for 300 grep -q "INFO serving" "$LAB_OUT/hotplug-mpathfs.log" || { cat "$LAB_OUT/hotplug-mpathfs.log"; bad "start"; exit 1; }
check "ctl/paths: host A's 4 disks (B's blacklisted)" test "$(wc -l < $M/ctl/paths)" -eq 4
check "register 0xa through ctl/pr" ctl pr "-c register -k 0xa"
check "reserve write-exclusive-reg-only through ctl/pr" ctl pr "-c reserve -k 0xa -t write-exclusive-reg-only"
check "ctl/status: reservation write-exclusive-reg-only" grep -q "^reservation write-exclusive-reg-only" $M/ctl/status
echo round-robin > $M/ctl/policy
check "LIO: 4 registrations of 0xa" test "$(lio_registered)" -eq 4
rm -f $D/stop $D/dd.fail
( while [ ! -f $D/stop ]; do
    dd if=/dev/zero of=$M/disk bs=4k count=8 oflag=direct conv=notrunc 2>$D/dd.err || cat $D/dd.err >> $D/dd.fail
  done ) &
WRITER=$!

section "a new nexus (A5) of the LU appears: it joins, registered before its first IO"
wwn=naa.50014050000001f0
init=$(printf 'naa.5001405%09x' $((0x900 + 65)))   # host A's initiator port, as lio-setup gives it
tpg=$T/loopback/$wwn/tpgt_1
mkdir -p $tpg
echo "$init" > $tpg/nexus
mkdir -p $tpg/lun/lun_0
ln -s $T/core/rd_mcp_0/lu0 $tpg/lun/lun_0/lu0
addr=$(cat $tpg/address)
new_disk() { for d in /sys/bus/scsi/devices/$addr:*; do [ -d "$d/block" ] && ls "$d/block" && return 0; done; return 1; }
wait_for 30 new_disk || bad "no disk for the new nexus ($addr)"
A5=/dev/$(new_disk)
t0=$(date +%s)
if wait_for 60 grep -q "^$A5 active " $M/ctl/paths; then
    # uevent-driven, so about the time of registering it (REGISTER + READ KEYS in the emulated
    # guest); the checker interval (2 s) is the bound without uevents. wait_for's bound is for hangs.
    ok "$A5 joined after $(( $(date +%s) - t0 )) s: $(grep "^$A5 " $M/ctl/paths)"
else bad "$A5 did not join: $(cat $M/ctl/paths)"; fi
grep -q "hot-plug: $A5 .*appeared: ok" "$LAB_OUT/hotplug-mpathfs.log" && ok "the daemon logs the hot-plug" || bad "hot-plug log line"
check "ctl/paths: $A5 registered=yes" grep -q "^$A5 active registered=yes" $M/ctl/paths
check "LIO: 5 registrations of 0xa" test "$(lio_registered)" -eq 5
wait_for 60 sh -c "grep '^$A5 ' $M/ctl/paths | grep -qv ' io=0 '" && ok "$A5 carries IO" || bad "$A5 carries no IO"
check "no write failed (a write on an unregistered nexus would be a reservation conflict)" test ! -s $D/dd.fail

section "A5's LUN goes: its disk disappears, the path is removed, the writes carry on"
t0=$(date +%s)
rm $tpg/lun/lun_0/lu0
rmdir $tpg/lun/lun_0
wait_for 30 test ! -e /sys/block/$(basename $A5) || bad "$A5 still in sysfs"
if wait_for 60 sh -c "! grep -q '^$A5 ' $M/ctl/paths"; then
    ok "$A5 removed after $(( $(date +%s) - t0 )) s"; else bad "$A5 not removed: $(cat $M/ctl/paths)"; fi
check "4 paths left" test "$(wc -l < $M/ctl/paths)" -eq 4
sleep 1
touch $D/stop; wait $WRITER
if [ -s $D/dd.fail ]; then bad "writes failed: $(head -3 $D/dd.fail)"; else ok "no write failed while the path came and went"; fi

section "discover: the LU seen through its six disks, the other LU's single disk not shown"
"$MP" discover --json > $D.discover.json 2>$D.discover.err
if python3 - "$lu_id" "$X1" $D.discover.json <<'PY'
import json, sys
want, x1, f = sys.argv[1], sys.argv[2], sys.argv[3]
lus = json.load(open(f))["logical_units"]
lu = [l for l in lus if l["identity"] == want]
assert len(lu) == 1 and len(lu[0]["devices"]) == 6, lus
assert lu[0]["wwid"] == "3" + want[4:] and lu[0]["vendor"] == "LIO-ORG" and lu[0]["size_bytes"] == 256 << 20, lu
assert all(d["name"] != x1 for l in lus for d in l["devices"]), lus
PY
then ok "discover --json: $lu_id through 6 disks, LIO-ORG, 256 MiB, X1 not among them"
else bad "discover --json:"; cat $D.discover.json $D.discover.err; fi

kill -TERM $MP_PID; wait $MP_PID
rmdir $tpg 2>/dev/null; rmdir $T/loopback/$wwn 2>/dev/null
sg_persist -n --out --register-ignore --param-sark=0xdead "$(lab_sg B2)" >/dev/null 2>&1
sg_persist -n --out --clear --param-rk=0xdead "$(lab_sg B2)" >/dev/null 2>&1
echo "hotplug: $fails failure(s) in $(( $(date +%s) - T0 )) s"
[ "$fails" -eq 0 ]
