#!/bin/sh
# The lab itself: every host A and B path reaches the same LU (same VPD 0x83), X1 another one;
# a path taken offline fails IO at once and works again when back online.
set -u
. "$LAB_HOME/guest/lib.sh"
fails=0
id() { sg_vpd -p di_lu "$(lab_sg "$1")" 2>/dev/null | grep -v '^Device Identification' | tr -d ' \n'; }
a1=$(id A1)
for n in A2 A3 A4 B1 B2; do
    if [ "$(id $n)" = "$a1" ]; then echo "ok   $n is the same LU as A1"; else echo "FAIL $n identity"; fails=$((fails + 1)); fi
done
if [ -n "$a1" ] && [ "$(id X1)" != "$a1" ]; then echo "ok   X1 is another LU"; else echo "FAIL X1 identity"; fails=$((fails + 1)); fi
path_offline A2
if dd if="$(lab_blk A2)" of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null; then
    echo "FAIL IO on an offline path succeeded"; fails=$((fails + 1)); else echo "ok   offline path fails IO"; fi
path_online A2
sg_turs "$(lab_sg A2)" >/dev/null 2>&1
if dd if="$(lab_blk A2)" of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null; then
    echo "ok   online again"; else echo "FAIL path back online"; fails=$((fails + 1)); fi
[ $fails -eq 0 ]
