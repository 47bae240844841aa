#!/bin/sh
# Two cluster nodes on LIO fence each other with fence_mpathfs: node 1 = mpathfs over host A's
# A1..A4 (key 0x1), node 2 = mpathfs over host B's B1..B2 (key 0x2), disjoint nexus sets to one
# LU. Both unfence, then both fence each other at the same moment, as the halves of a split
# cluster do: exactly one survives, the other's writes fail with EBADE, and LIO holds only the
# survivor's key. PREEMPT AND ABORT never returns on tcm_loop (lab/README.md), so the agent runs
# with --preempt-command preempt here; preempt-and-abort is FenceAgentIT's, on the embedded target.
set -u
. "$LAB_HOME/guest/lib.sh"
modprobe fuse 2>/dev/null
MP="$LAB_HOME/../bin/mpathfs"
AGENT="$LAB_HOME/../bin/fence_mpathfs"
export MPATHFS_HEAP=256m
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
T0=$(date +%s)
section() { echo "== $* [t=$(( $(date +%s) - T0 )) s]"; }
M1=/mnt/fence-1; M2=/mnt/fence-2
lio_keys() { # registrations of key $1 as LIO reports them (PR IN is answered on any nexus)
    sg_persist -n -i -k "$(lab_sg A1)" 2>/dev/null | grep -c "0x$1\$"; }
wr() { dd if=/dev/zero of="$1/disk" bs=4k count=1 oflag=direct conv=notrunc 2>&1; }
# The agent bounds each ctl/pr command by --power-timeout (20 s by default; Pacemaker lifts it):
# the emulated guest on a busy host can take longer than a real machine.
agent() { # node action key [options]: node's own store path; prints the agent's output, returns its exit code
    n=$1; shift; a=$1; shift; k=$1; shift
    "$AGENT" -o "$a" -n "$k" --store-path "/tmp/fence-store-$n" --preempt-command preempt --power-timeout 300 "$@"; }

sg_persist -n --out --register-ignore --param-sark=0xdead "$(lab_sg B2)" >/dev/null 2>&1
sg_persist -n --out --clear --param-rk=0xdead "$(lab_sg B2)" >/dev/null 2>&1
for n in A1 A2 A3 A4 B1 B2; do sg_turs "$(lab_sg $n)" >/dev/null 2>&1; sg_turs "$(lab_sg $n)" >/dev/null 2>&1; done

section "two nodes mounted: node 1 over A1..A4, node 2 over B1..B2"
"$MP" mount --checker-interval 2 --keys-file /tmp/prkeys-1 $M1 \
    "$(lab_blk A1)" "$(lab_blk A2)" "$(lab_blk A3)" "$(lab_blk A4)" > "$LAB_OUT/fence-node1.log" 2>&1 &
P1=$!
"$MP" mount --checker-interval 2 --keys-file /tmp/prkeys-2 $M2 \
    "$(lab_blk B1)" "$(lab_blk B2)" > "$LAB_OUT/fence-node2.log" 2>&1 &
P2=$!
i=0; while [ $i -lt 120 ]; do
    grep -qs "INFO serving" "$LAB_OUT/fence-node1.log" && grep -qs "INFO serving" "$LAB_OUT/fence-node2.log" && break
    sleep 1; i=$((i + 1)); done
[ $i -lt 120 ] || { bad "both nodes serve"; cat "$LAB_OUT"/fence-node*.log; exit 1; }

section "both nodes unfence ('on', each on itself)"
# One after the other: the guest's emulated CPUs run on one host thread, so at once would cost as
# much and add a RESERVE race (covered by the agent: a reservation exists either way).
agent 1 on 1 -d $M1 > "$LAB_OUT/fence-on-1.log" 2>&1; r1=$?
agent 2 on 2 -d $M2/disk > "$LAB_OUT/fence-on-2.log" 2>&1; r2=$?
if [ $r1 = 0 ] && [ $r2 = 0 ]; then ok "on: both nodes (exit 0)"; else bad "on: exit $r1 / $r2"; cat "$LAB_OUT"/fence-on-*.log; fi
[ "$(lio_keys 1)" = 4 ] && [ "$(lio_keys 2)" = 2 ] && ok "LIO: key 0x1 on A1..A4, 0x2 on B1..B2" \
    || bad "LIO keys: 0x1 x$(lio_keys 1), 0x2 x$(lio_keys 2)"
sg_persist -n -i -r "$(lab_sg B1)" 2>/dev/null | grep -q "Write Exclusive, registrants only" \
    && ok "LIO: write-exclusive-registrants-only reservation" || bad "no WE-RO reservation"
case "$(wr $M2)" in *copied*) ok "node 2 writes while unfenced";; *) bad "node 2 write: $(wr $M2)";; esac

section "split brain: each node fences the other at once; exactly one survives"
agent 1 off 2 -d $M1 > "$LAB_OUT/fence-off-2.log" 2>&1 & F1=$!
agent 2 off 1 -d $M2 > "$LAB_OUT/fence-off-1.log" 2>&1 & F2=$!
wait $F1; f1=$?; wait $F2; f2=$?
echo "node 1 fencing node 2: exit $f1; node 2 fencing node 1: exit $f2"
if [ $f1 = 0 ] && [ $f2 != 0 ]; then win=1; winm=$M1; lose=2; losem=$M2; loserpaths=B
elif [ $f2 = 0 ] && [ $f1 != 0 ]; then win=2; winm=$M2; lose=1; losem=$M1; loserpaths=A
else bad "exactly one node must win (exits $f1, $f2)"; cat "$LAB_OUT"/fence-off-*.log; win=""; fi
if [ -n "$win" ]; then
    ok "node $win fenced node $lose; node $lose's attempt failed: $(grep -h -m1 -i "fail" "$LAB_OUT/fence-off-$win.log")"
    [ "$(lio_keys $lose)" = 0 ] && ok "LIO: key 0x$lose gone from host $loserpaths's nexuses" \
        || bad "LIO still has 0x$lose x$(lio_keys $lose)"
    [ "$(lio_keys $win)" -gt 0 ] && ok "LIO: key 0x$win kept" || bad "LIO lost 0x$win"
    case "$(wr $losem)" in *"Invalid exchange"*) ok "node $lose's write fails with EBADE";;
        *) bad "node $lose's write: $(wr $losem)";; esac
    case "$(wr $winm)" in *copied*) ok "node $win's write succeeds";; *) bad "node $win's write: $(wr $winm)";; esac
    grep -q "pr-state preempted" $losem/ctl/status && ok "node $lose's mount: pr-state preempted" \
        || bad "node $lose's status: $(cat $losem/ctl/status)"
fi

section "cleanup"
kill -TERM $P1 $P2 2>/dev/null   # SIGTERM unmounts, as mpathfs umount does, without two more JVMs
wait $P1 $P2 2>/dev/null
sg_persist -n --out --register-ignore --param-sark=0xdead "$(lab_sg A1)" >/dev/null 2>&1
sg_persist -n --out --clear --param-rk=0xdead "$(lab_sg A1)" >/dev/null 2>&1
echo "== done [t=$(( $(date +%s) - T0 )) s], $fails failure(s)"
[ $fails = 0 ]
