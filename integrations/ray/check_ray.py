#!/usr/bin/env python3
"""Checks the Ray Tune driver against a running Ray cluster and the real dlboard binary.

scripts/ray_check.sh starts the cluster and runs this; by hand:

    ray start --head --num-cpus=2 && python integrations/ray/check_ray.py --binary .build/release/dlboard

What it checks, each a failure (exit 1) when it does not hold:
1. ASHA (6 trials, grace 1, reduction 2): at least one trial stopped early — fewer iterations than
   the budget, and its dlboard record's summary says "terminated" (the finished ones say nothing).
2. Every trial of both searches: the `eval` records of its dlboard record(s), in order, are Ray's
   rows in result.json — as many, and each metric the same number.
3. PBT (2 trials, lr 3e-4 and 0.3, synchronous perturbation every epoch — trials of 2,000 images
   are so quick that, asynchronous, one may finish before the other reports —, lr mutated, weight decay left at 0
   because it is part of the loss: a mutated one would change the first loss after a restore):
   at least one exploit, and each exploit continued from the donor's checkpoint — the `restore`
   event's digest is the `checkpoint` digest the donor recorded at that step, and the first step
   loss after it is the donor's loss at the same step, bit for bit.
4. `dlboard watch --headless --once` on the results lists every trial.
"""

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time

import ray
from ray import tune

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dlboard_tune  # noqa: E402

FAILURES = []


def check(condition, message):
    """Records a failed check (the run goes on, so one report lists them all)."""
    if not condition:
        FAILURES.append(message)
        print(f"FAIL: {message}")
    return condition


def read_jsonl(path):
    """The objects of a JSON Lines file; a torn last line (a writer mid-line) is left out."""
    rows = []
    with open(path) as f:
        for line in f:
            if line.endswith("\n") and line.strip():
                rows.append(json.loads(line))
    return rows


def segments(trial_dir):
    """The trial's dlboard records in the order its processes wrote them."""
    def number(path):
        m = re.search(r"dlboard-(\d+)\.jsonl$", path)
        return int(m.group(1)) if m else 1
    return sorted(glob.glob(os.path.join(trial_dir, "dlboard*.jsonl")), key=number)


def same_number(a, b):
    """Equal as numbers (1 and 1.0 alike; a null on both sides is equal)."""
    if a is None or b is None:
        return a is None and b is None
    return float(a) == float(b)


def same_eval(e, row):
    """Every metric of a dlboard eval record is in Ray's row, as the same number."""
    return all(key in row and same_number(value, row[key]) for key, value in e.items() if key not in ("type", "run"))


def compare_record_with_ray(trial_dir, discarded_allowed=False):
    """Check 2 for one trial; returns (iterations, last summary, records, discarded).

    With PBT, Ray leaves out of result.json the result on which it paused a trial to replace its
    state (an exploit, or a pause that PBT's checkpointing turns into one): then a record's eval may
    be missing from Ray's rows, but only the last eval of a process (Tune stopped it there, or
    paused it on its final epoch); every row must still be an eval, in order."""
    name = os.path.basename(trial_dir)
    records = [read_jsonl(p) for p in segments(trial_dir)]
    rows = read_jsonl(os.path.join(trial_dir, "result.json"))
    discarded = 0
    if not discarded_allowed:
        evals = [r for rec in records for r in rec if r.get("type") == "eval"]
        if check(len(evals) == len(rows), f"{name}: {len(evals)} eval records, {len(rows)} rows in result.json"):
            for i, (e, row) in enumerate(zip(evals, rows)):
                check(same_eval(e, row), f"{name}: eval {i + 1} is {e}, result.json has {row}")
    else:
        # (eval, is the last eval of its process) in record order
        evals = []
        for rec in records:
            es = [r for r in rec if r.get("type") == "eval"]
            evals += [(e, i == len(es) - 1) for i, e in enumerate(es)]
        i = 0
        for n, row in enumerate(rows):
            while i < len(evals) and not same_eval(evals[i][0], row):
                if not check(evals[i][1], f"{name}: eval {evals[i][0]} is not in result.json (row {n + 1} is {row})"):
                    break
                discarded += 1
                i += 1
            if not check(i < len(evals), f"{name}: result.json row {n + 1} is no eval of its records: {row}"):
                break
            i += 1
        for e, last_of_stopped in evals[i:]:
            check(last_of_stopped, f"{name}: eval {e} is not in result.json")
            discarded += 1
    summaries = [r for r in (records[-1] if records else []) if r.get("type") == "summary"]
    check(len(summaries) == 1, f"{name}: its last record has {len(summaries)} summary lines")
    for path, rec in zip(segments(trial_dir), records):
        check(any(r.get("type") == "summary" for r in rec), f"{name}: {os.path.basename(path)} has no summary")
    return len(rows), (summaries[-1] if summaries else None), records, discarded


def wait_for_summaries(trial_dirs, seconds=30):
    """Each trial process writes its summary after Tune stopped the trial; give the last ones
    the moment they take to end before reading."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pending = [d for d in trial_dirs
                   if not segments(d) or not any(r.get("type") == "summary" for r in read_jsonl(segments(d)[-1]))]
        if not pending:
            return
        time.sleep(0.2)


def search_args(common, *extra):
    return dlboard_tune.build_parser().parse_args(common + list(extra))


def run_asha(common, storage):
    args = search_args(common, "--scheduler", "asha", "--trials", "6", "--epochs", "5", "--grace", "1",
                       "--reduction", "2", "--space", "lr=log:-4,0", "--name", "asha")
    started = time.monotonic()
    results, _ = dlboard_tune.run_search(args)
    seconds = time.monotonic() - started
    check(not results.errors, f"ASHA: trials failed: {results.errors}")
    trial_dirs = sorted(r.path for r in results)
    check(len(trial_dirs) == 6, f"ASHA: {len(trial_dirs)} trials, asked for 6")
    wait_for_summaries(trial_dirs)
    early = 0
    for d in trial_dirs:
        iterations, summary, _, _ = compare_record_with_ray(d)
        stopped = summary.get("stopped") if summary else "(none)"
        if iterations < args.epochs:
            early += 1
            check(stopped == "terminated",
                  f"{os.path.basename(d)}: stopped by ASHA after {iterations} epochs, its summary says {stopped}")
        else:
            check(stopped is None, f"{os.path.basename(d)}: trained all {iterations} epochs, its summary says {stopped}")
    check(early >= 1, "ASHA: no trial was stopped early")
    return {"trials": len(trial_dirs), "early": early, "seconds": seconds, "dirs": trial_dirs}


def states_at(records):
    """(digest, step) → the records (processes) that went through that state: those that wrote
    it as a checkpoint, and those restored from it."""
    found = {}
    for rec in records:
        for r in rec:
            if r.get("type") == "event" and r.get("kind") == "checkpoint":
                found.setdefault((r.get("to"), r.get("step")), []).append(rec)
            if r.get("type") == "event" and r.get("kind") == "restore":
                found.setdefault((r.get("from"), r.get("step")), []).append(rec)
    return found


def step_loss(rec, step):
    for r in rec:
        if r.get("type") == "step" and r.get("step") == step:
            return r.get("loss")
    return None


def run_pbt(common, storage):
    args = search_args(common, "--scheduler", "pbt", "--trials", "1", "--epochs", "6",
                       "--perturbation-interval", "1", "--synch", "--space", "lr=log:-4,0", "--mutate", "lr", "--name", "pbt")
    started = time.monotonic()
    # Two trials far apart, so the worse one exploits the better one; PBT mutates lr in --space's range.
    results, _ = dlboard_tune.run_search(args, param_space={"lr": tune.grid_search([3e-4, 0.3])})
    seconds = time.monotonic() - started
    check(not results.errors, f"PBT: trials failed: {results.errors}")
    trial_dirs = sorted(r.path for r in results)
    wait_for_summaries(trial_dirs)
    by_trial, discarded = {}, 0
    for d in trial_dirs:
        _, _, records, dropped = compare_record_with_ray(d, discarded_allowed=True)
        by_trial[d] = records
        discarded += dropped
    exploits, verified = 0, 0
    for d, records in by_trial.items():
        for rec in records:
            restore = next((r for r in rec if r.get("type") == "event" and r.get("kind") == "restore"), None)
            if restore is None:
                continue
            key = (restore.get("from"), restore.get("step"))
            if key in states_at(records[: records.index(rec)]):
                continue  # a pause and resume of the trial itself, not an exploit
            donors = [o for o in by_trial if o != d and key in states_at(by_trial[o])]
            name = os.path.basename(d)
            if not check(donors, f"{name}: restored state {key[0]} at step {key[1]} is no other trial's checkpoint"):
                continue
            exploits += 1
            step = key[1]
            first = next((r for r in rec[rec.index(restore):] if r.get("type") == "step"), None)
            check(first is not None and first.get("step") == step + 1,
                  f"{name}: first step after the restore at {step} is {first and first.get('step')}")
            # The donor's next step from that state: in the process that wrote it, or, when Tune
            # paused the donor right there, in the one that resumed it.
            losses = [step_loss(r, step + 1) for r in states_at(by_trial[donors[0]])[key]]
            donor_loss = next((l for l in losses if l is not None), None)
            if donor_loss is None:
                print(f"  note: {name}'s donor {os.path.basename(donors[0])} has no step {step + 1} (it ended there)")
                continue
            if check(first is not None and first.get("loss") == donor_loss,
                     f"{name}: step {step + 1} loss after restore {first and first.get('loss')} != donor's {donor_loss}"):
                verified += 1
                print(f"  exploit: {name} took {os.path.basename(donors[0])}'s state {key[0]} at step {step}; "
                      f"step {step + 1} loss {float(donor_loss).hex()} on both")
    policy = os.path.join(results.experiment_path, "pbt_global.txt")
    ray_exploits = len(read_jsonl(policy)) if os.path.exists(policy) else 0
    check(exploits >= 1, f"PBT: no exploit in the dlboard records (Ray logged {ray_exploits})")
    check(exploits <= ray_exploits, f"PBT: {exploits} restores from other trials, Ray logged {ray_exploits} exploits")
    check(verified >= 1, "PBT: no exploit whose first step could be compared with the donor's")
    return {"trials": len(trial_dirs), "exploits": exploits, "ray_exploits": ray_exploits, "verified": verified,
            "discarded": discarded,
            "seconds": seconds, "dirs": trial_dirs}


def run_watch(binary, storage, trial_dirs):
    """Check 4; returns a status word."""
    command = [binary, "watch", "--headless", "--once", storage]
    usage = subprocess.run([binary, "watch", "--help"], capture_output=True, text=True, timeout=60)
    if "--headless" not in usage.stdout + usage.stderr:
        print("SKIP: this dlboard has no `watch --headless` yet; the watch listing is not checked")
        return "skipped (no dlboard watch in this binary)"
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        check(False, f"{' '.join(command)} did not end in 120 s")
        return "failed"
    if not check(out.returncode == 0, f"dlboard watch exited {out.returncode}: {out.stderr.strip()}"):
        return "failed"
    missing = [d for d in trial_dirs if os.path.basename(d) not in out.stdout]
    check(not missing, f"dlboard watch does not list {len(missing)} trials: {[os.path.basename(d) for d in missing]}")
    return "ok" if not missing else "failed"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--binary", default=dlboard_tune.DEFAULT_BINARY)
    p.add_argument("--storage", default=os.path.join(dlboard_tune.REPO, ".build", "ray-check", "results"))
    args = p.parse_args()
    started = time.monotonic()
    shutil.rmtree(args.storage, ignore_errors=True)
    dlboard_tune.connect("auto")
    resources = ray.cluster_resources()
    common = ["--storage", args.storage, "--binary", args.binary, "--train-size", "2000", "--hidden", "50x2",
              "--log-every", "1", "--seed", "1"]
    asha = run_asha(common, args.storage)
    pbt = run_pbt(common, args.storage)
    watch = run_watch(args.binary, args.storage, asha["dirs"] + pbt["dirs"])
    print("\nRay check report")
    print(f"  Ray {ray.__version__}, cluster of {resources.get('CPU', 0):g} CPUs")
    print(f"  ASHA: {asha['trials']} trials, {asha['early']} stopped early, {asha['seconds']:.1f} s")
    print(f"  PBT: {pbt['trials']} trials, {pbt['exploits']} exploits from a donor's checkpoint "
          f"({pbt['verified']} compared step by step; Ray logged {pbt['ray_exploits']}), {pbt['seconds']:.1f} s")
    print(f"  records equal to Ray's results: {asha['trials'] + pbt['trials']} trials compared "
          f"({pbt['discarded']} PBT evals at a pause that Ray left out of result.json)")
    print(f"  dlboard watch: {watch}")
    print(f"  total {time.monotonic() - started:.1f} s")
    ray.shutdown()
    if FAILURES:
        print(f"{len(FAILURES)} checks failed")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
