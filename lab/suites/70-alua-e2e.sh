#!/bin/sh
# mpathfs end to end on an asymmetric LIO LU (tcm_loop): lu0's target ports in two ALUA groups set
# through configfs — group 1 (A1, A2) active/optimized, group 2 (A3, A4) standby; B1, B2 stay in the
# default group. The array moves the groups by itself (implicit ALUA: 2A/06 to the group's nexuses)
# while mpathfs serves IO and holds a reservation. Checked at LIO: which ports carried the data
# (per-port statistics) and which nexuses hold our key. Run twice: with the initiator's SCSI layer
# bare (2A/06 and 04/0B reach mpathfs as sense, NOT READY data IO as EIO), then with scsi_dh_alua
# attached (it retries 2A/06 and 04/0A itself and fails IO to standby ports before sending it).
# Leaves lu0 as lio-setup made it: every port in the default group, no registration.
. "$LAB_HOME/guest/lib.sh"
. "$LAB_HOME/guest/e2e-cases.sh"
E2E_PR=ctl
E2E_KEYS=/tmp/prkeys-alua
LU=/sys/kernel/config/target/core/rd_mcp_0/lu0
REGS=$LU/pr/res_pr_registered_i_pts
lun_dir() { echo "$(dirname "$(lab_field "$1" 4)")/lun/lun_0"; }
port_mb() { cat "$(lun_dir "$1")/statistics/scsi_tgt_port/write_mbytes"; }
group_state() { # group-dir state-code; LIO queues 2A/06 on the group's nexuses
    echo "$2" > "$LU/alua/$1/alua_access_state"; }
mkgroup() { # name id
    [ -d "$LU/alua/$1" ] && return 0
    mkdir "$LU/alua/$1"
    echo "$2" > "$LU/alua/$1/tg_pt_gp_id"
    echo 1 > "$LU/alua/$1/alua_access_type" # implicit: the array decides
}
into_group() { echo "$2" > "$(lun_dir "$1")/alua_tg_pt_gp"; }
# The initiator caches VPD 0x83 (the port's group) from its scan: read it again after a move.
rescan() { for n in A1 A2 A3 A4; do echo 1 > "/sys/block/$(basename "$(lab_blk $n)")/device/rescan"; done; }
AO=0; STANDBY=2; UNAVAILABLE=3; TRANSITIONING=15
# One ctl/paths line's field for a device: path_field DEV state|group|alua
path_field() {
    awk -v d="$1" -v f="$2" '$1 == d { if (f == "state") print $2; else for (i = 3; i <= NF; i++)
        if (index($i, f "=") == 1) print substr($i, length(f) + 2) }' $M/ctl/paths; }
wait_alua() { # dev alua-state [seconds]
    i=0; while [ $i -lt "${3:-30}" ]; do [ "$(path_field "$1" alua)" = "$2" ] && return 0; sleep 1; i=$((i + 1)); done; return 1; }
# The ctl/paths lines that showed a failed path, sampled every second while pid $1 runs.
watch_failed() { # pid file
    : > "$2"; while kill -0 "$1" 2>/dev/null; do grep " failed " $M/ctl/paths >> "$2" 2>/dev/null; sleep 1; done; }
# One round of fio: every job writes its own 8 MiB in mixed sizes, then reads it all back and
# checks it (crc32c); rounds follow each other while the array changes the groups.
fio_round() { # output-file
    fio --name=v --filename=$M/disk --direct=1 --rw=randwrite --bsrange=4k-1m --size=8m --numjobs=4 \
        --offset_increment=8m --verify=crc32c --ioengine=psync --output="$1" >/dev/null 2>&1; }

setup_groups() {
    clean_lu
    mkgroup g1 1; mkgroup g2 2
    group_state g1 $AO; group_state g2 $STANDBY
    for n in A1 A2; do into_group $n g1; done
    for n in A3 A4; do into_group $n g2; done
    rescan
    clean_lu
}

teardown_groups() {
    clean_lu
    for n in A1 A2 A3 A4; do into_group $n default_tg_pt_gp; done
    rmdir "$LU/alua/g1" "$LU/alua/g2"
    rescan
    clean_lu
}

# Mounts over A1..A4; leaves 0xa registered everywhere, exclusive-access-reg-only held, mounted.
case_alua_groups() {
    section "$1: two groups (A1, A2 active/optimized; A3, A4 standby): IO only on the AO ports"
    mount_mp $A1 $A2 $A3 $A4 || { bad "mount over A1..A4"; return 1; }
    wait_alua $A3 standby && ok "A3 shown standby: $(grep "^$A3 " $M/ctl/paths)" || bad "A3: $(cat $M/ctl/paths)"
    check "A4 is a ghost (standby: takes PR, not IO)" test "$(path_field $A4 state)" = ghost
    check "A1 active in group 1" test "$(path_field $A1 state) $(path_field $A1 group)" = "active 1"
    check "register" mpr -c register -k 0xa
    check "LIO: 4 registrations, the standby nexuses' included" test "$(lio_regs a)" -eq 4
    check "reserve exclusive-access-reg-only" mpr -c reserve -k 0xa -t exclusive-access-reg-only
    b3=$(port_mb A3); b4=$(port_mb A4); b1=$(port_mb A1); b2=$(port_mb A2)
    echo round-robin > $M/ctl/policy
    check "write 48 MiB" dd if=/dev/zero of=$M/disk bs=1M count=48 oflag=direct conv=notrunc
    check "LIO: the standby ports carried no data" test "$(port_mb A3) $(port_mb A4)" = "$b3 $b4"
    check "LIO: the AO ports carried the 48 MiB" test $(( $(port_mb A1) - b1 + $(port_mb A2) - b2 )) -ge 46
}

# Group swaps under fio verify; leaves group 1 AO, group 2 standby, as it found them.
case_alua_swap() {
    section "$1: the array swaps the groups and back under fio verify (4 jobs, 4k-1m), reservation held"
    b3=$(port_mb A3)
    # Each move waits for mpathfs to show it, and group 2 carries data before the groups swap back,
    # so every state is met by IO whatever the machine's load.
    ( group_state g2 $AO; group_state g1 $STANDBY; wait_alua $A1 standby
      i=0; while [ $i -lt 120 ] && [ "$(port_mb A3)" -le "$b3" ]; do sleep 1; i=$((i + 1)); done
      group_state g1 $TRANSITIONING; wait_alua $A1 transitioning; sleep 2
      group_state g1 $AO; group_state g2 $STANDBY; wait_alua $A3 standby ) > /dev/null 2>&1 &
    swaps=$!
    watch_failed $swaps "$LAB_OUT/alua-failed-$2.txt" &
    watch=$!
    rounds=0; rc=0
    while kill -0 $swaps 2>/dev/null || [ $rounds -lt 2 ]; do
        rounds=$((rounds + 1))
        fio_round "$LAB_OUT/fio-alua-$2-$rounds.txt" || { rc=1; break; }
    done
    wait $swaps; wait $watch
    [ $rc -eq 0 ] && ok "fio verify through the swaps: $rounds rounds, 0 errors" \
        || bad "fio round $rounds: $(grep -E 'err=|verify|bad' $LAB_OUT/fio-alua-$2-$rounds.txt | head -5)"
    [ -s "$LAB_OUT/alua-failed-$2.txt" ] && bad "a path was shown failed: $(sort -u $LAB_OUT/alua-failed-$2.txt)" || ok "no path shown failed"
    check "LIO: the ports of group 2 carried data while it was AO" test "$(port_mb A3)" -gt "$b3"
    check "LIO: still 4 registrations" test "$(lio_regs a)" -eq 4
    sg_persist -n -i -r "$(lab_sg B1)" | grep -q "Exclusive Access, registrants only" && ok "LIO: reservation kept" \
        || bad "LIO reservation: $(sg_persist -n -i -r "$(lab_sg B1)")"
    check "A3 standby again" test "$(path_field $A3 alua)" = standby
}

# A key change while group 2 is unavailable: its nexuses refuse PR; when the group returns (and
# group 1 goes standby) they get the new key before they carry IO — under a registrants-only
# reservation, an IO through a nexus without it would conflict. Unmounts; leaves the LU clean.
case_alua_unavailable() {
    section "$1: group 2 unavailable during a key change; fixed when it returns, before its IO"
    group_state g2 $UNAVAILABLE
    wait_alua $A3 unavailable || bad "A3 unavailable: $(grep "^$A3 " $M/ctl/paths)"
    check "release" mpr -c release -k 0xa -t exclusive-access-reg-only
    check "register a new key 0xc over 0xa" mpr -c register -k 0xc -K 0xa
    check "LIO: 0xc on the 2 available nexuses only" test "$(lio_regs c)" -eq 2
    echo "     LIO: 0xa registrations left while group 2 is unavailable: $(lio_regs a)"
    # Registrants only from here: an IO through a nexus that missed the new key would conflict.
    check "reserve exclusive-access-reg-only with 0xc" mpr -c reserve -k 0xc -t exclusive-access-reg-only
    group_state g2 $AO
    group_state g1 $STANDBY
    wait_state $A3 active 60 && wait_state $A4 active 60 || bad "A3, A4 active: $(cat $M/ctl/paths)"
    check "reads and writes through group 2 (registered with 0xc before its first IO)" sh -c "dd if=/dev/zero of=$M/disk bs=64k count=16 oflag=direct conv=notrunc && dd if=$M/disk of=/dev/null bs=64k count=16 iflag=direct"
    check "LIO: 0xc on all 4 nexuses" test "$(lio_regs c)" -eq 4
    check "LIO: no 0xa left" test "$(lio_regs a)" -eq 0
    group_state g1 $AO; group_state g2 $STANDBY
    check "clear" mpr -c clear -k 0xc
    "$MP" umount $M || bad "umount"
    wait "$MP_PID"
}

setup_groups
case_alua_groups "ALUA, bare SCSI layer"
case_alua_swap "ALUA, bare SCSI layer" bare
case_alua_unavailable "ALUA, bare SCSI layer"

section "ALUA: scsi_dh_alua attached to A1..A4"
if modprobe scsi_dh_alua; then
    for n in A1 A2 A3 A4; do echo alua > "/sys/block/$(basename "$(lab_blk $n)")/device/dh_state" 2>/dev/null; done
    rescan
    check "scsi_dh_alua attached to A3" test "$(cat /sys/block/$(basename $A3)/device/dh_state)" = alua
    echo "     access_state A1..A4: $(for n in A1 A2 A3 A4; do cat /sys/block/$(basename "$(lab_blk $n)")/device/access_state; done | tr '\n' ' ')"
    case_alua_groups "ALUA, scsi_dh_alua"
    case_alua_swap "ALUA, scsi_dh_alua" dh
    case_alua_unavailable "ALUA, scsi_dh_alua"
else
    bad "modprobe scsi_dh_alua"
fi
teardown_groups
e2e_end
