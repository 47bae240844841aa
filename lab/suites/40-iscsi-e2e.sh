#!/bin/sh
# mpathfs end to end on LIO over iSCSI (guest/iscsi-setup.sh: open-iscsi sessions over the guest's
# loopback, one per portal and path): the shared cases (guest/e2e-cases.sh) with transport faults
# — a path goes offline as its TPG is disabled, the session fails and replacement_timeout (5 s)
# fails its IO — and what only iSCSI has: a silent network loss (iptables DROP, noticed by the
# NOP-Out timers), a logout and login (a new ISID: a new, unregistered nexus beside the old one's
# stale registration), and PREEMPT AND ABORT by host B, which completes here (not on tcm_loop).
# To fit its time budget it leaves out the daemon-restart cases (no transport in them: the tcm_loop
# suite runs them) and sends PR commands through ctl/pr instead of starting the CLI's JVM each time.
set -u
if [ ! -s "$LAB_OUT/map-iscsi" ]; then
    sh "$LAB_HOME/guest/iscsi-setup.sh" > "$LAB_OUT/iscsi-setup.log" 2>&1 \
        || { cat "$LAB_OUT/iscsi-setup.log"; echo "FAIL iSCSI setup"; exit 1; }
fi
. "$LAB_HOME/guest/iscsi-lib.sh"
. "$LAB_HOME/guest/e2e-cases.sh"
E2E_PR=ctl
E2E_KEYS=/tmp/prkeys-iscsi
REGS=/sys/kernel/config/target/core/rd_mcp_0/ilu0/pr/res_pr_registered_i_pts
# LIO's own list of registrations ("iSCSI Node: NAME,i,0xISID Key: 0x... PRgen: 0x..."): the line
# of one initiator port (TransportID), and whether it carries key $2.
lio_reg() { grep -i "Node: $1 " $REGS; }
lio_has() { lio_reg "$1" | grep -qi "Key: 0x0*$2 "; }

# With exclusive-access-reg-only held and A1..A4 registered; leaves them so.
case_drop() {
    section "iSCSI: iptables DROP on A1's portal under IO; the session returns, same ISID, same key"
    tid=$(lab_transport_id A1)
    before=$(lio_reg "$tid")
    [ -n "$before" ] || bad "LIO has no registration for A1 ($tid): $(cat $REGS)"
    t0=$(date +%s)
    path_drop A1
    check "reads through the survivors while A1's packets are dropped" rd 64
    wait_state $A1 failed 60 || bad "A1 seen failed"
    ok "A1 failed after $(( $(date +%s) - t0 )) s (NOP-Out every 2 s, 2 s timeout, replacement_timeout 5 s)"
    t0=$(date +%s)
    path_undrop A1
    wait_state $A1 active 60 || bad "A1 back"
    ok "A1 back after $(( $(date +%s) - t0 )) s (iscsid's relogin, then the checker)"
    check "A1's session recovered (the same session, so the same ISID)" \
        grep -q LOGGED_IN /sys/class/iscsi_session/session$(lab_field A1 8)/state
    # The path kept our key: mpathfs recognises its own nexus by the TransportID and does not
    # register it again (a REGISTER would give the registration a new PRgen).
    check "LIO: A1's registration untouched (same key, same PRgen)" test "$(lio_reg "$tid")" = "$before"
    check "LIO: 4 registrations" test "$(lio_regs a)" -eq 4
}

# Leaves A2 a new session (map updated) registered, and a stale registration of the old ISID.
case_relogin() {
    section "iSCSI: A2 logs out and in: the new ISID registered, the old one's left stale"
    old=$A2
    oldtid=$(lab_transport_id A2)
    path_logout A2
    wait_state $old failed 30 || bad "A2 failed after the logout"
    path_login A2 || { bad "login of A2"; return; }
    A2=$(lab_blk A2)
    tid=$(lab_transport_id A2)
    check "the new session has another ISID ($tid)" test "$tid" != "$oldtid"
    check "LIO: the new nexus is not registered before mpathfs takes it" test -z "$(lio_reg "$tid")"
    if [ "$A2" = "$old" ]; then # nothing held the old disk: the new session took its name
        wait_state $A2 active 60 || bad "A2 reinstated under its old name"
    else # the old name is gone for good: the user replaces the path
        check "remove $old" ctl_do $M/ctl/paths remove $old
        check "add $A2" ctl_do $M/ctl/paths add $A2
    fi
    grep -q "^$A2 active registered=yes" $M/ctl/paths && ok "$A2 active registered=yes" || bad "paths: $(cat $M/ctl/paths)"
    check "LIO: the new nexus is registered with our key" lio_has "$tid" a
    check "LIO: the old ISID's registration is still there, stale" lio_has "$oldtid" a
    check "LIO: 5 registrations of our key (4 paths, 1 stale)" test "$(lio_regs a)" -eq 5
    check "round-robin reads through every path" rd 100
}

# With write-exclusive-reg-only released and 0xa registered everywhere; leaves B holding
# write-exclusive-reg-only with 0xb, us preempted.
case_preempt_abort() {
    section "iSCSI: PREEMPT AND ABORT by host B while we write"
    check "reserve again" mpr -c reserve -k 0xa -t write-exclusive-reg-only
    : > "$LAB_OUT/writer.log"
    ( i=0; while [ $i -lt 3000 ]; do
          dd if=/dev/zero of=$M/disk bs=64k count=1 seek=$((i % 64)) oflag=direct conv=notrunc \
              2>"$LAB_OUT/writer.err" || exit 0
          echo $i >> "$LAB_OUT/writer.log"; i=$((i + 1)); done; exit 1 ) &
    writer=$!
    i=0; while [ $i -lt 300 ] && [ "$(wc -l < "$LAB_OUT/writer.log")" -lt 5 ]; do sleep 0.2; i=$((i + 1)); done
    check "writes succeed before" test "$(wc -l < "$LAB_OUT/writer.log")" -ge 5
    sg_persist -n --out --register --param-sark=0xb "$(lab_sg B1)" >/dev/null 2>&1 \
      || sg_persist -n --out --register --param-sark=0xb "$(lab_sg B1)" >/dev/null 2>&1
    t0=$(date +%s)
    # Bounded only to catch the hang seen on tcm_loop.
    if timeout 120 sg_persist -n --out --preempt-abort --param-rk=0xb --param-sark=0xa --prout-type=5 "$(lab_sg B1)"; then
        ok "PREEMPT AND ABORT completed in $(( $(date +%s) - t0 )) s"
    else
        bad "PREEMPT AND ABORT failed or hung ($(( $(date +%s) - t0 )) s)"
    fi
    wait $writer && ok "the writer stopped on an error after $(wc -l < "$LAB_OUT/writer.log") writes" \
        || bad "the writer never failed"
    grep -q "Invalid exchange" "$LAB_OUT/writer.err" && ok "its write failed with EBADE" || bad "writer: $(cat "$LAB_OUT/writer.err")"
    check "LIO: none of our registrations left" test "$(lio_regs a)" -eq 0
    sg_persist -n -i -r "$(lab_sg B1)" | grep -q "Key=0xb" && ok "LIO: B holds the reservation" || bad "LIO: $(sg_persist -n -i -r "$(lab_sg B1)")"
    if dd if=/dev/zero of=$M/disk bs=4k count=1 oflag=direct conv=notrunc 2>&1 | grep -q "Invalid exchange"; then
        ok "writes get EBADE, as on one disk"; else bad "a write after the preempt should be EBADE"; fi
    check "reads still work (write-exclusive-reg-only)" rd 4
    i=0; while [ $i -lt 20 ] && ! grep -q "pr-state preempted" $M/ctl/status; do sleep 1; i=$((i + 1)); done
    grep -q "pr-state preempted" $M/ctl/status && ok "mpathfs knows it was preempted" || bad "status: $(cat $M/ctl/status)"
    path_return_keeps_key_gone
}

case_seed_raw
case_mount
case_register_path_down
case_reserve_round_robin
case_drop
case_relogin
case_type_change
case_holder_down_release
case_preempt_abort
case_clear
case_wwid ilu0
e2e_end
