#!/usr/bin/env python3
"""Training throughput with the dashboard open vs headless `dlboard train`, same config, one run.

    swift build -c release && python3 scripts/dashboard_throughput.py [--repeats 3] [--epochs 4] [--optimizer adam]

The dashboard runs in a detached tmux pane (120x40, UTF-8, 256 colours) until it reaches the
epoch target, then is quit with `q q`. Both write --metrics-out; the samples/s of each epoch's
training (evaluation excluded, wall clock) are compared. Epoch 1 is dropped as warm-up; runs are
interleaved and the medians compared.
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXE = os.path.join(ROOT, ".build/release/dlboard")


def rates(path):
    with open(path) as f:
        evals = [json.loads(l) for l in f if '"type":"eval"' in l]
    return [e["samples_per_s"] for e in evals[1:]]


def headless(args, log):
    subprocess.run([EXE, "train", "--optimizer", args.optimizer, "--epochs", str(args.epochs), "--metrics-out", log],
                   check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return rates(log)


def dashboard(args, log):
    session = f"dlboard-bench-{os.getpid()}"
    cmd = (f"env LANG=C.UTF-8 TERM=tmux-256color {EXE} --optimizer {args.optimizer} --epochs {args.epochs} "
           f"--metrics-out {log}; sleep 2")
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", cmd], check=True, cwd=ROOT)
    try:
        deadline = time.time() + 300
        while time.time() < deadline:
            screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout
            if f"reached {args.epochs} epochs" in screen:
                break
            time.sleep(0.2)
        subprocess.run(["tmux", "send-keys", "-t", session, "q", "q"])
        time.sleep(1)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], stderr=subprocess.DEVNULL)
    return rates(log)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--optimizer", default="adam")
    args = ap.parse_args()
    h, d = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeats):
            h += headless(args, os.path.join(tmp, f"h{i}.jsonl"))
            d += dashboard(args, os.path.join(tmp, f"d{i}.jsonl"))
    mh, md = statistics.median(h), statistics.median(d)
    print(f"headless  {mh:9.0f} samples/s (epochs {len(h)}, range {min(h):.0f}-{max(h):.0f})")
    print(f"dashboard {md:9.0f} samples/s (epochs {len(d)}, range {min(d):.0f}-{max(d):.0f})")
    print(f"dashboard / headless = {md / mh:.3f}")


if __name__ == "__main__":
    main()
