# Helpers for lab suites (sourced). The map ($LAB_OUT/map) has one line per I_T nexus:
#   NAME BLOCKDEV SGDEV TRANSPORT_STATUS_FILE LU
# A1..A4 = host A (mpathfs's paths), B1..B2 = host B (the other initiator), X1 = another LU.
lab_field() { awk -v n="$1" -v f="$2" '$1 == n { print $f }' "$LAB_OUT/map"; }
lab_blk() { lab_field "$1" 2; }
lab_sg() { lab_field "$1" 3; }
path_offline() { echo offline > "$(lab_field "$1" 4)"; }
path_online() { echo online > "$(lab_field "$1" 4)"; }
