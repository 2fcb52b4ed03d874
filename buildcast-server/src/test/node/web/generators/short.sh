#!/bin/bash
# Three basic lines around detail lines, one of them far wider than a phone's screen.
echo "::notice::short job"
for i in $(seq 1 5); do echo "detail $i"; done
echo "::notice::a long line: $(printf 'segment-%02d ' $(seq 1 40))END"
