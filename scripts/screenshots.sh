#!/usr/bin/env bash
# Regenerates the page's screenshots in docs/screenshots/ with one command: builds Buildcast
# (tests skipped; --no-build uses the jar already in target/), starts it on a free port with a
# temporary data folder and the browser tests' small generator scripts, and lets headless
# Chromium (Debian's chromium, driven by playwright-core) take each main state at desktop
# (1366x850) and phone (390x844) size. Needs Node.js 20 with npm, and chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. scripts/jdk.sh
if [ "${1-}" != "--no-build" ]; then
  build_log=$(mktemp)
  if ! mvn -B -ntp -q -Dstyle.color=never package -DskipTests > "$build_log" 2>&1; then
    cat "$build_log" >&2
    rm -f "$build_log"
    exit 1
  fi
  rm -f "$build_log"
fi
jar=$(ls target/buildcast-*.jar | head -n 1)
(cd buildcast-server/src/test/node && npm ci --no-audit --no-fund --silent)

work=$(mktemp -d)
generators=$root/buildcast-server/src/test/node/web/generators
cat > "$work/buildcast.yaml" <<YAML
maxConcurrentJobs: 4
generators:
  - name: docs
    description: Builds the documentation (install, build, test), with a warning and an error
    command: [bash, $generators/steps.sh]
    params:
      - {name: title, description: Title of the documentation}
  - name: site
    description: Makes a small website you can open from the job page
    command: [bash, $generators/site.sh]
    site: site
  - name: live
    description: Prints lines while the screenshots are taken
    command: [bash, $generators/live.sh]
  - name: detail
    description: Three thousand lines for the detailed log
    command: [bash, $generators/detail.sh]
  - name: upload
    description: Reports its input file
    command: [bash, $generators/upload.sh]
    input: file
YAML
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
# shellcheck disable=SC2086 # JAVA_OPTS holds several options
java ${JAVA_OPTS--Xmx256m} -jar "$jar" --port "$port" --data-dir "$work/data" --config "$work/buildcast.yaml" > "$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

mkdir -p docs/screenshots
cd buildcast-server/src/test/node
BASE_URL=http://127.0.0.1:$port DATA_DIR=$work/data SHOTS_DIR=$root/docs/screenshots node web/screenshots.mjs
