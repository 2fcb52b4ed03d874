#!/bin/bash
# 60 lines at a steady pace, then waits for ../go; then 60 lines as fast as it can, and waits for
# ../go2: the reconnect test drops the connection in between.
for i in $(seq 1 60); do echo "::notice::tick $i"; echo "detail $i"; sleep 0.02; done
while [ ! -e ../go ]; do sleep 0.05; done
for i in $(seq 61 120); do echo "::notice::tick $i"; echo "detail $i"; done
while [ ! -e ../go2 ]; do sleep 0.05; done
echo "::notice::tick 121"
