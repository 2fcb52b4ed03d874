#!/usr/bin/env bash
# Runs every test of Buildcast: unit tests, integration tests against a real server with the
# official Socket.IO clients (Java and JavaScript under Node), and the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
exec mvn -B -ntp verify "$@"
