# Helpers for lab suites (sourced). The map ($LAB_MAP, default $LAB_OUT/map: tcm_loop's) has one
# line per I_T nexus, its first five fields the same for every transport:
#   NAME BLOCKDEV SGDEV FAULT_HANDLE LU
# A1..A4 = host A (mpathfs's paths), B1..B2 = host B (the other initiator), X1 = another LU.
# FAULT_HANDLE is tcm_loop's transport_status file; iscsi-lib.sh gives its own faults.
LAB_MAP=${LAB_MAP:-$LAB_OUT/map}
lab_field() { awk -v n="$1" -v f="$2" '$1 == n { print $f }' "$LAB_MAP"; }
lab_blk() { lab_field "$1" 2; }
lab_sg() { lab_field "$1" 3; }
# The nexus name of a block device (the map's first field), e.g. for the holder mpathfs reports.
lab_name() { awk -v d="$1" '$2 == d { print $1 }' "$LAB_MAP"; }
path_offline() { echo offline > "$(lab_field "$1" 4)"; }
path_online() { echo online > "$(lab_field "$1" 4)"; }
