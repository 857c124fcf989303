#!/usr/bin/env python3
"""Time from starting dlboard to its first output: the first headless line (`dlboard train`, which
prints after MNIST is loaded) and the first dashboard frame (tmux pane, polled every 10 ms until the
status bar shows). Medians of --repeats runs.

    swift build -c release && python3 scripts/startup_time.py [--repeats 5]
"""
import argparse
import os
import statistics
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXE = os.path.join(ROOT, ".build/release/dlboard")


def first_line():
    t0 = time.monotonic()
    p = subprocess.Popen([EXE, "train", "--epochs", "1"], stdout=subprocess.PIPE, cwd=ROOT)
    p.stdout.readline()
    t = time.monotonic() - t0
    p.kill()
    p.wait()
    return t


def first_frame():
    sock = f"dlboard-startup-{os.getpid()}"
    tmux = ["tmux", "-L", sock]
    t0 = time.monotonic()
    subprocess.run(tmux + ["new-session", "-d", "-x", "120", "-y", "40", f"env LANG=C.UTF-8 TERM=tmux-256color {EXE}"],
                   cwd=ROOT, check=True)
    try:
        while time.monotonic() - t0 < 20:
            screen = subprocess.run(tmux + ["capture-pane", "-p"], capture_output=True, text=True).stdout
            if "│ init He │" in screen:
                return time.monotonic() - t0
            time.sleep(0.01)
        return float("nan")
    finally:
        subprocess.run(tmux + ["kill-server"], stderr=subprocess.DEVNULL)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=5)
    a = ap.parse_args()
    lines, frames = [], []
    for _ in range(a.repeats):
        lines.append(first_line())
        frames.append(first_frame())
    print(f"first headless line: median {statistics.median(lines):.3f} s (range {min(lines):.3f}-{max(lines):.3f})")
    print(f"first dashboard frame with status: median {statistics.median(frames):.3f} s (range {min(frames):.3f}-{max(frames):.3f})")


if __name__ == "__main__":
    main()
