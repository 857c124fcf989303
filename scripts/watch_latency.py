#!/usr/bin/env python3
"""Measures `dlboard watch --headless`: how soon a line written to a record is printed, and what
following 64 growing records costs in CPU.

1. Latency: N records (one dlboard `config` line each) in a folder; an `eval` line is appended to
   one of them every ~0.3 s, and the time from the write to the moment the watch prints that
   trial's row with the new epoch is taken, over ~20 writes (median and range).
2. CPU: 64 records, each growing by one `eval` line every ~0.5 s (writes spread evenly) for ~30 s;
   the watch process's utime + stime from /proc/PID/stat over the wall time, as % of one core.

Usage: scripts/watch_latency.py [--binary .build/release/dlboard] [--writes 20] [--files 8]
                                [--cpu-files 64] [--cpu-seconds 30] [--period 0.5]
The record lines are dlboard's own: one short `dlboard train` run makes a template record.
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time


def template(binary, folder):
    """A config line and an eval line as dlboard writes them (from a 1-epoch run on 200 images)."""
    path = os.path.join(folder, "template.jsonl.tmp")
    subprocess.run(
        [binary, "train", "--train-size", "200", "--hidden", "10", "--epochs", "1", "--validation", "0.1",
         "--metrics-out", path],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    config = evaluation = None
    with open(path) as f:
        for line in f:
            record = json.loads(line)
            if record["type"] == "config" and config is None:
                config = record
            elif record["type"] == "eval" and evaluation is None:
                evaluation = record
    os.remove(path)
    return config, evaluation


def eval_line(evaluation, epoch):
    """The template's eval at `epoch`, with a validation accuracy that differs at every epoch."""
    e = dict(evaluation)
    e["epoch"] = epoch
    e["step"] = epoch * 10
    e["val_acc"] = round((epoch % 97) / 100, 4)
    return (json.dumps(e, separators=(",", ":")) + "\n").encode()


def make_records(folder, config, count):
    paths = []
    for i in range(count):
        p = os.path.join(folder, "t%02d.jsonl" % i)
        with open(p, "w") as f:
            f.write(json.dumps(config, separators=(",", ":")) + "\n")
        paths.append(p)
    return paths


def append(path, data):
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


class Watch:
    """`dlboard watch --headless FOLDER`, its stdout read on a thread, each line with its arrival time."""

    def __init__(self, binary, folder):
        self.proc = subprocess.Popen([binary, "watch", "--headless", folder], stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, bufsize=0)
        self.lines = []  # (monotonic time, text)
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in self.proc.stdout:
            now = time.monotonic()
            with self.cond:
                self.lines.append((now, raw.decode(errors="replace")))
                self.cond.notify_all()

    def wait_for(self, predicate, start_index, timeout):
        """The arrival time of the first line from `start_index` on that satisfies `predicate`."""
        deadline = time.monotonic() + timeout
        i = start_index
        with self.cond:
            while True:
                while i < len(self.lines):
                    t, text = self.lines[i]
                    if predicate(text):
                        return t
                    i += 1
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)

    def cpu_seconds(self):
        """utime + stime of the watch process so far (fields 14 and 15 of /proc/PID/stat)."""
        with open("/proc/%d/stat" % self.proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def latency(binary, config, evaluation, files, writes):
    with tempfile.TemporaryDirectory(prefix="dlboard-watch-latency-") as folder:
        paths = make_records(folder, config, files)
        watch = Watch(binary, folder)
        try:
            # Wait for the first table listing every trial.
            if watch.wait_for(lambda s: "%d trials" % files in s, 0, 10) is None:
                sys.exit("watch never listed the %d trials" % files)
            time.sleep(0.5)
            samples = []
            for k in range(writes):
                i = k % files
                epoch = k // files + 1
                name = "t%02d" % i
                with watch.cond:
                    start_index = len(watch.lines)
                written = time.monotonic()
                append(paths[i], eval_line(evaluation, epoch))
                seen = watch.wait_for(
                    lambda s: s.split()[1:2] == [name] and ("ep %d " % epoch) in s, start_index, 5)
                if seen is None:
                    sys.exit("the write to %s (epoch %d) was never printed" % (name, epoch))
                samples.append((seen - written) * 1000)
                # Spaced like evaluations, past the watch's 0.2 s between two tables, and at a
                # random phase of its 0.1 s poll (a fixed spacing would keep hitting one phase).
                time.sleep(0.3 + random.uniform(0, 0.1))
            return samples
        finally:
            watch.stop()


def cpu(binary, config, evaluation, files, seconds, period):
    with tempfile.TemporaryDirectory(prefix="dlboard-watch-cpu-") as folder:
        paths = make_records(folder, config, files)
        watch = Watch(binary, folder)
        try:
            if watch.wait_for(lambda s: "%d trials" % files in s, 0, 10) is None:
                sys.exit("watch never listed the %d trials" % files)
            time.sleep(1)
            cpu0, wall0 = watch.cpu_seconds(), time.monotonic()
            gap = period / files  # one file's line every `gap`: each file every `period`
            epoch = [0] * files
            k = 0
            next_write = wall0
            while time.monotonic() - wall0 < seconds:
                i = k % files
                epoch[i] += 1
                append(paths[i], eval_line(evaluation, epoch[i]))
                k += 1
                next_write += gap
                delay = next_write - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            cpu1, wall1 = watch.cpu_seconds(), time.monotonic()
            return (cpu1 - cpu0) / (wall1 - wall0) * 100, k, wall1 - wall0
        finally:
            watch.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=".build/release/dlboard")
    parser.add_argument("--files", type=int, default=8, help="records in the latency folder")
    parser.add_argument("--writes", type=int, default=20)
    parser.add_argument("--cpu-files", type=int, default=64)
    parser.add_argument("--cpu-seconds", type=float, default=30)
    parser.add_argument("--period", type=float, default=0.5, help="seconds between two lines of one file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        config, evaluation = template(args.binary, scratch)
    samples = latency(args.binary, config, evaluation, args.files, args.writes)
    print("latency: %d writes to %d records: median %.0f ms, range %.0f–%.0f ms" % (
        len(samples), args.files, statistics.median(samples), min(samples), max(samples)))
    share, lines, wall = cpu(args.binary, config, evaluation, args.cpu_files, args.cpu_seconds, args.period)
    print("cpu: %d records, %d lines in %.0f s (each record a line every %.1f s): %.2f %% of one core" % (
        args.cpu_files, lines, wall, args.period, share))


if __name__ == "__main__":
    main()
