#!/usr/bin/env bash
# Benchmark of uploads: one file (default 200 MB) sent to one server over Socket.IO (WebSocket,
# Buildcast's upload.* events, one chunk in flight and four in flight) and over plain HTTP
# (PUT /api/uploads), in the same run; prints MB/s for each and the socket/HTTP ratio.
#   bench/upload/run.sh          200 MB
#   bench/upload/run.sh 50       50 MB
# Everything stays on 127.0.0.1; the server gets a temporary data folder, deleted at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/jdk.sh
mb="${1:-200}"
runs="${BENCH_RUNS:-3}"
node_dir=buildcast-server/src/test/node
[ -d "$node_dir/node_modules/socket.io-client" ] || (cd "$node_dir" && npm ci --no-audit --no-fund >/dev/null)
mvn -B -ntp -q -pl buildcast-socketio,buildcast-server -am package -DskipTests >/dev/null
jar=$(ls target/buildcast-*.jar | head -1)

work=$(mktemp -d /tmp/buildcast-upload-bench.XXXXXX)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# every upload comes from 127.0.0.1: lift the per-address quotas (issue 14) above what a run sends
printf 'uploads:\n  maxBytes: %dMiB\n  maxBytesPerAddress: 1000GiB\n  maxUploadsPerAddress: 100000\n  maxUnfinishedPerAddress: 10000\n' $((mb + 16)) > "$work/buildcast.yaml"
head -c "$((mb * 1000 * 1000))" /dev/urandom > "$work/file.bin"
java -Xmx"${BENCH_XMX:-256m}" -jar "$jar" --host 127.0.0.1 --port 0 --data-dir "$work/data" --config "$work/buildcast.yaml" \
  > "$work/server.out" 2> "$work/server.err" &
server_pid=$!
for _ in $(seq 1 100); do
  url=$(sed -n 's/^Buildcast listening on //p' "$work/server.out")
  [ -n "$url" ] && break
  sleep 0.2
done
[ -n "$url" ] || { echo "server did not start:"; cat "$work/server.err"; exit 1; }
echo "server $url, JDK $(java -version 2>&1 | head -1), $(nproc) cores, file ${mb} MB, best of $runs"
timeout 900 node bench/upload/bench.js "$url" "$work/file.bin" "$runs"
