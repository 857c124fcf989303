#!/usr/bin/env python3
"""Key press to screen on the live dashboard, in tmux, while it trains.

    swift build -c release && python3 scripts/key_latency.py [--trials 40] [--key lr]

Starts the release dashboard (`dlboard`, the book's network, training) in a detached tmux pane
(120x40, UTF-8, 256 colours) and talks to tmux through one control-mode client (`tmux -C`), so a
key and each look at the screen are one line on a pipe rather than a process started each time.
Each trial sends a key whose effect shows in the pane's status line and polls `capture-pane` as
fast as tmux answers (the poll period is printed) until the line shows it; the time from sending
to seeing is the latency. Two keys that undo each other alternate (`+`/`-`: the learning rate up
and down by √10, or `o`/`O`: the next and the previous optimizer), so the run keeps training as
it was. Trials are spaced by a random 50–150 ms so they fall anywhere in the frame clock. Prints
the median, the quartiles and the range, in milliseconds.

The latency measured includes tmux's own work (parsing the program's output, answering the
capture) and this script's poll period; a program that drew in 0 ms would still show ~1–3 ms.
"""
import argparse
import os
import random
import re
import select
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXE = os.path.join(ROOT, ".build/release/dlboard")


class Control:
    """One `tmux -C` client: commands in, `%begin … %end` blocks out (notifications skipped)."""

    def __init__(self, session):
        self.p = subprocess.Popen(["tmux", "-C", "attach-session", "-t", session], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, bufsize=0)
        self.buf = b""
        # No %output notifications: the dashboard redraws 30 times a second.
        self.command("refresh-client -f no-output")

    def _line(self, deadline):
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("tmux did not answer")
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if r:
                chunk = os.read(self.p.stdout.fileno(), 1 << 16)
                if not chunk:
                    raise EOFError("tmux control client ended")
                self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode("utf-8", "replace")

    def command(self, text, timeout=5.0):
        """Runs one tmux command; returns its output lines."""
        self.p.stdin.write(text.encode() + b"\n")
        deadline = time.monotonic() + timeout
        out, inside = [], False
        while True:
            line = self._line(deadline)
            if line.startswith("%begin"):
                inside, out = True, []
            elif line.startswith("%end") or line.startswith("%error"):
                if inside:
                    return out
            elif inside:
                out.append(line)

    def close(self):
        try:
            self.p.stdin.close()
            self.p.wait(timeout=2)
        except Exception:
            self.p.kill()


def status_value(screen, pattern):
    """The setting as the status bar shows it (the charts' switch markers name settings too)."""
    for line in reversed(screen.splitlines()):
        if "│ init " in line:
            m = pattern.search(line)
            return m.group(1) if m else None
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trials", type=int, default=40)
    ap.add_argument("--key", choices=["lr", "optimizer"], default="lr")
    ap.add_argument("--width", type=int, default=120)
    ap.add_argument("--height", type=int, default=40)
    ap.add_argument("--args", default="", help="extra dlboard flags, e.g. '--hidden 100,100'")
    ap.add_argument("--exe", default=EXE, help="the dlboard binary (default: the release build)")
    args = ap.parse_args()
    if args.key == "lr":
        keys = ("+", "-")
        # The status line names the rate as "lr 0.1" (the first run's, the only pane here).
        pattern = re.compile(r"\blr ([0-9.e+-]+)")
    else:
        keys = ("o", "O")
        pattern = re.compile(r"\b(SGD|Momentum|Nesterov|AdaGrad|RMSprop|Adam)\b")

    session = f"dlboard-keys-{os.getpid()}"
    # The pane starts from the tmux server's environment, not this script's: a server already running
    # (bench.sh inside tmux) may carry OPENBLAS_CORETYPE, so the pane removes them itself.
    cmd = ("env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE -u DLBOARD_CHOSEN_CORETYPE "
           f"LANG=C.UTF-8 TERM=tmux-256color SWIFT_BACKTRACE=enable=no {args.exe} --epochs 1000 {args.args}; "
           f"sleep 5")
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", str(args.width), "-y", str(args.height), cmd],
                   check=True, cwd=ROOT)
    ctl = None
    try:
        ctl = Control(session)
        capture = f"capture-pane -p -t {session}"
        deadline = time.monotonic() + 60
        while True:
            screen = "\n".join(ctl.command(capture))
            if status_value(screen, pattern) and re.search(r"\bstep \d+", screen):
                break
            if time.monotonic() > deadline:
                sys.exit("the dashboard did not start training:\n" + screen)
            time.sleep(0.1)
        time.sleep(1.0)  # past start-up: the first evaluation and the first histograms
        latencies, polls = [], []
        for trial in range(args.trials):
            time.sleep(random.uniform(0.05, 0.15))
            before = status_value("\n".join(ctl.command(capture)), pattern)
            key = keys[trial % 2]
            t0 = time.monotonic()
            ctl.command(f"send-keys -t {session} -H {ord(key):02x}")
            n = 0
            while True:
                screen = "\n".join(ctl.command(capture))
                n += 1
                now = time.monotonic()
                value = status_value(screen, pattern)
                if value is not None and value != before:
                    break
                if now - t0 > 2:
                    sys.exit(f"trial {trial}: '{key}' did not show within 2 s (still {before})")
            latencies.append((now - t0) * 1000)
            polls.append((now - t0) * 1000 / n)
        latencies.sort()
        q = statistics.quantiles(latencies, n=4)
        print(f"key '{keys[0]}'/'{keys[1]}' to screen, {len(latencies)} trials: median {statistics.median(latencies):.1f} ms "
              f"(quartiles {q[0]:.1f}-{q[2]:.1f}, range {latencies[0]:.1f}-{latencies[-1]:.1f}); "
              f"poll period {statistics.median(polls):.2f} ms")
    finally:
        if ctl:
            ctl.close()
        subprocess.run(["tmux", "send-keys", "-t", session, "q", "q"], stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        subprocess.run(["tmux", "kill-session", "-t", session], stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
