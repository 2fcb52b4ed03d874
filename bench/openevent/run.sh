#!/usr/bin/env bash
# Benchmark of the open-event-site generator: prints pages per second and peak heap.
#   bench/openevent/run.sh            FOSSASIA sample when /work/shared has it, else 2000 synthetic sessions
#   bench/openevent/run.sh ZIP        that export
#   bench/openevent/run.sh N          a synthetic export with N sessions
# Heap is capped (BENCH_XMX, default 256m) so the run also shows memory stays bounded.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/jdk.sh
sample=/work/shared/samples/open-event/FOSSASIASummit2017.zip
target="${1:-}"
if [ -z "$target" ]; then
  if [ -f "$sample" ]; then target="$sample"; else target=2000; fi
fi
mvn -B -ntp -q -pl buildcast-server -am compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
cp="buildcast-server/target/classes:$(cat buildcast-server/target/bench-classpath.txt)"
exec java -Xmx"${BENCH_XMX:-256m}" -Druns="${BENCH_RUNS:-5}" -cp "$cp" bench/openevent/OpenEventBench.java "$target"
