#!/usr/bin/env bash
# Builds Buildcast (tests skipped) and runs the service on its embedded defaults:
# http://127.0.0.1:8080, data under ./data. Arguments go to the server (try --help).
# JVM options come from JAVA_OPTS (default -Xmx256m: without a limit the JVM lets its heap grow to
# a quarter of the machine's memory under a flood of log lines, though live data stays small; 200
# watchers of a flood keep under 130 MB live, and all outbound queues together are held to a
# quarter of the heap). MALLOC_ARENA_MAX defaults to 2: glibc's many per-thread malloc arenas
# otherwise add tens of MB of resident memory that the JVM never uses again.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
build_log=$(mktemp)
# why: Maven's terminal codes would otherwise stand in front of the server's ready line
if ! mvn -B -ntp -q -Dstyle.color=never package -DskipTests > "$build_log" 2>&1; then
  cat "$build_log" >&2
  rm -f "$build_log"
  exit 1
fi
rm -f "$build_log"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
# shellcheck disable=SC2086 # JAVA_OPTS holds several options
exec java ${JAVA_OPTS--Xmx256m} -jar target/buildcast-0.1.0-SNAPSHOT.jar "$@"
