#!/usr/bin/env bash
# Regenerates the screenshot set of a generated open-event site in docs/open-event-screenshots/:
# desktop 1366×850 and phone 390×844, opened from file:// in Debian's Chromium (/usr/bin/chromium).
#   scripts/open-event-screenshots.sh              a made-up demo event (what docs/ holds)
#   scripts/open-event-screenshots.sh EXPORT.zip [LANGUAGE]
# Needs node and the test clients' playwright-core (npm ci in buildcast-server/src/test/node, which
# the Maven build runs). Exits 1 when a page is wider than the phone's screen.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
zip="${1:---demo}"
if [ "$zip" != "--demo" ]; then zip="$(cd "$(dirname "$zip")" && pwd)/$(basename "$zip")"; fi
mvn -B -ntp -q -pl buildcast-server -am compile dependency:build-classpath \
  -Dmdep.outputFile=target/screenshots-classpath.txt >/dev/null
cp="buildcast-server/target/classes:$(cat buildcast-server/target/screenshots-classpath.txt)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# why: a single-file launch cannot see DemoExport.java beside it, so both are compiled first
classes="$work/classes"
javac -d "$classes" -cp "$cp" scripts/open-event-screenshots/*.java
java -cp "$classes:$cp" GenerateSite "$zip" "$work" ${2:+"$2"}
rm -f docs/open-event-screenshots/*.png
PLAYWRIGHT_CORE="$PWD/buildcast-server/src/test/node/node_modules/playwright-core" \
  node scripts/open-event-screenshots/shoot.mjs "$work/work/site" docs/open-event-screenshots
