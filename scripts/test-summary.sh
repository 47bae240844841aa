#!/usr/bin/env bash
# Prints one closing line for the whole run from the Surefire reports: "N passed, N failed, N skipped".
set -uo pipefail
tests=0; fail=0; err=0; skip=0
for f in */target/surefire-reports/TEST-*.xml */target/failsafe-reports/TEST-*.xml; do
    [ -f "$f" ] || continue
    line=$(grep -m1 -o '<testsuite [^>]*>' "$f")
    t=$(sed -n 's/.* tests="\([0-9]*\)".*/\1/p' <<<"$line"); tests=$((tests + ${t:-0}))
    x=$(sed -n 's/.* failures="\([0-9]*\)".*/\1/p' <<<"$line"); fail=$((fail + ${x:-0}))
    x=$(sed -n 's/.* errors="\([0-9]*\)".*/\1/p' <<<"$line"); err=$((err + ${x:-0}))
    x=$(sed -n 's/.* skipped="\([0-9]*\)".*/\1/p' <<<"$line"); skip=$((skip + ${x:-0}))
done
failed=$((fail + err))
echo "java: $((tests - failed - skip)) passed, $failed failed, $skip skipped"
