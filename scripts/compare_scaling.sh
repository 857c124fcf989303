#!/usr/bin/env bash
# Aggregate training throughput of 4 runs in lock-step against 1 run, on this machine, like with like:
# the same network (the book's 784-100x4-10 ReLU He, SGD, batch 100), the same 1,800 steps (3 epochs
# of 60,000 images) for every run, 1 BLAS thread per run, both headless, both measured the same way
# from their run records (`--log-every 1`): the training samples of each epoch's steps 50..550 over
# the wall time between them, summed over the epochs (the publish that carries each step stamps it,
# every 30 ms, so windows must be long; the evaluations at the epochs' ends fall outside them). Each rep runs the variants back to back
# (interleaved), and a rep's ratio is its 4-run aggregate over its own 1-run rate; prints each rep,
# then medians with ranges. The machine's load average is printed before and after.
#
# Usage: scripts/compare_scaling.sh [reps]
#   MODES=runs,lanes,pinned   lock-step schedulings to measure (DLBOARD_LOCKSTEP; default: the built-in)
#   BASELINE=path/to/dlboard  another build measured the same way in each rep (A/B against it)
#   NO_BUILD=1                use .build/release/dlboard as it is
#   PROCESSES=1               also two independent `train` processes at once (the ceiling)
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-5}
[ -n "${NO_BUILD:-}" ] || swift build -c release >/dev/null
bin=$PWD/.build/release/dlboard
python3 - "$reps" "$bin" "${MODES:-}" "${BASELINE:-}" "${PROCESSES:-0}" <<'PY'
import json, os, statistics, subprocess, sys, tempfile

reps, binary, modes, baseline = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
processes_too = sys.argv[5] == "1"
common = ["--train-size", "60000", "--batch", "100", "--hidden", "100,100,100,100", "--optimizer", "sgd",
          "--lr", "0.01", "--log-every", "1"]
env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
env["OPENBLAS_NUM_THREADS"] = "1"

EPOCHS, PER_EPOCH, MARGIN = 3, 600, 50

def aggregate(path, batch=100):
    """Training samples/s of all runs over the eval-free middle of each epoch (steps e·600+50 to
    e·600+550): the step stamps come with the publishes (every 30 ms), so one short window would be
    ±15 % of quantization alone; three epochs' windows are summed, and no evaluation is inside."""
    t, runs = {}, set()
    with open(path) as f:
        for line in f:
            if '"type":"step"' not in line:
                continue
            r = json.loads(line)
            run = r.get("run", 0)
            runs.add(run)
            t[(run, r["step"])] = r["t"]
    samples = seconds = 0.0
    for e in range(EPOCHS):
        first, last = e * PER_EPOCH + MARGIN, (e + 1) * PER_EPOCH - MARGIN
        assert all((run, first) in t and (run, last) in t for run in runs), f"{path}: steps {first}, {last}"
        samples += len(runs) * (last - first) * batch
        seconds += max(t[(run, last)] for run in runs) - min(t[(run, first)] for run in runs)
    return samples / seconds

def one(exe, log):
    subprocess.run([exe, "train", "--epochs", str(EPOCHS), "--metrics-out", log] + common, check=True, env=env,
                   stdout=subprocess.DEVNULL)
    return aggregate(log)

def four(exe, log, mode):
    e = dict(env)
    if mode: e["DLBOARD_LOCKSTEP"] = mode
    subprocess.run([exe, "compare", "--lrs", "0.01,0.011,0.012,0.013", "--steps", str(EPOCHS * PER_EPOCH), "--headless",
                    "--metrics-out", log] + [a for a in common if a not in ("--lr", "0.01")], check=True, env=e,
                   stdout=subprocess.DEVNULL)
    return aggregate(log)

def processes(exe, log):
    """The ceiling lock-step is measured against: two independent `train` processes at once, each
    on its own core's worth of the machine, their rates added (each measured like `one`)."""
    logs = [f"{log}.{i}" for i in range(2)]
    ps = [subprocess.Popen([exe, "train", "--epochs", str(EPOCHS), "--metrics-out", l] + common, env=env,
                           stdout=subprocess.DEVNULL) for l in logs]
    for p in ps:
        if p.wait() != 0:
            raise SystemExit(f"compare_scaling: train exited {p.returncode}")
    return sum(aggregate(l) for l in logs)

builds = [("new", binary)] + ([("base", baseline)] if baseline else [])
variants = []
for name, exe in builds:
    variants.append((name, exe, "1 run", None))
    for mode in (modes.split(",") if modes and name == "new" else [""]):
        variants.append((name, exe, f"4 runs{' ' + mode if mode else ''}", mode))
    if processes_too and name == "new":
        variants.append((name, exe, "2 processes", None))
print(f"load average before: {open('/proc/loadavg').read().split()[:3]}")
rates = {(n, v): [] for n, _, v, _ in variants}
ratios = {(n, v): [] for n, _, v, _ in variants if v != "1 run"}
with tempfile.TemporaryDirectory() as tmp:
    for rep in range(reps):
        line = []
        for i, (name, exe, label, mode) in enumerate(variants):
            log = os.path.join(tmp, f"{rep}-{i}.jsonl")
            r = (one(exe, log) if label == "1 run" else processes(exe, log) if label == "2 processes"
                 else four(exe, log, mode))
            rates[(name, label)].append(r)
            if label != "1 run":
                ratios[(name, label)].append(r / rates[(name, "1 run")][-1])
            line.append(f"{name} {label} {r:.0f}")
        print(f"rep {rep + 1}: " + " · ".join(line), flush=True)
print(f"load average after: {open('/proc/loadavg').read().split()[:3]}")
for (name, label), rs in rates.items():
    print(f"{name:4} {label:16} median {statistics.median(rs):8.0f} samples/s (range {min(rs):.0f}-{max(rs):.0f})")
for (name, label), rs in ratios.items():
    print(f"{name:4} {label:16} / 1 run: median {statistics.median(rs):.2f}x (range {min(rs):.2f}-{max(rs):.2f}x)")
PY
