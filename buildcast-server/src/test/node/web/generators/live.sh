#!/bin/bash
# Five lines, then waits for ../go (written by the test), five more, then waits for ../go2.
for i in 1 2 3 4 5; do echo "::notice::tick $i"; done
echo "::progress::50"
while [ ! -e ../go ]; do sleep 0.05; done
for i in 6 7 8 9 10; do echo "::notice::tick $i"; echo "detail after tick $i"; done
while [ ! -e ../go2 ]; do sleep 0.05; done
echo "::notice::tick 11"
