# Helpers for iSCSI lab suites (sourced; iscsi-setup.sh made the map). Path faults are transport
# faults: the session dies or is ended, the SCSI midlayer and open-iscsi do the rest.
#   path_offline N / path_online N   the nexus's TPG disabled (the target closes the connection and
#                                    refuses logins; after replacement_timeout IO fails at once) /
#                                    enabled again (iscsid's relogin brings the same session back)
#   path_drop N / path_undrop N      iptables DROP of the portal's traffic (a silent network loss,
#                                    noticed by the NOP-Out timers) / the rule removed
#   path_logout N / path_login N     the session ended / a new one: a new ISID, a new /dev/sdX
#                                    (the map line is updated), an unregistered nexus
#   lab_isid N, lab_transport_id N   the session's ISID and its TransportID as LIO reports it
LAB_MAP=$LAB_OUT/map-iscsi
. "$LAB_HOME/guest/lib.sh"
path_offline() { echo 0 > "$(lab_field "$1" 4)/enable"; }
path_online() { echo 1 > "$(lab_field "$1" 4)/enable"; }
path_drop() { iptables -I INPUT -p tcp -d "$(lab_field "$1" 6)" --dport 3260 -j DROP; }
path_undrop() { iptables -D INPUT -p tcp -d "$(lab_field "$1" 6)" --dport 3260 -j DROP; }
lab_node() { # N -> iscsiadm's node arguments
    tpg=$(lab_field "$1" 4)
    echo "-T $(basename "$(dirname "$tpg")") -p $(lab_field "$1" 6):3260 -I $(lab_field "$1" 7)"
}
path_logout() { iscsiadm -m node $(lab_node "$1") -u > /dev/null; }
path_login() { # logs in again and rewrites N's map line (new session, new disk)
    iscsiadm -m node $(lab_node "$1") --login > /dev/null || return 1
    tpg=$(lab_field "$1" 4)
    tgt=$(basename "$(dirname "$tpg")"); tpgt=${tpg##*tpgt_}; iface=$(lab_field "$1" 7)
    i=0
    while :; do
        for s in /sys/class/iscsi_session/session*; do
            [ "$(cat $s/ifacename)" = "$iface" ] && [ "$(cat $s/targetname)" = "$tgt" ] \
                && [ "$(cat $s/tpgt)" = "$tpgt" ] || continue
            for d in $s/device/target*/*:*:*:*; do
                [ -d "$d/block" ] && [ -d "$d/scsi_generic" ] || continue
                awk -v n="$1" -v b="/dev/$(ls $d/block)" -v g="/dev/$(ls $d/scsi_generic)" -v s="${s##*session}" \
                    '$1 == n { $2 = b; $3 = g; $8 = s } { print }' "$LAB_MAP" > "$LAB_MAP.new" && mv "$LAB_MAP.new" "$LAB_MAP"
                sg_turs "/dev/$(ls $d/scsi_generic)" > /dev/null 2>&1
                sg_turs "/dev/$(ls $d/scsi_generic)" > /dev/null 2>&1
                return 0
            done
        done
        i=$((i + 1)); [ $i -lt 600 ] || { echo "lab: no disk after login of $1" >&2; return 1; }
        sleep 0.1
    done
}
# open-iscsi's ISID: 0x00023d (its qualifier) followed by the 3-byte session number.
lab_isid() { printf '00023d%06x' "$(lab_field "$1" 8)"; }
lab_initiator() { cat "/sys/class/iscsi_session/session$(lab_field "$1" 8)/initiatorname"; }
lab_transport_id() { echo "$(lab_initiator "$1"),i,0x$(lab_isid "$1")"; }
