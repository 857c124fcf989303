#!/usr/bin/env bash
# Every performance figure of the README in one run on this machine (about 5 minutes):
# dlboard bench (speed vs the GEMM bound, frame times, RSS), dlboard vs the NumPy reference,
# the dashboard vs headless, 4 lock-step runs vs 1, and the time to the first output.
# Usage: scripts/bench.sh [--json FILE]   (FILE gets dlboard bench --json)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release >/dev/null 2>&1
echo "== $(date -u +%F) · $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) · $(nproc) cores"
if [ "${1:-}" = "--json" ]; then .build/release/dlboard bench --json > "$2"; echo "bench JSON in $2"; fi
.build/release/dlboard bench --threads 1,2
echo; echo "== dlboard vs NumPy (1 thread, 784-100x5-10, batch 100, shuffled epochs)"
python3 scripts/compare_numpy.py --repeats 3 --epochs 2
echo; echo "== dashboard open vs headless"
python3 scripts/dashboard_throughput.py --repeats 2 --epochs 4
echo; echo "== 4 lock-step runs vs 1"
scripts/compare_scaling.sh 5
echo; echo "== time to first output"
python3 scripts/startup_time.py --repeats 5
