#!/usr/bin/env bash
# Explores new inputs for HostileInputIT: a fresh random seed each run (printed), or the one given,
# with as many tries per surface as asked. The test command replays only the checked-in seeds
# (FuzzRun.CHECKED_IN_SEEDS); a seed this finds failing goes into that list with the fix.
#   scripts/fuzz.sh [--tries N] [--seed S] [--runs R]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
tries=500 seed=random runs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --tries) tries="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) echo "usage: scripts/fuzz.sh [--tries N] [--seed S] [--runs R]" >&2; exit 2 ;;
  esac
done
mvn -B -q -ntp -pl buildcast-server -am test-compile
# why the report files: the build sends each test's output and failures there, and the next run
# overwrites them; the seed, every failure found and any test's error are printed from them, and
# they are kept per run (buildcast-server/target/fuzz-run-N-*.txt)
reports=buildcast-server/target/failsafe-reports
output=$reports/dev.buildcast.HostileInputIT-output.txt
summary=$reports/dev.buildcast.HostileInputIT.txt
for ((i = 1; i <= runs; i++)); do
  rm -f "$output" "$summary"
  mvn -B -ntp -pl buildcast-server -am verify -DskipTests=false -Dtest=NoUnitTests -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=HostileInputIT -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dbuildcast.fuzz.seed="$seed" -Dbuildcast.fuzz.tries="$tries" | grep -E "Tests run:|FAIL|BUILD" || true
  if [ -f "$output" ]; then
    grep -E "buildcast fuzz" "$output" || true
    cp "$output" "buildcast-server/target/fuzz-run-$i-output.txt"
  fi
  if [ -f "$summary" ]; then
    grep -A3 "<<<" "$summary" | grep -v "^Tests run" || true
    cp "$summary" "buildcast-server/target/fuzz-run-$i-summary.txt"
  fi
done
