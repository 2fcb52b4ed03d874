#!/bin/bash
# Reports no progress until ../go exists (written by the test), then 30 %, then waits for ../go2.
echo "::notice::started, no progress yet"
while [ ! -e ../go ]; do sleep 0.05; done
echo "::progress::30"
echo "::notice::30 percent"
while [ ! -e ../go2 ]; do sleep 0.05; done
echo "::notice::done"
