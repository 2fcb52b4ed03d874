#!/usr/bin/env bash
# Builds the jar twice from clean and compares the bytes: the packaged jar must be reproducible
# (fixed entry times from project.build.outputTimestamp, a pinned npm lockfile for the page's client).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
sums=()
for run in 1 2; do
  mvn -B -q -ntp clean package -DskipTests >/dev/null
  jar=$(ls target/buildcast-*.jar)
  sums+=("$(sha256sum "$jar" | cut -d' ' -f1)")
  echo "build $run: ${sums[-1]}  $jar"
done
if [ "${sums[0]}" = "${sums[1]}" ]; then echo "reproducible"; else echo "NOT reproducible" >&2; exit 1; fi
