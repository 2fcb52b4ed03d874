#!/bin/bash
# A small website in the work folder (the generator's site folder) and one artifact.
echo "::notice::writing the site"
mkdir -p site/talks
printf '<!doctype html><html lang="en"><title>Demo site</title><h1>Demo site</h1><a href="talks/">Talks</a></html>\n' > site/index.html
printf '<!doctype html><html lang="en"><title>Talks</title><h1>Talks</h1></html>\n' > site/talks/index.html
printf 'zipped site\n' > "$BUILDCAST_OUTPUT/site.zip"
echo "::notice::site written"
