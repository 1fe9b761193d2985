#!/bin/bash
# wall-ratio.sh BIN DIR ROUNDS [scan args…]: alternate the floor (`--stage parse`) and a cold scan
# (`--no-cache`) of DIR, ROUNDS times each, and print the medians of wall and CPU (user + system)
# time and the cold scan's ratios to the floor. Run two builds one after the other, in the same
# minutes, to compare them (BENCHMARKS.md, sessions 21 and 22).
set -eu
BIN=$1 DIR=$2 N=$3; shift 3
for _ in $(seq "$N"); do
  /usr/bin/time -f "%e %U %S" -o /tmp/wall-ratio.f "$BIN" scan "$DIR" "$@" --stage parse >/dev/null 2>&1
  echo "floor $(cat /tmp/wall-ratio.f)"
  /usr/bin/time -f "%e %U %S" -o /tmp/wall-ratio.c "$BIN" scan "$DIR" "$@" --no-cache -q -o /tmp/wall-ratio.json >/dev/null 2>&1
  echo "cold $(cat /tmp/wall-ratio.c)"
done | python3 -c '
import sys, statistics as st
r = {"floor": [], "cold": []}
for line in sys.stdin:
    k, e, u, s = line.split()
    r[k].append((float(e), float(u) + float(s)))
fw, fc = (st.median(x[i] for x in r["floor"]) for i in (0, 1))
cw, cc = (st.median(x[i] for x in r["cold"]) for i in (0, 1))
print(f"floor {fw:.3f}s/{fc:.3f}s cold {cw:.3f}s/{cc:.3f}s ratio wall {cw/fw:.2f}x cpu {cc/fc:.2f}x")'
