#!/usr/bin/env python3
"""Reads dlboard's TensorBoard export back with TensorBoard's own reader (EventAccumulator) and
checks it against the run record it came from: same runs, same step count per scalar, same values
to float32 precision, one histogram per layer and evaluation with the recorded sample count; and per
Affine layer of the `layer` records, the update:data and grad:data scalars (where finite) and the
backward signal's and the weights' histograms with the recorded bin totals.

    pip install tensorboard            # once
    scripts/check_tensorboard.py                       # records a small compare run, exports, checks
    scripts/check_tensorboard.py RECORD.jsonl          # checks the export of an existing record

Prints PASS/FAIL per check and exits non-zero on any failure.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.environ.get("DLBOARD", os.path.join(ROOT, ".build", "release", "dlboard"))
failures = 0


def check(ok, what):
    global failures
    print(("PASS  " if ok else "FAIL  ") + what)
    if not ok:
        failures += 1


def read_record(path):
    """Run records as dlboard writes them: a list of runs (in header order) with their records."""
    runs, index = [], {}
    with open(path, "rb") as f:
        for raw in f:
            try:
                r = json.loads(raw)
            except ValueError:
                continue  # a torn last line
            run = r.get("run", 0)
            if r["type"] == "config":
                index[run] = len(runs)
                runs.append({"title": r.get("title"), "step": [], "eval": [], "hist": [], "layer": []})
            elif r["type"] in ("step", "eval", "hist", "layer") and run in index:
                runs[index[run]][r["type"]].append(r)
    return runs


def check_layers(folder, records, acc, tags):
    """The per-layer statistics: a ratio scalar per layer record (null, i.e. infinite, left out) and
    a histogram of the backward signal and of W whose buckets hold the recorded bins."""
    names = sorted({r["layer_name"] for r in records})
    if not names:
        check(False, f"{folder}: no layer records (a recorded run collects them)")
        return
    for name in names:
        mine = [r for r in records if r["layer_name"] == name]
        for field in ("update_ratio", "grad_ratio"):
            tag = f"layers/{field}/{name}"
            want = [(r["step"], r[field]) for r in mine if r[field] is not None]
            got = [(e.step, e.value) for e in acc.Scalars(tag)] if tag in tags["scalars"] else []
            check(len(got) == len(want), f"{folder} {tag}: {len(got)} events read, {len(want)} records")
            same = len(got) == len(want) and all(
                gs == ws and np.float32(gv) == np.float32(wv) for (gs, gv), (ws, wv) in zip(got, want))
            check(same, f"{folder} {tag}: steps and values equal to float32 precision")
        for prefix, bins in (("gradients", "signal_bins"), ("weights", "w_bins")):
            tag = f"{prefix}/{name}"
            want = [r for r in mine if bins in r]
            got = acc.Histograms(tag) if tag in tags["histograms"] else []
            check(len(got) == len(want), f"{folder} {tag}: {len(got)} histograms read, {len(want)} records")
            totals = all(g.step == w["step"] and int(sum(g.histogram_value.bucket)) == sum(w[bins])
                         and int(g.histogram_value.num) == sum(w[bins]) for g, w in zip(got, want))
            check(totals, f"{folder} {tag}: steps and bucket totals match the recorded bins")


def main():
    work = tempfile.mkdtemp(prefix="dlboard-tb-")
    if len(sys.argv) > 1:
        record = sys.argv[1]
    else:
        record = os.path.join(work, "record.jsonl")
        subprocess.run([BINARY, "compare", "--optimizers", "sgd,adam", "--train-size", "1000", "--epochs", "3",
                        "--headless", "--metrics-out", record], check=True, stdout=subprocess.DEVNULL)
    logdir = os.path.join(work, "tb")
    subprocess.run([BINARY, "export", record, "--tensorboard", logdir], check=True, stdout=subprocess.DEVNULL)
    runs = read_record(record)
    folders = sorted(os.listdir(logdir))
    check(len(folders) == len(runs), f"{len(runs)} run(s) in the record, {len(folders)} run folder(s) exported")
    for number, run in enumerate(runs, 1):
        folder = next((f for f in folders if f == f"run{number}" or f.startswith(f"run{number}-")), None)
        if folder is None:
            check(False, f"run {number}: no folder")
            continue
        acc = EventAccumulator(os.path.join(logdir, folder), size_guidance={"scalars": 0, "histograms": 0})
        acc.Reload()
        tags = acc.Tags()
        expected = {
            "loss/step": [(r["step"], r["loss"]) for r in run["step"] if r["loss"] is not None],
            "loss/epoch_mean": [(r["step"], r["loss"]) for r in run["eval"] if r.get("loss") is not None],
            "accuracy/train": [(r["step"], r["train_acc"]) for r in run["eval"]],
            "accuracy/test": [(r["step"], r["test_acc"]) for r in run["eval"] if r["test_acc"] is not None],
        }
        for tag, want in expected.items():
            if not want:
                continue
            got = [(e.step, e.value) for e in acc.Scalars(tag)] if tag in tags["scalars"] else []
            check(len(got) == len(want), f"{folder} {tag}: {len(got)} events read, {len(want)} records")
            same = len(got) == len(want) and all(
                gs == ws and np.float32(gv) == np.float32(wv) for (gs, gv), (ws, wv) in zip(got, want))
            check(same, f"{folder} {tag}: steps and values equal to float32 precision")
        layers = sorted({h["layer"] for h in run["hist"]})
        for layer in layers:
            tag = f"activations/layer{layer}"
            want = [h for h in run["hist"] if h["layer"] == layer]
            got = acc.Histograms(tag) if tag in tags["histograms"] else []
            check(len(got) == len(want), f"{folder} {tag}: {len(got)} histograms read, {len(want)} records")
            counts = all(g.step == w["step"] and int(g.histogram_value.num) == w["count"]
                         and int(sum(g.histogram_value.bucket)) == w["count"] for g, w in zip(got, want))
            check(counts, f"{folder} {tag}: steps, sample counts and bucket totals match")
        check_layers(folder, run["layer"], acc, tags)
    print(f"{'all checks passed' if failures == 0 else f'{failures} check(s) failed'} ({record})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
