#!/usr/bin/env bash
# Runs the official Engine.IO v4 test suite against EngineConformanceServer.
# Usage: scripts/conformance-engine.sh <path-to-engine.io-protocol/test-suite> [runs]
#   PORT=3000 by default (the port the suite expects). On a shared machine another server may
#   hold 3000 (the Socket.IO suite uses it too): set PORT and the suite runs from a copy of
#   test-suite.js whose URL points at that port.
# The suite is not part of this repository (it cannot be fetched in CI): export the
# test-suite/ folder of socketio/engine.io-protocol somewhere outside the repo first.
#   UNPATCHED=1 runs the suite exactly as its repository pins it: the lockfile's ws and the
#   suite's own text, only the URL changed (implies RAW=1, see below).
#   SERVER=node runs the reference Node server instead of ours (engine.io as pinned through
#   socket.io in bench/socketio/package-lock.json, configured as the suite's README says:
#   bench/socketio/conformance/engine-server.mjs); SERVER=both runs ours on PORT and the
#   reference on PORT+1 and alternates them run by run, so both see the same machine load.
#   REPORT=<dir>: each counted run's mocha JSON report is kept there as <ours|node>-run-<n>.json.
#   BOOST=0: no higher priority for server and suite even when run as root (see below).
#   GREP=<text>: only the suite's tests whose full title contains it (mocha --grep), e.g.
#   GREP="same sid after upgrade" for the two upgrade-order tests alone.
set -euo pipefail
suite=$(cd "${1:?path to the engine.io-protocol test-suite folder}" && pwd)
runs=${2:-1}
port=${PORT:-3000}
server_kind=${SERVER:-ours}
unpatched=${UNPATCHED:-0}
raw=${RAW:-0}
[ "$unpatched" = 1 ] && raw=1
case "$server_kind" in ours|node) kinds=("$server_kind") ;; both) kinds=(ours node) ;;
  *) echo "SERVER must be ours, node or both" >&2; exit 2 ;; esac
cd "$(dirname "$0")/.."
. scripts/jdk.sh

port_of() { if [ "$1" = ours ]; then echo "$port"; else echo $((port + ${#kinds[@]} - 1)); fi; }
for kind in "${kinds[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$(port_of "$kind")") 2>/dev/null; then
    echo "port $(port_of "$kind") is already in use: set PORT to a free one" >&2
    exit 2
  fi
done

# The suite's timings are tight (300 ms ping interval: a test that takes longer sees an extra "2"
# ping in its poll). On a busy shared machine, run server and suite at a slightly higher priority
# when allowed to.
prio=()
only=()
[ -z "${GREP:-}" ] || only=(--grep "$GREP")
if [ "$(id -u)" = 0 ] && [ "${BOOST:-1}" != 0 ]; then prio=(nice -n -5); fi

servers=()
logs=()
trap 'for p in "${servers[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null || true; done; rm -f "${logs[@]}"' EXIT
# start_server KIND: starts it on its port and waits until it listens
start_server() {
  local kind=$1 p log
  p=$(port_of "$kind")
  log=$(mktemp)
  logs+=("$log")
  if [ "$kind" = ours ]; then
    mvn -B -ntp -q -pl buildcast-socketio test-compile dependency:build-classpath \
      -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
    cp="buildcast-socketio/target/test-classes:buildcast-socketio/target/classes:$(cat buildcast-socketio/target/test-classpath.txt)"
    "${prio[@]}" java -cp "$cp" dev.buildcast.socketio.engine.EngineConformanceServer "$p" >"$log" 2>&1 &
  else
    [ -d bench/socketio/node_modules ] || (cd bench/socketio && npm ci --no-audit --no-fund --silent)
    "${prio[@]}" node bench/socketio/conformance/engine-server.mjs "$p" >"$log" 2>&1 &
  fi
  local pid=$!
  servers+=("$pid")
  for _ in $(seq 1 100); do
    grep -q "listening on $p" "$log" && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "$kind server did not start" >&2; exit 2; }
    sleep 0.1
  done
  echo "$kind server did not start listening on $p" >&2
  exit 2
}
for kind in "${kinds[@]}"; do start_server "$kind"; done

[ -d "$suite/node_modules" ] || (cd "$suite" && npm ci --no-audit --no-fund)
ws_installed() { (cd "$suite" && node -p "JSON.parse(require('fs').readFileSync('node_modules/ws/package.json')).version"); }
if [ "$unpatched" = 1 ]; then
  pinned=$(cd "$suite" && node -p "JSON.parse(require('fs').readFileSync('package-lock.json')).packages['node_modules/ws'].version")
  [ "$(ws_installed)" = "$pinned" ] || (cd "$suite" && npm ci --no-audit --no-fund --silent)
fi
echo "suite: ws $(ws_installed), $([ "$raw" = 1 ] && echo "suite text unchanged but its URL" || echo "same-tick requests staggered"); server: $server_kind"
# The suite runs from a generated copy next to it (never from this repository):
#  - its URL points at $port;
#  - unless RAW=1, requests that the suite sends in the same tick on two connections are staggered
#    by STAGGER_MS (default 50 ms). The suite assumes such requests are handled in the order sent,
#    which holds for a single-threaded Node server but not for a multi-threaded one, least of all
#    on a loaded 2-core machine. The suite itself staggers one pair by 5 ms (duplicate-poll test);
#    that gap is widened, and one more pair gets the same treatment:
#    * "upgrade > ignores HTTP requests with same sid after upgrade": the GET goes after the
#      "2probe"/"5" frames. Otherwise the GET may be handled before the "5" frame, while the
#      upgrade is still under way, and rightly gets a "6" (200) instead of the 400 expected.
#    "close > HTTP long-polling > forcefully closes the session" (GET and close POST at once) needs
#    no stagger: the server answers that GET "6" whichever of the two it handles first (LatePolls).
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
    need(src, "sleep(5).then(", "the duplicate-poll stagger");
    src = src.replace("sleep(5).then(", gap + ".then(");
    const probeFrom = "socket.send(\"5\");\n\n      const pollResponse = await fetch(";
    const probeTo = "socket.send(\"5\");\n\n      await " + gap + ";\n      const pollResponse = await fetch(";
    need(src, probeFrom, "the upgrade-test stagger");
    src = src.replace(probeFrom, probeTo);
  }
  fs.writeFileSync(process.argv[2], src);
' "$suite/test-suite.js" "$suite/$2"
}
for kind in "${kinds[@]}"; do write_spec "$(port_of "$kind")" "test-suite.buildcast-$kind.js"; done

# Warm-up pass, not counted: on a cold JVM the first WebSocket upgrade can take longer than the
# suite's 300 ms ping interval, and the suite's "ignores HTTP requests with same sid after
# upgrade" test then races a ping against its probe (the suite's own timing, not the server's).
for kind in "${kinds[@]}"; do
  echo "=== warm-up run on $kind (not counted)"
  (cd "$suite" && "${prio[@]}" npx mocha "${only[@]}" "test-suite.buildcast-$kind.js" >/dev/null 2>&1) || true
done
report=${REPORT:-}
[ -z "$report" ] || mkdir -p "$report"
status=0
declare -A passed
for run in $(seq 1 "$runs"); do
  for kind in "${kinds[@]}"; do
    echo "=== conformance run $run/$runs, server $kind, $(date -u +%FT%TZ), load average $(cut -d" " -f1-3 /proc/loadavg)"
    out=$(mktemp)
    if (cd "$suite" && "${prio[@]}" npx mocha --reporter json "${only[@]}" "test-suite.buildcast-$kind.js" >"$out" 2>/dev/null); then
      passed[$kind]=$((${passed[$kind]:-0} + 1))
    else
      status=1
    fi
    scripts/mocha-summary.mjs "$out" || true
    if [ -n "$report" ]; then mv "$out" "$report/$kind-run-$run.json"; else rm -f "$out"; fi
  done
done
for kind in "${kinds[@]}"; do echo "conformance ($kind): ${passed[$kind]:-0} of $runs runs passed"; done
exit $status
