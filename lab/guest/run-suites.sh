#!/bin/sh
# Runs in the guest: LIO setup, then each suite (lab/suites/NN-name.sh, or only $LAB_SUITES) under
# its own timeout. Writes $LAB_OUT/results: "suite PASS|FAIL seconds" lines, output per suite.
LAB_HOME=$(cd "$(dirname "$0")/.." && pwd)
export LAB_HOME
sh "$LAB_HOME/guest/lio-setup.sh" > "$LAB_OUT/lio-setup.log" 2>&1 || { cat "$LAB_OUT/lio-setup.log"; exit 1; }
: > "$LAB_OUT/results"
for s in "$LAB_HOME"/suites/*.sh; do
    name=$(basename "$s" .sh)
    if [ -n "${LAB_SUITES:-}" ] && ! echo " $LAB_SUITES " | grep -q " $name "; then continue; fi
    start=$(date +%s)
    # Generous per-suite limit: the guest is emulated (TCG, one thread) and CI machines vary; the
    # end-to-end suite takes ~230 s on a quiet machine. A suite that hits it says so in its log.
    limit=${LAB_SUITE_TIMEOUT:-900}
    timeout -k 5 "$limit" sh "$s" > "$LAB_OUT/$name.log" 2>&1
    rc=$?
    if [ $rc -eq 0 ]; then r=PASS; else r=FAIL; fi
    if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
        echo "lab: $name did not finish within $limit s (killed by timeout)" >> "$LAB_OUT/$name.log"
    fi
    echo "$name $r $(( $(date +%s) - start ))" >> "$LAB_OUT/results"
done
grep -q FAIL "$LAB_OUT/results" && exit 1
exit 0
