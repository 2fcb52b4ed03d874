#!/bin/bash
# Steps with durations, a warning, an error, ANSI colours, parameters and artifacts.
echo "::notice::Preparing"
echo "::group::Install"
for i in $(seq 1 20); do echo "install detail $i"; done
echo "::notice::installed 20 packages"
sleep 0.3
echo "::endgroup::"
echo "::progress::40"
echo "::group::Build"
printf '::notice::\033[32mcompiled\033[0m with \033[1;33mcare\033[0m\n'
echo "::warning::deprecated call in app.js"
echo "::endgroup::"
echo "::group::Test"
echo "::error::test failed: expected 3 rows"
echo "::endgroup::"
echo "::progress::100"
printf 'artifact body\nsecond line\n' > "$BUILDCAST_OUTPUT/result.txt"
mkdir -p "$BUILDCAST_OUTPUT/site" && echo '<h1>hi</h1>' > "$BUILDCAST_OUTPUT/site/index.html"
echo "::notice::title is ${BUILDCAST_PARAM_TITLE:-none}"
