#!/usr/bin/env bash
# Runs the official Socket.IO v5 protocol test suite against Buildcast's Socket.IO server.
# Usage: scripts/conformance-socketio.sh <path-to-test-suite> [runs]
#   <path-to-test-suite>: a copy of the test-suite/ folder of socketio/socket.io-protocol, kept
#   OUTSIDE this repository (it is never committed; CI cannot fetch it). Its npm dependencies are
#   installed there on first use.
#   [runs]: how many times to run the suite in a row (default 5); every run must pass.
# Why ws is replaced: the suite reads WebSocket frames with "await waitFor(socket, 'message')"
# between frames. Its lockfile's ws (8.5.0), like ws >= 8.17, emits every frame of one TCP read
# synchronously, so when the server's "40{sid}" and '42["auth",…]' arrive in one read the second is
# emitted before the test re-subscribes: the test then sees the next ping instead and fails. That is
# the suite's own flakiness (it hits the reference Node server too). ws 8.14-8.16 emit one frame per
# event-loop turn by default (allowSynchronousEvents=false), so we run the suite with ws 8.16.0
# rather than change the suite or the server.
set -euo pipefail
cd "$(dirname "$0")/.."
suite=$(cd "${1:?usage: $0 <path-to-test-suite> [runs]}" && pwd)
runs=${2:-5}
port=3000
. scripts/jdk.sh

if [ ! -d "$suite/node_modules" ]; then
  (cd "$suite" && npm ci --no-audit --no-fund --silent)
fi
if [ "$(cd "$suite" && node -p "require('ws/package.json').version")" != "8.16.0" ]; then
  (cd "$suite" && npm install --no-audit --no-fund --silent --no-save ws@8.16.0)
fi

mvn -B -ntp -q -pl buildcast-socketio test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt >/dev/null
cp="buildcast-socketio/target/test-classes:buildcast-socketio/target/classes:$(cat buildcast-socketio/target/test-classpath.txt)"

log=$(mktemp)
java -cp "$cp" dev.buildcast.socketio.SocketIoConformanceServer "$port" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 100); do
  grep -q "listening" "$log" && break
  kill -0 $server 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.2
done

failed=0
for i in $(seq 1 "$runs"); do
  echo "== run $i of $runs"
  if (cd "$suite" && npx mocha --reporter dot test-suite.js); then :; else failed=$((failed + 1)); fi
done
echo "conformance: $((runs - failed)) of $runs runs passed"
[ "$failed" -eq 0 ]
