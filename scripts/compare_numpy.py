#!/usr/bin/env python3
"""Throughput of `dlboard train` next to the NumPy reference of the same network, in one run.

The machine is a noisy shared VM, so the two are interleaved and repeated, and the ratio of the
medians is what to read (absolute numbers from different runs are not comparable).

    python3 scripts/compare_numpy.py [--repeats 3] [--epochs 2] [--optimizers sgd,adam]

Needs a release build (`swift build -c release`) and, for the reference,
../shared/bench/reference_numpy.py with numpy installed (or --reference PATH).
Both use 1 BLAS thread, batch 100, 784-100x5-10 ReLU He, and a shuffled permutation per epoch.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def dlboard(opt, epochs, extra):
    with tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False) as f:
        log = f.name
    cmd = [os.path.join(ROOT, ".build/release/dlboard"), "train", "--optimizer", opt, "--epochs", str(epochs),
           "--hidden", "100,100,100,100,100", "--sampling", "shuffle", "--threads", "1", "--metrics-out", log] + extra
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    with open(log) as fh:
        evals = [json.loads(l) for l in fh if '"type":"eval"' in l]
    os.unlink(log)
    # Samples per second over all timed epochs: total samples / total training seconds.
    seconds = sum(e["train_seconds"] for e in evals)
    samples = sum(e["samples_per_s"] * e["train_seconds"] for e in evals)
    return samples / seconds, evals[-1]["test_acc"]


def numpy_ref(ref, opt, epochs, extra):
    cmd = [sys.executable, ref, "--optimizer", opt, "--epochs", str(epochs), "--threads", "1", "--json"] + extra
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    return res["samples_per_s"], res.get("test_acc")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--optimizers", default="sgd,adam")
    ap.add_argument("--reference", default=os.path.join(ROOT, "..", "shared", "bench", "reference_numpy.py"))
    args = ap.parse_args()
    for opt in args.optimizers.split(","):
        ours, theirs = [], []
        for _ in range(args.repeats):
            ours.append(dlboard(opt, args.epochs, [])[0])
            theirs.append(numpy_ref(args.reference, opt, args.epochs, [])[0])
        mo, mt = statistics.median(ours), statistics.median(theirs)
        print(f"{opt:8s} dlboard {mo:9.0f} samples/s (range {min(ours):.0f}-{max(ours):.0f})   "
              f"numpy {mt:9.0f} samples/s (range {min(theirs):.0f}-{max(theirs):.0f})   ratio {mo / mt:.2f}x")


if __name__ == "__main__":
    main()
