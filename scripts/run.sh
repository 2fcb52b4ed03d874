#!/usr/bin/env bash
# Builds Buildcast (tests skipped) and runs the service on its embedded defaults:
# http://127.0.0.1:8080, data under ./data. Arguments go to the server (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
mvn -B -ntp -q -Dstyle.color=never package -DskipTests
exec java -jar target/buildcast-0.1.0-SNAPSHOT.jar "$@"
