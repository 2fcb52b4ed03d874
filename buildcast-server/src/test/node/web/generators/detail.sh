#!/bin/bash
# 3,000 detail lines; every 20th has "needle" twice (once split by colour codes, once capitalised).
for i in $(seq 1 3000); do
  if (( i % 20 == 0 )); then printf 'line %d \033[31mnee\033[1mdle\033[0m and Needle again\n' "$i"
  else echo "line $i plain"; fi
done
printf 'tabs\tand \033[4munderline\033[0m and unicode: caf\xc3\xa9 \xe2\x9c\x93\n'
echo "::notice::done"
