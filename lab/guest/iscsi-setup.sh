#!/bin/sh
# LIO's iSCSI target and open-iscsi's initiator over the guest's loopback, through configfs and
# iscsiadm (no targetcli, no systemd). One 128 MiB rd_mcp LU (ilu0) behind one target IQN with a
# TPG and a portal per path: host A (initiator name ...:hosta) logs in to 4 of them (A1..A4), host
# B (...:hostb, a second iface record of the same iscsid) to 2 (B1..B2); X1 is host A's session to
# another LU (ilu1, its own target IQN), for identity refusal. One session per portal: each is one
# I_T nexus and one /dev/sdX. Every TPG is its own target port (relative target port = tpgt).
# Writes $LAB_OUT/map-iscsi: "NAME BLOCKDEV SGDEV TPG_DIR LU PORTAL IFACE SESSION" per nexus
# (lab/guest/iscsi-lib.sh reads it). Runs after lio-setup.sh (the rd_mcp HBA exists then).
set -eu
T=/sys/kernel/config/target
LAB=iqn.2003-01.org.linux-iscsi.lab
MAP="$LAB_OUT/map-iscsi"
# Every failed IO on a path under a fault logs an "I/O error" line: keep the console quiet.
dmesg -n 1
modprobe iscsi_target_mod
modprobe iscsi_tcp
modprobe sd_mod
modprobe sg
ip link set lo up # all of 127/8 is then local: one address per portal, no extra configuration

mklu() { # name pages serial
    mkdir -p $T/core/rd_mcp_0/$1
    echo "rd_pages=$2" > $T/core/rd_mcp_0/$1/control
    echo 1 > $T/core/rd_mcp_0/$1/enable
    echo "$3" > $T/core/rd_mcp_0/$1/wwn/vpd_unit_serial
}
# LIO's NAA designator keeps only the serial's first hex digits: these differ from the first one,
# from each other and from lio-setup.sh's LUs.
mklu ilu0 32768 7c6b5a4d3e2f01122334455667788990
mklu ilu1 4096 3e4f5a6b7c8d99aabbccddeeff001122

# A TPG with the LU as LUN 0 and one portal, in demo mode (dynamic ACLs kept after the last session
# ends, so that registrations outlive a session's recovery).
mktpg() { # target-iqn tpgt portal-ip lu
    g=$T/iscsi/$1/tpgt_$2
    mkdir -p $g/lun/lun_0
    ln -s $T/core/rd_mcp_0/$4 $g/lun/lun_0/$4
    mkdir $g/np/$3:3260
    echo 0 > $g/attrib/authentication
    echo 1 > $g/attrib/generate_node_acls
    echo 1 > $g/attrib/cache_dynamic_acls
    echo 0 > $g/attrib/demo_mode_write_protect
    echo 1 > $g/enable
}

# The initiator: a short replacement_timeout (queued IO of a dead session fails after 5 s instead
# of 120) and NOP-Out pings every 2 s with a 2 s timeout (a silent drop is noticed in ~4 s). Set in
# iscsid.conf before the node records are made: they copy it.
C=/etc/iscsi/iscsid.conf
sed -i -e 's/^node.session.timeo.replacement_timeout = .*/node.session.timeo.replacement_timeout = 5/' \
    -e 's/^node.conn\[0\].timeo.noop_out_interval = .*/node.conn[0].timeo.noop_out_interval = 2/' \
    -e 's/^node.conn\[0\].timeo.noop_out_timeout = .*/node.conn[0].timeo.noop_out_timeout = 2/' $C
mkdir -p /run/lock/iscsi /var/lib/iscsi
# No systemd in the guest: iscsid runs in the foreground, in the background of this shell.
iscsid -f > "$LAB_OUT/iscsid.log" 2>&1 &
i=0
while ! grep -q ISCSIADM_ABSTRACT_NAMESPACE /proc/net/unix; do
    i=$((i + 1)); [ $i -lt 300 ] || { echo "lab: iscsid did not start"; cat "$LAB_OUT/iscsid.log"; exit 1; }
    sleep 0.1
done
for h in hosta hostb; do
    iscsiadm -m iface -I $h -o new > /dev/null
    iscsiadm -m iface -I $h -o update -n iface.initiatorname -v $LAB:$h > /dev/null
done

: > "$MAP.raw"
mknexus() { # name iface target-iqn tpgt portal-ip lu
    mktpg "$3" "$4" "$5" "$6"
    iscsiadm -m node -o new -T "$3" -p "$5:3260,$4" -I "$2" > /dev/null
    echo "$1 $2 $3 $4 $5 $6" >> "$MAP.raw"
}
for i in 1 2 3 4; do mknexus A$i hosta $LAB:ilu0 $i 127.0.0.$i ilu0; done
for i in 5 6; do mknexus B$((i - 4)) hostb $LAB:ilu0 $i 127.0.0.$i ilu0; done
mknexus X1 hosta $LAB:ilu1 1 127.0.0.7 ilu1
iscsiadm -m node -L all > "$LAB_OUT/iscsi-login.log" 2>&1 || { cat "$LAB_OUT/iscsi-login.log"; exit 1; }

# A session's SCSI disk, found under the session's own device (the scan after login is asynchronous).
session_disk() { # session-number -> the scsi device directory, or nothing
    for d in /sys/class/iscsi_session/session$1/device/target*/*:*:*:*; do
        [ -d "$d/block" ] && [ -d "$d/scsi_generic" ] && { echo "$d"; return 0; }
    done
    return 0
}
# The session of a node record (iface, target, tpgt), from the initiator's sysfs.
session_of() { # iface target-iqn tpgt
    for s in /sys/class/iscsi_session/session*; do
        [ "$(cat $s/ifacename)" = "$1" ] && [ "$(cat $s/targetname)" = "$2" ] && [ "$(cat $s/tpgt)" = "$3" ] \
            && { echo "${s##*session}"; return 0; }
    done
    return 0
}
# One map line for a nexus, waiting for its disk to appear (bounded only to catch a hang).
map_line() { # name iface target-iqn tpgt portal-ip lu
    i=0
    while :; do
        sid=$(session_of "$2" "$3" "$4")
        d=""
        [ -z "$sid" ] || d=$(session_disk "$sid")
        [ -n "$d" ] && break
        i=$((i + 1)); [ $i -lt 600 ] || { echo "lab: no SCSI disk for $1 (session '$sid')" >&2; return 1; }
        sleep 0.1
    done
    echo "$1 /dev/$(ls "$d/block") /dev/$(ls "$d/scsi_generic") $T/iscsi/$3/tpgt_$4 $6 $5 $2 $sid"
}
: > "$MAP.new"
while read -r name iface tgt tpgt ip lu; do
    map_line "$name" "$iface" "$tgt" "$tpgt" "$ip" "$lu" >> "$MAP.new"
done < "$MAP.raw"
mv "$MAP.new" "$MAP"
# The first command on a fresh I_T nexus reports a UNIT ATTENTION: drain them.
while read -r name blk sg rest; do
    sg_turs "$sg" > /dev/null 2>&1 || true
    sg_turs "$sg" > /dev/null 2>&1 || true
done < "$MAP"
cat "$MAP"
