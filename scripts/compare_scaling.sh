#!/usr/bin/env bash
# Aggregate training throughput of a 4-run lock-step comparison against a single run, on this machine.
# Same network (784-100x4-10 ReLU He, SGD, batch 100), training only (no evaluation inside the
# measured steps), 1 BLAS thread per run. Runs are interleaved and repeated because this 2-core VM
# is noisy; prints each pair, then medians and the ratio. Usage: scripts/compare_scaling.sh [reps]
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-5}
swift build -c release >/dev/null
bin=.build/release/dlboard
singles=(); fours=()
for i in $(seq "$reps"); do
  s=$($bin train --epochs 1 --train-size 40000 | awk '$1 == "1" { print $NF }')
  f=$($bin compare --lrs 0.01,0.011,0.012,0.013 --steps 400 --train-size 60000 --headless \
      | sed -n 's/.*= \([0-9]*\) samples\/s in all.*/\1/p')
  echo "rep $i: 1 run $s samples/s · 4 runs $f samples/s in all"
  singles+=("$s"); fours+=("$f")
done
python3 - "${singles[*]}" "${fours[*]}" <<'PY'
import statistics, sys
s = [float(x) for x in sys.argv[1].split()]; f = [float(x) for x in sys.argv[2].split()]
ms, mf = statistics.median(s), statistics.median(f)
print(f"median 1 run {ms:.0f} (range {min(s):.0f}-{max(s):.0f}) · 4 runs {mf:.0f} (range {min(f):.0f}-{max(f):.0f}) · aggregate ratio {mf/ms:.2f}x")
PY
