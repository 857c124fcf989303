#!/usr/bin/env python3
"""Training throughput with the dashboard open vs headless `dlboard train`, same config, one run.

    swift build -c release && python3 scripts/dashboard_throughput.py [--repeats 3] [--epochs 4] [--optimizer adam] \
        [--views charts,layers]

The dashboard runs in a detached tmux pane (120x40, UTF-8, 256 colours) until it reaches the
epoch target, then is quit with `q q`; with the `layers` view it is switched to the per-layer
instruments view (`L`) as soon as it shows its first frame, so nearly all its epochs train with
that view drawn. Both write --metrics-out (so both collect the per-layer statistics at the
dashboard's rate); the samples/s of each epoch's training (evaluation excluded, wall clock) are
compared. Epoch 1 is dropped as warm-up; headless and each view run back to back in every repeat
(interleaved), and the medians are compared. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset for
both sides, so the binary picks its own kernel as a user's would.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXE = os.path.join(ROOT, ".build/release/dlboard")


def rates(path):
    with open(path) as f:
        evals = [json.loads(l) for l in f if '"type":"eval"' in l]
    return [e["samples_per_s"] for e in evals[1:]]


ENV = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}


def headless(args, log):
    subprocess.run([EXE, "train", "--optimizer", args.optimizer, "--epochs", str(args.epochs), "--metrics-out", log],
                   check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=ENV)
    return rates(log)


def capture(session):
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout


def dashboard(args, log, view):
    session = f"dlboard-bench-{os.getpid()}"
    cmd = (f"env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE LANG=C.UTF-8 TERM=tmux-256color {EXE} "
           f"--optimizer {args.optimizer} --epochs {args.epochs} --metrics-out {log}; sleep 2")
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", cmd], check=True, cwd=ROOT)
    try:
        deadline = time.time() + 300
        if view == "layers":
            # The status bar ("│ init …") is drawn by the dashboard itself: keys are read from then on.
            while time.time() < deadline and "│ init " not in capture(session):
                time.sleep(0.05)
            subprocess.run(["tmux", "send-keys", "-t", session, "L"])
            shown = time.time() + 3
            while time.time() < shown and "update:data" not in capture(session):
                time.sleep(0.05)
            if "update:data" not in capture(session):
                print("warning: the layers view did not show", file=sys.stderr)
        while time.time() < deadline:
            screen = capture(session)
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
    ap.add_argument("--views", default="charts,layers", help="dashboard views to measure: charts, layers")
    args = ap.parse_args()
    views = args.views.split(",")
    print(f"load average before: {' '.join(open('/proc/loadavg').read().split()[:3])}")
    h, d = [], {v: [] for v in views}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeats):
            h += headless(args, os.path.join(tmp, f"h{i}.jsonl"))
            for v in views:
                d[v] += dashboard(args, os.path.join(tmp, f"d{i}-{v}.jsonl"), v)
    print(f"load average after: {' '.join(open('/proc/loadavg').read().split()[:3])}")
    mh = statistics.median(h)
    print(f"headless          {mh:9.0f} samples/s (epochs {len(h)}, range {min(h):.0f}-{max(h):.0f})")
    for v in views:
        md = statistics.median(d[v])
        print(f"dashboard {v:7} {md:9.0f} samples/s (epochs {len(d[v])}, range {min(d[v]):.0f}-{max(d[v]):.0f})"
              f" · dashboard / headless = {md / mh:.3f}")


if __name__ == "__main__":
    main()
