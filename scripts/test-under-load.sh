#!/usr/bin/env bash
# make test, TIMES times in a row, with every core kept busy by stress-ng: the tests must not race
# against wall-clock or in-flight IO. Stops at the first failing run; prints one line per run.
set -uo pipefail
times=${TIMES:-3}
cores=$(nproc)
stress-ng --cpu "$cores" --cpu-method matrixprod --quiet &
stress=$!
trap 'kill $stress 2>/dev/null; wait $stress 2>/dev/null' EXIT
# The lab's limits catch hangs, not slowness: an emulated guest sharing its cores with stress-ng
# runs at a fraction of its speed.
export LAB_SUITE_TIMEOUT=${LAB_SUITE_TIMEOUT:-1800} LAB_TIMEOUT=${LAB_TIMEOUT:-3600}
rc=0
for i in $(seq 1 "$times"); do
    start=$(date +%s)
    make --no-print-directory test > "target-test-under-load-$i.log" 2>&1
    rc=$?
    summary=$(grep -a '^java: ' "target-test-under-load-$i.log" | tail -1)
    lab=$(grep -a -E '^lab: (all suites|.*[Ff]ail)' "target-test-under-load-$i.log" | sort -u | tr '\n' ' ')
    echo "test-under-load run $i/$times (stress-ng --cpu $cores): rc $rc in $(( $(date +%s) - start )) s; $summary; $lab"
    [ $rc -eq 0 ] || break
done
exit $rc
