#!/usr/bin/env bash
# Runs the official Socket.IO v5 protocol test suite against SocketIoConformanceServer.
# Usage: scripts/conformance-socketio.sh <path-to-socket.io-protocol/test-suite> [runs]
#   The suite is not part of this repository (CI cannot fetch it): export the test-suite/ folder of
#   socketio/socket.io-protocol somewhere outside the repo first. Its npm dependencies are installed
#   there on first use. [runs] (default 5): how many runs in a row; every run must pass.
#   PORT (default 3000, the suite's): on a shared machine another server may hold it.
#   RAW=1 runs the suite's own text (no staggering, see below), still with ws 8.16.0.
#   UNPATCHED=1 runs the suite exactly as its repository pins it: the lockfile's ws (8.5.0) and
#   the suite's own text, only the URL changed (implies RAW=1).
#   SERVER=node runs the reference Node server instead of ours (socket.io as pinned in
#   bench/socketio/package-lock.json, configured as the suite's README says:
#   bench/socketio/conformance/socketio-server.mjs); SERVER=both runs ours on PORT and the
#   reference on PORT+1 and alternates them run by run, so both see the same machine load.
#   REPORT=<dir>: each run's mocha JSON report is kept there as <ours|node>-run-<n>.json.
#
# How the suite is run, and why (the server is not changed for any of this):
#  * ws 8.16.0 replaces the lockfile's ws 8.5.0. The suite reads frames with "await waitFor(socket,
#    'message')" one at a time; ws 8.5.0 (like ws >= 8.17) emits all frames of one TCP read
#    synchronously, so when "40{sid}" and '42["auth",…]' arrive in one read the second is emitted
#    before the test listens again and the test fails. The reference Node server fails 2-4 of the
#    suite's cases per run that way; ws 8.14-8.16 emit one frame per event-loop turn.
#  * The suite runs from a generated copy next to it, whose URL points at $PORT and (unless RAW=1)
#    where a pair of requests the suite sends in the same tick on two connections is staggered
#    by STAGGER_MS (default 50 ms). The suite assumes they are handled in the order sent, which a
#    single-threaded Node server does, a multi-threaded one on a loaded machine does not:
#    - "upgrade > should ignore HTTP requests with same sid after upgrade": the GET goes after the
#      "2probe"/"5" frames; handled before "5", it rightly gets a 200 during the upgrade.
#    ("close > HTTP long-polling > should forcefully close the session", GET and close POST at once,
#    needs no stagger: the server answers that GET "6" whichever it handles first, see LatePolls.)
#    (The same staggering as scripts/conformance-engine.sh applies to the Engine.IO suite.)
#  * A warm-up exercises every path before the first run: the suite allows 2 s for its first case
#    and 300 ms between pings, which a cold JVM on a busy machine can miss on its first requests.
set -euo pipefail
cd "$(dirname "$0")/.."
suite=$(cd "${1:?usage: $0 <path-to-socket.io-protocol/test-suite> [runs]}" && pwd)
runs=${2:-5}
port=${PORT:-3000}
server_kind=${SERVER:-ours}
unpatched=${UNPATCHED:-0}
raw=${RAW:-0}
[ "$unpatched" = 1 ] && raw=1
case "$server_kind" in ours|node) kinds=("$server_kind") ;; both) kinds=(ours node) ;;
  *) echo "SERVER must be ours, node or both" >&2; exit 2 ;; esac
. scripts/jdk.sh

port_of() { if [ "$1" = ours ]; then echo "$port"; else echo $((port + ${#kinds[@]} - 1)); fi; }
for kind in "${kinds[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$(port_of "$kind")") 2>/dev/null; then
    echo "port $(port_of "$kind") is already in use: set PORT to a free one" >&2
    exit 2
  fi
done

[ -d "$suite/node_modules" ] || (cd "$suite" && npm ci --no-audit --no-fund --silent)
ws_installed() { (cd "$suite" && node -p "JSON.parse(require('fs').readFileSync('node_modules/ws/package.json')).version"); }
if [ "$unpatched" = 1 ]; then
  pinned=$(cd "$suite" && node -p "JSON.parse(require('fs').readFileSync('package-lock.json')).packages['node_modules/ws'].version")
  # why npm ci: a run without UNPATCHED leaves ws 8.16.0 installed over the lockfile's
  [ "$(ws_installed)" = "$pinned" ] || (cd "$suite" && npm ci --no-audit --no-fund --silent)
elif [ "$(ws_installed)" != "8.16.0" ]; then
  (cd "$suite" && npm install --no-audit --no-fund --silent --no-save ws@8.16.0)
fi
echo "suite: ws $(ws_installed), $([ "$raw" = 1 ] && echo "suite text unchanged but its URL" || echo "same-tick requests staggered"); server: $server_kind"

# write_spec PORT FILE: the suite copy that runs against PORT
write_spec() {
SUITE_PORT=$1 RAW=$raw STAGGER_MS=${STAGGER_MS:-50} node -e '
  const fs = require("fs");
  const need = (src, from, what) => {
    if (!src.includes(from)) { console.error("suite text changed: cannot apply " + what); process.exit(2); }
  };
  let src = fs.readFileSync(process.argv[1], "utf8")
    .replace("http://localhost:3000", "http://localhost:" + process.env.SUITE_PORT);
  if (process.env.RAW !== "1") {
    const gap = "sleep(" + Number(process.env.STAGGER_MS) + ")";
    const probeFrom = "socket.send(\"5\");\n\n      const pollResponse = await fetch(";
    const probeTo = "socket.send(\"5\");\n\n      await " + gap + ";\n      const pollResponse = await fetch(";
    need(src, probeFrom, "the upgrade-test stagger");
    src = src.replace(probeFrom, probeTo);
  }
  fs.writeFileSync(process.argv[2], src);
' "$suite/test-suite.js" "$suite/$2"
}

servers=()
logs=()
trap 'for p in "${servers[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null || true; done; rm -f "${logs[@]}"' EXIT
# start_server KIND: starts it on its port and waits until it listens
start_server() {
  local kind=$1 p log
  p=$(port_of "$kind")
  log=$(mktemp)
  logs+=("$log")
  if [ "$kind" = node ]; then
    [ -d bench/socketio/node_modules ] || (cd bench/socketio && npm ci --no-audit --no-fund --silent)
    node bench/socketio/conformance/socketio-server.mjs "$p" >"$log" 2>&1 &
  else
    mvn -B -ntp -q -pl buildcast-socketio test-compile dependency:build-classpath \
      -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >/dev/null
    cp="buildcast-socketio/target/test-classes:buildcast-socketio/target/classes:$(cat buildcast-socketio/target/test-classpath.txt)"
    java -cp "$cp" dev.buildcast.socketio.SocketIoConformanceServer "$p" >"$log" 2>&1 &
  fi
  local pid=$!
  servers+=("$pid")
  for _ in $(seq 1 100); do
    grep -q "listening on $p" "$log" && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "$kind server did not start" >&2; exit 2; }
    sleep 0.2
  done
  echo "$kind server did not start listening on $p" >&2
  exit 2
}

# warm_up PORT (not counted): Engine.IO handshakes, then Socket.IO connects, events, acks, binary
warm_up() {
local port=$1
(cd "$suite" && node --input-type=module -e "
  const { WebSocket } = await import('ws');
  const base = 'localhost:$port/socket.io/?EIO=4&transport=';
  for (let i = 0; i < 20; i++) await (await fetch('http://' + base + 'polling')).text();
  for (let i = 0; i < 20; i++) {
    const ws = new WebSocket('ws://' + base + 'websocket');
    await new Promise((r) => ws.once('message', r));
    const echoed = new Promise((r) => {
      ws.on('message', (data, isBinary) => { if (isBinary) r(); else if (String(data) === '2') ws.send('3'); });
      ws.on('close', r);
    });
    for (const m of ['40', '40/custom,{\"a\":1}', '42[\"message\",1]', '421[\"message-with-ack\",2]',
                     '451-[\"message\",{\"_placeholder\":true,\"num\":0}]']) ws.send(m);
    ws.send(Uint8Array.from([1, 2, 3]));
    await echoed;
    ws.close();
  }
")
}

for kind in "${kinds[@]}"; do
  write_spec "$(port_of "$kind")" "test-suite.buildcast-$kind.js"
  start_server "$kind"
  warm_up "$(port_of "$kind")"
done

report=${REPORT:-}
[ -z "$report" ] || mkdir -p "$report"
declare -A passed
failed=0
for i in $(seq 1 "$runs"); do
  for kind in "${kinds[@]}"; do
    echo "== run $i of $runs, server $kind, $(date -u +%FT%TZ), load average $(cut -d" " -f1-3 /proc/loadavg)"
    out=$(mktemp)
    if (cd "$suite" && npx mocha --reporter json "test-suite.buildcast-$kind.js" >"$out" 2>/dev/null); then
      passed[$kind]=$((${passed[$kind]:-0} + 1))
    else
      failed=$((failed + 1))
    fi
    scripts/mocha-summary.mjs "$out" || true
    if [ -n "$report" ]; then mv "$out" "$report/$kind-run-$i.json"; else rm -f "$out"; fi
  done
done
for kind in "${kinds[@]}"; do echo "conformance ($kind): ${passed[$kind]:-0} of $runs runs passed"; done
[ "$failed" -eq 0 ]
