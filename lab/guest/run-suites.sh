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
    if timeout -k 5 "${LAB_SUITE_TIMEOUT:-300}" sh "$s" > "$LAB_OUT/$name.log" 2>&1; then r=PASS; else r=FAIL; fi
    echo "$name $r $(( $(date +%s) - start ))" >> "$LAB_OUT/results"
done
grep -q FAIL "$LAB_OUT/results" && exit 1
exit 0
