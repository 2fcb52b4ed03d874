#!/bin/bash
# One million detail lines.
echo "::notice::writing a million lines"
seq 1 1000000 | sed 's/^/detail line number /'
echo "::notice::written"
