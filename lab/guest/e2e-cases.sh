# mpathfs end to end on LIO: the cases, shared by the transports' suites (30-mpathfs-e2e on
# tcm_loop, 40-iscsi-e2e on iSCSI). Sourced after lib.sh or iscsi-lib.sh, whose path_offline /
# path_online make a path fault in the transport's own way. mpathfs is mounted over host A's
# nexuses A1..A4; host B (sg_persist on B1) is the other cluster node; X1 is another LU. Each case
# checks what the application sees on disk and what LIO holds. The cases run in the order a suite
# calls them; each leaves the state the next one expects (noted per case).
# Settings: E2E_PR=cli|ctl (PR commands through `mpathfs pr`, or written to ctl/pr: no JVM start).
set -u
modprobe fuse 2>/dev/null
M=/mnt/mpath0
MP="$LAB_HOME/../bin/mpathfs"
export MPATHFS_HEAP=256m
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
T0=$(date +%s)
# A case header with the seconds since the suite started: the guest is emulated, and the log shows
# where the time goes when a run comes close to its timeout.
section() { echo "== $* [t=$(( $(date +%s) - T0 )) s]"; }
# A check, then its moment on a line of its own (in the log, not in lab-test's table).
check() { d=$1; shift; if "$@" >/dev/null 2>&1; then ok "$d"; else bad "$d"; fi; echo "     [t=$(( $(date +%s) - T0 )) s]"; }
keys_on() { sg_persist -n -i -k "$(lab_sg "$1")" 2>/dev/null | grep -c "0x$2\$"; }
lio_regs() { # number of registrations of key $1 on the LU as LIO reports them
    sg_persist -n -i -s "$(lab_sg B2)" 2>/dev/null | grep -c "Key=0x$1\$"; }
rd() { dd if=$M/disk of=/dev/null bs=4k count="${1:-1}" iflag=direct 2>&1; }
wait_state() { # path state [seconds]
    i=0; while [ $i -lt "${3:-60}" ]; do
        grep -q "^$1 $2 " $M/ctl/paths 2>/dev/null && return 0; sleep 1; i=$((i + 1)); done; return 1; }
MOUNTS=0
mount_mp() { # one daemon log per mount: $LAB_OUT/mpathfs-N.log
    MOUNTS=$((MOUNTS + 1))
    log="$LAB_OUT/mpathfs-$MOUNTS.log"
    "$MP" mount --checker-interval 2 --keys-file "${E2E_KEYS:-/tmp/prkeys}" $M "$@" > "$log" 2>&1 &
    MP_PID=$!
    i=0; while [ $i -lt 120 ] && kill -0 $MP_PID 2>/dev/null; do
        grep -q "INFO serving" "$log" && return 0; sleep 1; i=$((i + 1)); done
    cat "$log"; return 1
}
# A ctl command on an open control file: the write's status says whether it was done; a refused
# write leaves the file offset at 0, so a read on the same descriptor gives the reason.
ctl_do() { # file command...
    f=$1; shift
    exec 4<>"$f"
    if echo "$*" >&4 2>/dev/null; then exec 4>&-; return 0; fi
    echo "$(basename "$f") $*: $(cat <&4)"; exec 4>&-; return 1
}
# A PR OUT command of host A, blkpr-style arguments (-c register -k 0xa ...): through the CLI, or
# written to ctl/pr (the same coordinator, no JVM to start).
mpr() {
    if [ "${E2E_PR:-cli}" = ctl ]; then ctl_do $M/ctl/pr "$@"; else "$MP" pr "$@" $M; fi
}
clean_lu() { # no registrations, no reservation
    sg_persist -n --out --register-ignore --param-sark=0xdead "$(lab_sg B2)" >/dev/null 2>&1
    sg_persist -n --out --clear --param-rk=0xdead "$(lab_sg B2)" >/dev/null 2>&1
    for n in A1 A2 A3 A4 B1 B2; do sg_turs "$(lab_sg $n)" >/dev/null 2>&1; sg_turs "$(lab_sg $n)" >/dev/null 2>&1; done
}
A1=$(lab_blk A1); A2=$(lab_blk A2); A3=$(lab_blk A3); A4=$(lab_blk A4); X1=$(lab_blk X1)

# Raw paths, no mount; leaves the LU clean.
case_seed_raw() {
    section "the seed's failure on raw paths: registration on one path only"
    clean_lu
    sg_persist -n --out --register --param-sark=0x1 "$(lab_sg A1)" >/dev/null
    sg_persist -n --out --reserve --param-rk=0x1 --prout-type=6 "$(lab_sg A1)" >/dev/null
    check "raw read on the registered path works" dd if=$A1 of=/dev/null bs=4k count=1 iflag=direct
    if dd if=$A2 of=/dev/null bs=4k count=1 iflag=direct 2>&1 | grep -q "Invalid exchange"; then
        ok "raw read on an unregistered path fails with EBADE (the seed's bug)"; else bad "raw read on A2 should give EBADE"; fi
    clean_lu
}

# Leaves mpathfs mounted over A1..A3, round-robin.
case_mount() {
    section "mount over A1..A3, the other LU refused"
    mount_mp $A1 $A2 $A3 || { bad "mount"; exit 1; }
    check "disk has the LU's size" test "$(stat -c %s $M/disk)" = "$(blockdev --getsize64 $A1)"
    if out=$(ctl_do $M/ctl/paths add $X1); then bad "a path to another LU was added"; else
        case "$out" in *"different logical unit"*naa.*naa.*) ok "a path to another LU is refused: $out";; *) bad "X1 refused: $out";; esac
    fi
    echo round-robin > $M/ctl/policy
}

# Registers 0xa; leaves A1..A4 registered.
case_register_path_down() {
    section "register with a path down; path return registers it before IO; A4 added at run time"
    t0=$(date +%s)
    path_offline A3
    check "read through the survivors" rd 16
    wait_state $A3 failed 30 || bad "A3 seen failed"
    # The checker notices within an interval or two on an idle machine; the bound is wait_state's,
    # so that a loaded machine (make test-under-load) does not fail it: the seconds are in the log.
    ok "A3 shown failed after $(( $(date +%s) - t0 )) s (checker interval 2 s)"
    check "register" mpr -c register -k 0xa
    check "LIO has our key on A1" test "$(keys_on A1 a)" -ge 1
    check "LIO: 2 registrations (A3 is down)" test "$(lio_regs a)" -eq 2
    t0=$(date +%s)
    path_online A3
    wait_state $A3 active 30 || bad "A3 reinstated"
    # One interval to notice, plus registering it (REGISTER AND IGNORE + READ KEYS) in the emulated
    # guest: about two intervals when idle; the bound is wait_state's, the seconds are in the log.
    ok "A3 reinstated after $(( $(date +%s) - t0 )) s (checker interval 2 s)"
    check "LIO: 3 registrations after A3 returned" test "$(lio_regs a)" -eq 3
    grep -q "^$A3 active registered=yes" $M/ctl/paths && ok "A3 registered=yes" || bad "A3 registered: $(cat $M/ctl/paths)"
    check "add A4" ctl_do $M/ctl/paths add $A4
    check "LIO: 4 registrations after adding A4" test "$(lio_regs a)" -eq 4
}

# Leaves exclusive-access-reg-only held, A2 back.
case_reserve_round_robin() {
    section "reserve exclusive-access-reg-only: round-robin reads through every path (the seed, fixed)"
    check "reserve" mpr -c reserve -k 0xa -t exclusive-access-reg-only
    check "1000 round-robin direct reads" rd 1000
    ( sleep 2; path_offline A2; sleep 4; path_online A2 ) &
    fault=$!
    fio --name=v --filename=$M/disk --direct=1 --rw=randrw --bs=64k --size=32m --verify=crc32c \
        --ioengine=psync --time_based --runtime=10 --output=$LAB_OUT/fio-e2e.txt >/dev/null 2>&1
    rc=$?
    wait $fault
    [ $rc -eq 0 ] && ok "fio verify with a path going offline/online" || bad "fio exit status $rc"
    grep -q "err= 0" "$LAB_OUT/fio-e2e.txt" && ok "fio: zero errors" || bad "fio errors: $(grep err= $LAB_OUT/fio-e2e.txt)"
    wait_state $A2 active 30 || bad "A2 back"
}

# Leaves write-exclusive-reg-only held, every path registered.
case_type_change() {
    section "type change: preempt our own key with another type"
    check "type change to write-exclusive-reg-only" mpr -c preempt -K 0xa -k 0xa -t write-exclusive-reg-only
    sg_persist -n -i -r "$(lab_sg B1)" | grep -q "Write Exclusive, registrants only" && ok "LIO: new type" || bad "LIO type"
    check "LIO: all 4 paths registered, nothing else of ours" test "$(lio_regs a)" -eq 4
    check "reads and writes after the change" sh -c "dd if=/dev/zero of=$M/disk bs=4k count=64 oflag=direct conv=notrunc && dd if=$M/disk of=/dev/null bs=4k count=64 iflag=direct"
}

# Leaves no reservation, 0xa registered everywhere.
case_holder_down_release() {
    section "holder path down, then release"
    holder=$(sed -n 's/^holder //p' $M/ctl/status)
    hn=$(lab_name "$holder")
    [ -n "$hn" ] || { bad "holder '$holder' is none of the map's nexuses: $(cat $M/ctl/status)"; return; }
    path_offline "$hn"
    rd 8 >/dev/null
    wait_state "$holder" failed 30 || bad "holder $holder failed"
    check "release with the holder path down" mpr -c release -k 0xa -t write-exclusive-reg-only
    sg_persist -n -i -r "$(lab_sg B1)" | grep -q "NO reservation" && ok "LIO: released" || bad "LIO: reservation still held"
    path_online "$hn"
    wait_state "$holder" active 30 || bad "holder back"
}

# A returning path after a foreign preempt: it must not bring our key back.
path_return_keeps_key_gone() {
    path_offline A1
    wait_state $A1 failed 30 || bad "A1 seen failed"
    path_online A1
    wait_state $A1 active 30 || bad "A1 back"
    check "LIO: a returning path did not resurrect our key" test "$(lio_regs a)" -eq 0
}

# PREEMPT by host B; leaves B registered with 0xb holding write-exclusive-reg-only, us preempted.
case_foreign_preempt() {
    section "external preempt by host B is detected"
    check "reserve again" mpr -c reserve -k 0xa -t write-exclusive-reg-only
    sg_persist -n --out --register --param-sark=0xb "$(lab_sg B1)" >/dev/null 2>&1
    sg_persist -n --out --preempt --param-rk=0xb --param-sark=0xa --prout-type=6 "$(lab_sg B1)" >/dev/null 2>&1 \
      || sg_persist -n --out --preempt --param-rk=0xb --param-sark=0xa --prout-type=6 "$(lab_sg B1)"
    check "LIO: none of our registrations left" test "$(lio_regs a)" -eq 0
    if rd 1 | grep -q "Invalid exchange"; then ok "IO gets EBADE, as on one disk"; else bad "IO after preempt should be EBADE"; fi
    i=0; while [ $i -lt 20 ] && ! grep -q "pr-state preempted" $M/ctl/status; do sleep 1; i=$((i + 1)); done
    grep -q "pr-state preempted" $M/ctl/status && ok "mpathfs knows it was preempted" || bad "status: $(cat $M/ctl/status)"
    path_return_keeps_key_gone
}

# After a preempt by B (0xb registered): leaves 0xa registered on every path, no reservation.
case_clear() {
    section "clear"
    check "register again (the user re-registers)" mpr -c register -k 0xa
    sg_persist -n --out --clear --param-rk=0xb "$(lab_sg B1)" >/dev/null 2>&1 || true
    check "register again after B's clear removed everything" mpr -c register -k 0xa -f ignore-key
}

case_restart_sigkill() {
    section "daemon killed (SIGKILL) and restarted: key re-learnt from the keys file, verified, paths registered"
    kill -9 "$MP_PID"; wait "$MP_PID" 2>/dev/null
    mount_mp $A1 $A2 $A3 $A4 || bad "remount over the stale mount"
    grep -q "^key 0xa" $M/ctl/status && ok "key 0xa re-learnt" || bad "status after restart: $(cat $M/ctl/status)"
    check "every path registered=yes after restart" test "$(grep -c 'registered=yes' $M/ctl/paths)" -eq 4
    check "LIO: still 4 registrations" test "$(lio_regs a)" -eq 4
}

# A start with a path down (as after a reboot with a cable pulled): the daemon serves on the
# others and shows the path failed; when it answers it joins, registered, before its IO. Expects
# mpathfs mounted over A1..A4 with 0xa registered; leaves it so.
case_start_path_down() {
    section "daemon started with A2 down: serves on A1, A3, A4; A2 joins registered when it answers"
    "$MP" umount $M || bad "umount"
    wait "$MP_PID" 2>/dev/null
    path_offline A2
    mount_mp $A1 $A2 $A3 $A4 || bad "mount with A2 down"
    check "reads with A2 down" rd 16
    wait_state $A2 failed 30 && ok "A2 shown failed" || bad "A2: $(grep "^$A2 " $M/ctl/paths)"
    path_online A2
    wait_state $A2 active 60 || bad "A2 back: $(grep "^$A2 " $M/ctl/paths)"
    grep -q "^$A2 active registered=yes" $M/ctl/paths && ok "A2 active, registered=yes" || bad "A2: $(grep "^$A2 " $M/ctl/paths)"
    check "LIO: 4 registrations" test "$(lio_regs a)" -eq 4
    check "reads and writes on every path (round-robin)" sh -c "dd if=/dev/zero of=$M/disk bs=4k count=16 oflag=direct conv=notrunc && dd if=$M/disk of=/dev/null bs=4k count=16 iflag=direct"
}

# Ends with the LU clean (clear through mpathfs).
case_exclusive_access_restarts() {
    section "holding exclusive-access: fsync succeeds; restart (clean, then SIGKILL) serves again"
    check "reserve exclusive-access" mpr -c reserve -k 0xa -t exclusive-access
    echo round-robin > $M/ctl/policy
    check "write + fsync under exclusive-access, round-robin" sh -c "for i in 1 2 3 4 5 6; do
      dd if=/dev/zero of=$M/disk bs=4k count=4 seek=\$i oflag=direct conv=notrunc,fsync || exit 1; done"
    "$MP" umount $M || bad "umount"
    wait "$MP_PID" 2>/dev/null
    mount_mp $A1 $A2 $A3 $A4 || bad "restart while holding exclusive-access (READ CAPACITY conflicts on non-holders)"
    grep -q "^reservation exclusive-access$" $M/ctl/status && ok "reservation re-learnt" || bad "status: $(cat $M/ctl/status)"
    grep -q "^holder /dev/" $M/ctl/status && ok "holder known: $(sed -n 's/^holder //p' $M/ctl/status)" \
      || bad "holder unknown after restart: $(cat $M/ctl/status)"
    check "reads and write + fsync after the restart" sh -c "dd if=$M/disk of=/dev/null bs=4k count=16 iflag=direct &&
      dd if=/dev/zero of=$M/disk bs=4k count=4 oflag=direct conv=notrunc,fsync"
    kill -9 "$MP_PID"; wait "$MP_PID" 2>/dev/null
    mount_mp $A1 $A2 $A3 $A4 || bad "restart after SIGKILL while holding exclusive-access"
    check "reads after the SIGKILL restart" rd 16
    check "LIO: still 4 registrations" test "$(lio_regs a)" -eq 4
    check "release" mpr -c release -k 0xa -t exclusive-access
    check "clear through mpathfs" mpr -c clear -k 0xa
    check "LIO: no registrations" test "$(sg_persist -n -i -k "$(lab_sg B2)" | grep -c '^ *0x')" -eq 0
}

# Unmounts, then mounts by WWID and unmounts again. $1: the LU's name in the map.
case_wwid() {
    lu_id=$(sed -n 's/^identity //p' $M/ctl/status)
    "$MP" umount $M || bad "umount"
    wait "$MP_PID"
    section "mount --wwid finds every path of the LU (both hosts' here: they share this guest), not X1"
    mount_mp --wwid "$lu_id" || bad "mount --wwid"
    want=$(awk -v lu="$1" '$5 == lu' "$LAB_MAP" | wc -l)
    check "ctl/paths lists the $want paths of $lu_id" test "$(wc -l < $M/ctl/paths)" -eq "$want"
    grep -q "$X1" $M/ctl/paths && bad "X1 must not be a path" || ok "X1 not included"
    "$MP" umount $M || bad "umount"
    wait "$MP_PID"
}

e2e_end() {
    echo "e2e: $fails failure(s) in $(( $(date +%s) - T0 )) s"
    [ "$fails" -eq 0 ]
}
