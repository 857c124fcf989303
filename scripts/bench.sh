#!/usr/bin/env bash
# Every performance figure of the README in one run on this machine (about 8–10 minutes):
# dlboard bench (CPU, BLAS kernel and who chose it, FMA peak, GFLOP/s per GEMM shape, speed vs the
# GEMM bound for every case, statistics, frame times, RSS), dlboard vs NumPy and JAX, the
# dashboard vs headless, 4 lock-step runs vs 1, key press to screen, and the time to the first output.
#
# Each side runs as a user would: OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed for these
# commands only (never in tests or CI), and every side prints the kernel it used.
#
# Usage: scripts/bench.sh [--json FILE] [--no-jax]
#   --json FILE   dlboard bench's report as JSON in FILE (the table is then summarised from it)
#   --no-jax      leave out the JAX peer (it needs pip install jax into .build/bench-venv once)
set -euo pipefail
cd "$(dirname "$0")/.."
json="" jax="--jax"
while [ $# -gt 0 ]; do
    case "$1" in
    --json) json=${2:?--json FILE}; shift 2 ;;
    --no-jax) jax=""; shift ;;
    *) echo "usage: scripts/bench.sh [--json FILE] [--no-jax]" >&2; exit 2 ;;
    esac
done
swift build -c release >/dev/null 2>&1
clean=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE -u DLBOARD_CHOSEN_CORETYPE)
set_vars=$(env | grep -E '^OPENBLAS_(CORETYPE|L2_SIZE)=' | tr '\n' ' ' || true)
isa=$(grep -m1 '^flags' /proc/cpuinfo | grep -qw avx512f && echo AVX-512 || (grep -m1 '^flags' /proc/cpuinfo | grep -qw avx2 && echo AVX2 || echo SSE/AVX))
echo "== $(date -u '+%F %H:%M UTC') · $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) · $isa · $(nproc) cores · load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   removed for every command below: OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE (here: ${set_vars:-neither was set})"

echo; echo "== dlboard bench (1 and 2 BLAS threads)"
if [ -n "$json" ]; then
    "${clean[@]}" .build/release/dlboard bench --threads 1,2 --json >"$json"
    echo "bench JSON in $json"
    python3 - "$json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
k, p = r["kernel"], r["fmaPeak"]
print(f"CPU: {r['cpu']['model']} · {r['cpu']['isa']} · {r['cpu']['cores']} core(s)")
print(f"BLAS kernel: {k['summary']}" + (f"\nwarning: {k['warning']}" if k.get("warning") else ""))
print(f"FMA peak, one core: {p['gflops']:.1f} GFLOP/s ({p['instructions']})")
for s in r["shapes"]:
    print(f"  {s['shape']:20s} x{s['usesPerStep']}  {s['gflops']:7.1f} GFLOP/s  {s['fractionOfPeak']:.2f} of peak")
for b in r["bounds"]:
    print(f"{b['threads']} thread(s): GEMM bound {b['msPerStep']:.3f} ms/step, {b['gflops']:.1f} GFLOP/s, "
          f"{b['fractionOfPeak']:.2f} of peak")
for c in r["cases"]:
    lo, hi = c["samplesPerSecondRange"]
    print(f"  {c['threads']}t {c['optimizer']:9s} {c['variant']:20s} {c['samplesPerSecond']:9.0f} ({lo:.0f}-{hi:.0f})"
          f"  {c['fractionOfBound']:.2f} of bound")
for s in r["statistics"]:
    print(f"  statistics every {s['interval']} (0 = off): {s['ratioToOff']:.3f} of off, {s['fractionOfBound']:.2f} of bound")
for f in r["frames"]:
    print(f"  frame {f['view']} {f['width']}x{f['height']}: {f['msPerFrame']:.3f} ms")
print(f"peak RSS {r['peakRSSMegabytes']:.0f} MB")
PY
else
    "${clean[@]}" .build/release/dlboard bench --threads 1,2
fi

echo; echo "== dlboard vs NumPy${jax:+ and JAX} (1 thread, 784-100x5-10, batch 100, shuffled epochs)"
python3 scripts/compare_numpy.py --repeats 3 --epochs 2 $jax

echo; echo "== dashboard open vs headless"
"${clean[@]}" python3 scripts/dashboard_throughput.py --repeats 2 --epochs 4
echo; echo "== 4 lock-step runs vs 1"
"${clean[@]}" scripts/compare_scaling.sh 5
echo; echo "== key press to screen (tmux, the dashboard training)"
"${clean[@]}" python3 scripts/key_latency.py --trials 30
echo; echo "== time to first output"
"${clean[@]}" python3 scripts/startup_time.py --repeats 5
