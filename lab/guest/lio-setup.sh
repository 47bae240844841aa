#!/bin/sh
# Sets up LIO through configfs (no targetcli in the guest): one 256 MiB rd_mcp logical unit with
# host A's 4 and host B's 2 loopback I_T nexuses, and a second LU ("wrong LU") with one path X1.
# Writes $LAB_OUT/map: "NAME BLOCKDEV SGDEV TRANSPORT_STATUS_FILE LU" per nexus, and sources helpers.
set -eu
T=/sys/kernel/config/target
modprobe target_core_mod
modprobe tcm_loop
modprobe sd_mod
modprobe sg
[ -d $T ] || { echo "lab: configfs target tree missing"; exit 1; }

mklu() { # name pages serial
    mkdir -p $T/core/rd_mcp_0/$1
    echo "rd_pages=$2" > $T/core/rd_mcp_0/$1/control
    echo 1 > $T/core/rd_mcp_0/$1/enable
    echo "$3" > $T/core/rd_mcp_0/$1/wwn/vpd_unit_serial
}
mklu lu0 65536 5a4b3c2d1e0f00112233445566778899
mklu lu1 4096 0f1e2d3c4b5a99887766554433221100

: > "$LAB_OUT/map"
n=0
mknexus() { # name host lu
    n=$((n + 1))
    wwn=$(printf 'naa.5001405%09x' $((0x100 + n)))
    # One initiator port per host, reaching the LU through several target ports — a real HBA
    # port in a multipath fabric, and the embedded target's model (ALL_TG_PT depends on it).
    init=$(printf 'naa.5001405%09x' $((0x900 + $(printf '%d' "'$2"))))
    tpg=$T/loopback/$wwn/tpgt_1
    mkdir -p $tpg
    echo "$init" > $tpg/nexus               # the nexus before the LUN, or no /dev/sdX appears
    mkdir -p $tpg/lun/lun_0
    ln -s $T/core/rd_mcp_0/$3 $tpg/lun/lun_0/$3
    echo "$1 $wwn $init $3" >> "$LAB_OUT/map.raw"
}
rm -f "$LAB_OUT/map.raw"
for i in 1 2 3 4; do mknexus A$i A lu0; done
for i in 1 2; do mknexus B$i B lu0; done
mknexus X1 A lu1

# Find each nexus's SCSI device through its tcm_loop host (scsi_host's proc_name / target wwn).
settle() { i=0; while [ $i -lt 100 ]; do [ "$(ls /sys/class/scsi_generic 2>/dev/null | wc -l)" -ge "$1" ] && return 0; sleep 0.1; i=$((i + 1)); done; return 1; }
settle 7 || { echo "lab: SCSI devices did not appear"; ls /sys/class/scsi_generic; exit 1; }
while read -r name wwn init lu; do
    addr=$(cat $T/loopback/$wwn/tpgt_1/address 2>/dev/null || true)
    dev=""
    for d in /sys/bus/scsi/devices/*:*:*:*; do
        [ -d "$d/block" ] || continue
        h=$(basename "$d")
        # tcm_loop's tpg "address" is the SCSI H:C:T of its LUN 0 device
        if [ -n "$addr" ] && [ "${h%:*}" = "$addr" ]; then dev=$d; fi
    done
    [ -n "$dev" ] || { echo "lab: no SCSI device for $name ($wwn, address '$addr')"; exit 1; }
    blk=/dev/$(ls "$dev/block")
    sg=/dev/$(ls "$dev/scsi_generic")
    echo "$name $blk $sg $T/loopback/$wwn/tpgt_1/transport_status $lu" >> "$LAB_OUT/map"
done < "$LAB_OUT/map.raw"
# The first command on a fresh I_T nexus reports a UNIT ATTENTION: drain them.
while read -r name blk sg ts lu; do
    sg_turs "$sg" >/dev/null 2>&1 || true
    sg_turs "$sg" >/dev/null 2>&1 || true
done < "$LAB_OUT/map"
cat "$LAB_OUT/map"
