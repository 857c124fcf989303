#!/usr/bin/env python3
"""Writes specs/0.json … specs/N-1.json for dlboard_array.sbatch: one `dlboard trial` spec (a
TrainingConfig as run records write it) per array task, drawn from a search space with a seed.

    python3 make_specs.py --trials 100 --seed 0 --out specs \
        --space lr=log:-4,0 wd=log:-8,-4 beta=one-minus-log:-3,-1 layers=int:1,4 units=choice:50,100,200

The space uses dlboard's own syntax (`dlboard preset random-search --space`). The same seed gives
the same specs. Python's standard library only: it runs on a login node as it is.
"""

import argparse
import json
import os
import random
import sys

KNOBS = {"lr": "lr", "learning-rate": "lr", "wd": "wd", "weight-decay": "wd", "beta": "beta",
         "momentum": "beta", "beta1": "beta", "batch": "batch", "batch-size": "batch", "layers": "layers",
         "units": "units", "dropout": "dropout", "activation": "activation", "optimizer": "optimizer"}


def parse_entry(entry):
    """`knob=scale:bounds` → (knob, a function drawing one value from a random.Random)."""
    name, _, spec = entry.partition("=")
    scale, _, bounds = spec.partition(":")
    knob = KNOBS.get(name.lower())
    parts = bounds.split(",")
    try:
        if knob is None:
            raise ValueError
        if scale in ("log", "one-minus-log", "uniform"):
            low, high = (float(p) for p in parts)
            if not low < high or (scale == "one-minus-log" and high >= 0):
                raise ValueError
            draw = {"log": lambda g: 10 ** g.uniform(low, high),
                    "one-minus-log": lambda g: 1 - 10 ** g.uniform(low, high),
                    "uniform": lambda g: g.uniform(low, high)}[scale]
        elif scale == "int":
            low, high = (int(p) for p in parts)
            if low > high:
                raise ValueError
            draw = lambda g: g.randint(low, high)  # both ends included, as dlboard's int:
        elif scale == "choice" and all(parts):
            draw = lambda g: g.choice(parts)
        else:
            raise ValueError
    except ValueError:
        sys.exit(f"--space: '{entry}' is not knob=scale:bounds (knobs {', '.join(sorted(set(KNOBS.values())))}; "
                 "scales log:A,B one-minus-log:A,B uniform:A,B int:A,B choice:X,Y,…)")
    return knob, draw


def spec_for(point, base):
    """The spec of one drawn point over the base settings (what the space does not draw)."""
    optimizer = point.get("optimizer", base.optimizer)
    width, _, depth = base.hidden.partition("x")
    hidden = [int(width)] * int(depth or 1) if "x" in base.hidden else [int(w) for w in base.hidden.split(",")]
    if "layers" in point or "units" in point:
        hidden = [int(point.get("units", hidden[0]))] * int(point.get("layers", len(hidden)))
    network = {"hidden": hidden}
    if "wd" in point:
        network["weightDecay"] = float(point["wd"])
    if "dropout" in point:
        network["dropout"] = float(point["dropout"])
    if "activation" in point:
        network["activation"] = point["activation"]
    spec = {"optimizer": optimizer, "batchSize": int(point.get("batch", base.batch)), "epochs": base.epochs,
            "seed": base.seed, "network": network}
    if "lr" in point:
        spec["learningRate"] = float(point["lr"])
    # β is each optimizer's first-moment decay, as dlboard's searches apply it.
    field = {"momentum": "momentum", "nesterov": "momentum", "adam": "beta1", "rmsprop": "rho"}.get(optimizer)
    if "beta" in point and field:
        spec["optimizerParameters"] = {field: float(point["beta"])}
    return spec


def main():
    p = argparse.ArgumentParser(description="Draw dlboard trial specs for a Slurm job array.")
    p.add_argument("--trials", type=int, default=100)
    p.add_argument("--seed", type=int, default=0, help="Seed of the draws and of every trial's training.")
    p.add_argument("--out", default="specs")
    p.add_argument("--space", nargs="+", default=["lr=log:-4,0", "wd=log:-8,-4"])
    p.add_argument("--optimizer", default="sgd")
    p.add_argument("--hidden", default="100,100")
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--epochs", type=int, default=10)
    args = p.parse_args()
    if args.trials < 1:
        sys.exit("--trials: must be at least 1")
    axes = [parse_entry(e) for e in args.space]
    g = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    for i in range(args.trials):
        point = {k: draw(g) for k, draw in axes}
        spec = spec_for(point, args)
        with open(os.path.join(args.out, f"{i}.json"), "w") as f:
            json.dump(spec, f, indent=1)
            f.write("\n")
    print(f"{args.trials} specs in {args.out}/ (sbatch --array=0-{args.trials - 1}%8 dlboard_array.sbatch)")


if __name__ == "__main__":
    main()
