#!/usr/bin/env bash
# make lab-test: boots one qemu guest with LIO (lab-recipe.md), runs every suite in lab/suites
# (or those named with --suite NAME, repeatable), prints a summary table, exits non-zero on any
# failure with the failing suite's output. Never skips: if the lab cannot start, it fails loudly.
# Also runs the PR scenario files against the embedded target on the host, so the conformance
# table shows both columns side by side.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
out=${LAB_OUT:-$here/out}
jar="$repo/fuse-dev/target/mpathfs.jar"
suites=""
while [ $# -gt 0 ]; do
    case "$1" in
        --suite) suites="$suites $2"; shift 2;;
        *) echo "usage: lab/lab-test.sh [--suite NAME]..." >&2; exit 2;;
    esac
done
[ -f "$jar" ] || { echo "lab: $jar missing: run make first" >&2; exit 1; }
rm -rf "$out"; mkdir -p "$out"
start=$(date +%s)
echo "lab: fetching kernel and packages, building the initramfs"
"$here/fetch.sh" > /dev/null
"$here/initramfs.sh" > /dev/null
echo "lab: booting the guest (qemu, software emulation; console: $out/console.log)"
set +e
LAB_OUT="$out" LAB_TIMEOUT="${LAB_TIMEOUT:-1800}" "$here/run-guest.sh" \
    "LAB_JAR=$jar LAB_SUITES='${suites# }' LAB_SUITE_TIMEOUT=${LAB_SUITE_TIMEOUT:-900} sh $here/guest/run-suites.sh"
rc=$?
set -e
if [ ! -f "$out/results" ]; then
    echo "lab: FAILED before any suite ran (rc $rc):" >&2
    cat "$out/guest.out" 2>/dev/null >&2 || true
    tail -30 "$out/console.log" >&2 || true
    exit 1
fi

# Conformance table: the same scenario files on the embedded target (host) and on LIO (guest).
if [ -f "$out/conformance.txt" ]; then
    java -cp "$jar" io.mpathfs.backends.scenario.ScenarioMain --sim > "$out/conformance-sim.txt" 2>&1 || true
    echo
    # mpathfs-on-LIO: host A is the mount (SKIP: the scenario needs two of A's nexuses, or APTPL/ALL_TG_PT).
    touch "$out/conformance-mpathfs.txt"
    printf '%-42s %-16s %-6s %s\n' "SCENARIO" "EMBEDDED TARGET" "LIO" "MPATHFS-ON-LIO"
    awk 'FILENAME == ARGV[1] { if ($2 ~ /PASS|FAIL|SKIP/) sim[$1] = $2; next }
         FILENAME == ARGV[2] { if ($2 ~ /PASS|FAIL|SKIP/) mp[$1] = $2; next }
         $2 ~ /PASS|FAIL|SKIP/ { printf "%-42s %-16s %-6s %s\n", $1, ($1 in sim ? sim[$1] : "-"), $2,
                                 ($1 in mp ? mp[$1] : "-") }' \
        "$out/conformance-sim.txt" "$out/conformance-mpathfs.txt" "$out/conformance.txt"
    grep -E '^[0-9]+ passed' "$out/conformance-mpathfs.txt" | sed 's/^/mpathfs on LIO: /' || true
fi
# End to end on both transports: every check of each suite, then one line per case with the
# number of checks passed on each (the cases are shared, guest/e2e-cases.sh; "-" = not run there).
e2e_logs=""
for t in "30-mpathfs-e2e:TCM_LOOP" "40-iscsi-e2e:ISCSI" "70-alua-e2e:TCM_LOOP, ALUA GROUPS"; do
    log="$out/${t%%:*}.log"
    [ -f "$log" ] || continue
    e2e_logs="$e2e_logs $log"
    echo
    echo "MPATHFS ON LIO OVER ${t#*:} (end to end)"
    grep -E '^(ok|FAIL) ' "$log" | sed 's/^/  /'
done
if [ -n "$e2e_logs" ]; then
    echo
    awk 'FNR == 1 { col = (FILENAME ~ /40-iscsi-e2e/) ? 2 : 1 }
         /^== / { c = $0; sub(/^== /, "", c); sub(/ \[t=[0-9]+ s\]$/, "", c)
                  if (!(c in seen)) { seen[c] = 1; order[++n] = c }; ran[c, col] = 1; next }
         /^ok / { okc[c, col]++ } /^FAIL / { bad[c, col]++ }
         END { printf "%-90s %-10s %s\n", "E2E CASE", "TCM_LOOP", "ISCSI"
               for (i = 1; i <= n; i++) { c = order[i]; line = sprintf("%-90s", substr(c, 1, 90))
                   for (k = 1; k <= 2; k++) {
                       if (!((c, k) in ran)) r = "-"
                       else if (bad[c, k] > 0) r = sprintf("FAIL %d/%d", bad[c, k], okc[c, k] + bad[c, k])
                       else r = sprintf("PASS %d", okc[c, k])
                       line = line sprintf(" %-10s", r) }
                   print line } }' $e2e_logs
fi
echo
printf '%-24s %-6s %s\n' "SUITE" "RESULT" "SECONDS"
while read -r s r t; do printf '%-24s %-6s %s\n' "$s" "$r" "$t"; done < "$out/results"
echo "lab: $(( $(date +%s) - start )) s in all"
if grep -q FAIL "$out/results" || [ "$rc" -ne 0 ]; then
    for s in $(awk '$2 == "FAIL" { print $1 }' "$out/results"); do
        echo; echo "---- $s (failed) ----"; cat "$out/$s.log"
    done
    echo "lab: FAILED"
    exit 1
fi
echo "lab: all suites passed"
