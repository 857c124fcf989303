#!/usr/bin/env python3
"""Ray Tune driver for dlboard: every trial is one `dlboard trial` process.

The trainable writes the trial's configuration as a spec file, runs

    dlboard trial --spec FILE --metrics-out TRIALDIR/dlboard.jsonl \
                  --checkpoint-dir FRESHDIR --paced [--restore CKPTDIR] [data flags]

and turns each `eval` line the process prints into one `tune.report` (with the checkpoint the
process wrote just before it). The process waits for a newline on its stdin after every
evaluation (`--paced`), which the trainable writes only after Tune has taken the report, so the
dlboard record never runs ahead of what Tune received. When Tune stops the trial (ASHA, PBT's
pause or exploit), the trainable closes the process's stdin; the process then ends its record
with a summary `"stopped":"terminated"`.

Usage (see README.md beside this file):

    python dlboard_tune.py --scheduler asha --trials 8 --epochs 6 --train-size 10000
    python dlboard_tune.py --scheduler pbt --trials 4 --address auto --storage /shared/ray
"""

import argparse
import contextlib
import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import ray
from ray import tune
from ray.tune.schedulers import ASHAScheduler, PopulationBasedTraining
from ray.tune.search import BasicVariantGenerator

# The release binary of the repository this file lives in.
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_BINARY = os.path.join(REPO, ".build", "release", "dlboard")

# The first record of a trial; a trial that Tune restarts (PBT, a pause) writes its next
# process's record beside it as dlboard-2.jsonl, dlboard-3.jsonl, … (`dlboard trial` empties the
# file it is given, and nothing a trial recorded may be lost).
RECORD_NAME = "dlboard"

# dlboard's search-space syntax (`dlboard preset random-search --space`), the same knobs.
DEFAULT_SPACE = ["lr=log:-4,0", "wd=log:-8,-4"]
KNOBS = {
    "lr": "lr", "learning-rate": "lr",
    "wd": "wd", "weight-decay": "wd",
    "beta": "beta", "momentum": "beta", "beta1": "beta",
    "batch": "batch", "batch-size": "batch",
    "layers": "layers", "units": "units", "dropout": "dropout",
    "activation": "activation", "optimizer": "optimizer",
}

# Seconds a trial process gets to write its summary after its stdin closes, and after SIGTERM.
END_GRACE_S = 20
TERM_GRACE_S = 10


# ----------------------------------------------------------------------------------------------
# Search space: dlboard's `knob=scale:bounds` entries as Tune sample functions.


def _choice_value(text):
    """A choice's entry as the number it names, or the text (optimizer, activation)."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def parse_space(entries):
    """Maps `knob=scale:bounds` entries to a Tune param space.

    log:A,B is 10^uniform(A,B) -> tune.loguniform(10^A, 10^B); one-minus-log:A,B is
    1 - 10^uniform(A,B), kept in the config as `one_minus_<knob>` drawn log-uniformly (so PBT
    can perturb it too) and turned into the knob's value when the spec is written;
    uniform:A,B -> tune.uniform; int:A,B -> tune.randint(A, B + 1) (Tune's upper bound is
    exclusive, dlboard's is not); choice:X,Y,... -> tune.choice.
    """
    space = {}
    for entry in entries:
        name, eq, spec = entry.partition("=")
        knob = KNOBS.get(name.strip().lower())
        scale, colon, bounds = spec.partition(":")
        if not eq or not colon or knob is None:
            raise ValueError(f"--space: '{entry}' is not knob=scale:bounds with a knob of "
                             f"{', '.join(sorted(set(KNOBS.values())))} (e.g. lr=log:-4,0)")
        parts = [p.strip() for p in bounds.split(",")]
        scale = scale.lower()
        try:
            if scale in ("log", "one-minus-log"):
                low, high = float(parts[0]), float(parts[1])
                if len(parts) != 2 or not low < high:
                    raise ValueError
                if scale == "log":
                    space[knob] = tune.loguniform(10 ** low, 10 ** high)
                else:
                    if high >= 0:
                        raise ValueError
                    space["one_minus_" + knob] = tune.loguniform(10 ** low, 10 ** high)
            elif scale == "uniform":
                low, high = float(parts[0]), float(parts[1])
                if len(parts) != 2 or not low < high:
                    raise ValueError
                space[knob] = tune.uniform(low, high)
            elif scale == "int":
                low, high = int(parts[0]), int(parts[1])
                if len(parts) != 2 or low > high:
                    raise ValueError
                space[knob] = tune.randint(low, high + 1)
            elif scale == "choice":
                if any(p == "" for p in parts):
                    raise ValueError
                space[knob] = tune.choice([_choice_value(p) for p in parts])
            else:
                raise ValueError
        except (ValueError, IndexError):
            raise ValueError(f"--space: '{entry}': scales are log:A,B, one-minus-log:A,B (B < 0), "
                             "uniform:A,B, int:A,B and choice:X,Y,… with low below high") from None
    return space


def parse_hidden(text):
    """`100,100` or `100x4` (four layers of 100), as `dlboard --hidden` reads them."""
    if "x" in text:
        width, _, count = text.partition("x")
        return [int(width)] * int(count)
    return [int(w) for w in text.split(",") if w]


# ----------------------------------------------------------------------------------------------
# One trial's spec: a TrainingConfig as the run record's `config` writes it.


def knob_value(config, knob):
    """A knob's value in a trial's Tune config (drawn directly, or as 1 - 10^r), or None."""
    if knob in config:
        return config[knob]
    if "one_minus_" + knob in config:
        return 1.0 - config["one_minus_" + knob]
    return None


def trial_spec(config, base):
    """The TrainingConfig JSON `dlboard trial --spec` reads, for one Tune config.

    `base` holds what the search does not vary (optimizer, hidden, batch, seed, epochs); a
    drawn knob overrides it. Fields left out take dlboard's defaults.
    """
    optimizer = knob_value(config, "optimizer") or base["optimizer"]
    hidden = list(base["hidden"])
    layers, units = knob_value(config, "layers"), knob_value(config, "units")
    if layers is not None or units is not None:
        hidden = [int(units if units is not None else hidden[0])] * int(
            layers if layers is not None else len(hidden))
    network = {"hidden": hidden}
    wd = knob_value(config, "wd")
    if wd is not None:
        network["weightDecay"] = float(wd)
    dropout = knob_value(config, "dropout")
    if dropout is not None:
        network["dropout"] = float(dropout)
    activation = knob_value(config, "activation")
    if activation is not None:
        network["activation"] = str(activation)
    spec = {
        "optimizer": optimizer,
        "batchSize": int(knob_value(config, "batch") or base["batch"]),
        "epochs": int(base["epochs"]),
        "seed": int(config.get("seed", base["seed"])),
        "network": network,
    }
    lr = knob_value(config, "lr")
    if lr is not None:
        spec["learningRate"] = float(lr)
    beta = knob_value(config, "beta")
    # The knob is each optimizer's first-moment decay, as dlboard's searches apply it.
    field = {"momentum": "momentum", "nesterov": "momentum", "adam": "beta1", "rmsprop": "rho"}.get(optimizer)
    if beta is not None and field is not None:
        spec["optimizerParameters"] = {field: float(beta)}
    return spec


# ----------------------------------------------------------------------------------------------
# The trainable.


def _die_with_parent():
    """Runs in the child between fork and exec: SIGTERM it when the thread that started it
    ends. Ray may end a trial's worker process without running the trainable's `finally`
    (a killed actor); the trial process then still ends, with its terminated summary."""
    if sys.platform.startswith("linux"):
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _trial_folder():
    """Where the trial's records go: the trial's folder under the run's storage path (next to
    Ray's result.json) when that is a filesystem path, so they can be watched as they grow;
    otherwise (cloud storage) Tune's local trial folder."""
    context = tune.get_context()
    try:
        import pyarrow.fs

        storage = context.get_storage()
        if isinstance(storage.storage_filesystem, pyarrow.fs.LocalFileSystem):
            return storage.trial_fs_path
    except (AttributeError, RuntimeError):
        pass
    return context.get_trial_dir()


def _next_record_path(folder):
    """dlboard.jsonl, or the first free dlboard-N.jsonl when an earlier process wrote it."""
    path = os.path.join(folder, RECORD_NAME + ".jsonl")
    n = 1
    while os.path.exists(path):
        n += 1
        path = os.path.join(folder, f"{RECORD_NAME}-{n}.jsonl")
    return path


def _end(process):
    """Ends a trial process the way schedulers stop trials and waits for it: end of stdin (its
    `--paced` stop), SIGTERM if that is not enough, SIGKILL last."""
    if process.poll() is None:
        try:
            process.stdin.close()
        except (OSError, ValueError):
            pass
        try:
            process.wait(timeout=END_GRACE_S)
        except subprocess.TimeoutExpired:
            process.terminate()
            try:
                process.wait(timeout=TERM_GRACE_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def dlboard_trainable(config, settings):
    """A Tune function trainable: one `dlboard trial` process per (re)start of the trial."""
    epochs = int(settings["base"]["epochs"])
    restored = tune.get_checkpoint()
    if restored is not None and restored.get_metadata().get("epoch", 0) >= epochs:
        # Tune resumed a trial whose last checkpoint is at its budget: nothing is left to train.
        return
    folder = _trial_folder()
    os.makedirs(folder, exist_ok=True)
    record = _next_record_path(folder)
    spec_path = record[: -len(".jsonl")] + ".spec.json"
    with open(spec_path, "w") as f:
        json.dump(trial_spec(config, settings["base"]), f, indent=1)
    # A folder of this process's own: Tune copies each checkpoint out of it at the report. It is
    # made in the trial's working folder (Tune's cwd, inside the Ray session's temp folder and not
    # synced to storage), so that one left behind by a worker Ray ended goes with Ray's temp files.
    checkpoints = tempfile.mkdtemp(prefix="dlboard-ckpt-", dir=os.getcwd())
    command = [settings["binary"], "trial", "--spec", spec_path, "--metrics-out", record,
               "--checkpoint-dir", checkpoints, "--paced", "--log-every", str(settings["log_every"])]
    command += settings["data_flags"]
    summary = None
    with contextlib.ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, checkpoints, ignore_errors=True)
        stderr = cleanup.enter_context(tempfile.TemporaryFile(mode="w+"))
        cleanup.callback(_forward_stderr, stderr)
        if restored is not None:
            # A local checkpoint is used in place; a remote one is downloaded for the context.
            command += ["--restore", cleanup.enter_context(restored.as_directory())]
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr,
                                   text=True, bufsize=1, preexec_fn=_die_with_parent)
        # Whatever ends this block (the last line, Tune stopping the trial, an error), the
        # process ends first, and is waited for.
        cleanup.callback(_end, process)
        for line in process.stdout:
            record_line = json.loads(line)
            kind = record_line.get("type")
            if kind == "eval":
                metrics = {k: v for k, v in record_line.items() if k not in ("type", "run")}
                checkpoint = tune.Checkpoint.from_directory(checkpoints)
                checkpoint.set_metadata({"epoch": record_line.get("epoch"), "step": record_line.get("step")})
                # Returns when Tune wants the next result; raises SystemExit when it stops the trial.
                tune.report(metrics, checkpoint=checkpoint)
                try:
                    process.stdin.write("\n")
                    process.stdin.flush()
                except BrokenPipeError:
                    # The last evaluation: the process ended without waiting for the ack.
                    pass
            elif kind == "summary":
                summary = record_line
        code = process.wait()
        if code != 0:
            stderr.seek(0)
            lines = [l for l in stderr.read().splitlines() if l.strip()]
            reason = lines[-1] if lines else "no message"
            raise RuntimeError(f"dlboard trial exited with {code}: {reason} ({' '.join(command)})")
        if summary is None:
            raise RuntimeError(f"dlboard trial ended without a summary line ({' '.join(command)})")


def _forward_stderr(stderr):
    """The trial process's messages, into the worker's log (Ray shows it on the driver)."""
    stderr.seek(0)
    message = stderr.read()
    if message:
        sys.stderr.write(message)


# ----------------------------------------------------------------------------------------------
# The search.


def build_parser():
    p = argparse.ArgumentParser(
        description="Run a dlboard hyperparameter search with Ray Tune (each trial a `dlboard trial`).")
    p.add_argument("--scheduler", choices=["asha", "pbt"], default="asha")
    p.add_argument("--trials", type=int, default=8, help="Trials (Tune's num_samples).")
    p.add_argument("--epochs", type=int, default=6, help="Epochs per trial (ASHA's max_t).")
    p.add_argument("--space", nargs="+", default=DEFAULT_SPACE,
                   help="dlboard's knob=scale:bounds entries: lr, wd, beta, batch, layers, units, dropout, "
                        "activation, optimizer (default: %(default)s).")
    p.add_argument("--optimizer", default="sgd", help="Optimizer when the space does not draw it.")
    p.add_argument("--hidden", default="100,100", help="Hidden layers when the space does not draw them.")
    p.add_argument("--batch", type=int, default=100, help="Batch size when the space does not draw it.")
    p.add_argument("--seed", type=int, default=0, help="Seed of every trial's training and of Tune's draws.")
    p.add_argument("--metric", default=None, help="What the schedulers rank by (default: val_acc with "
                                                  "--validation, else test_acc; loss ranks lowest first).")
    p.add_argument("--grace", type=int, default=1, help="ASHA: epochs before a trial may be stopped.")
    p.add_argument("--reduction", type=float, default=2, help="ASHA: reduction factor.")
    p.add_argument("--perturbation-interval", type=int, default=2, help="PBT: epochs between exploits.")
    p.add_argument("--synch", action="store_true",
                   help="PBT: every trial waits at each perturbation for the others (else each decides on the "
                        "results at hand, and a fast trial may pass a perturbation alone).")
    p.add_argument("--mutate", nargs="+", default=None,
                   help="PBT: the knobs it perturbs and resamples from --space (default: lr and wd when drawn). "
                        "Only lr and wd can change at a restore.")
    p.add_argument("--address", default="local",
                   help="local (start Ray in this process), auto (a running `ray start` cluster) or an address.")
    p.add_argument("--storage", default=os.path.join(os.getcwd(), "ray_results"),
                   help="Ray's storage path: results, checkpoints and each trial's dlboard records.")
    p.add_argument("--name", default=None, help="The run's folder under --storage (default: Ray's).")
    p.add_argument("--binary", default=DEFAULT_BINARY, help="The dlboard binary (default: %(default)s).")
    p.add_argument("--log-every", type=int, default=10, help="Steps between step records in dlboard's records.")
    p.add_argument("--cpus-per-trial", type=float, default=1)
    # Data flags: passed to every trial as they are.
    p.add_argument("--train-size", type=int, default=None)
    p.add_argument("--validation", type=float, default=None)
    p.add_argument("--data", default=None)
    p.add_argument("--dataset", default=None)
    return p


def data_flags(args):
    flags = []
    for name in ("train_size", "validation", "data", "dataset"):
        value = getattr(args, name)
        if value is not None:
            flags += ["--" + name.replace("_", "-"), str(value)]
    return flags


def run_search(args, param_space=None):
    """Runs the search on the Ray cluster already connected; returns Tune's ResultGrid and the
    metric it ranked by. `param_space` replaces the starting points --space draws (PBT still
    mutates within --space)."""
    if not (os.path.isfile(args.binary) and os.access(args.binary, os.X_OK)):
        raise SystemExit(f"--binary: '{args.binary}' is not an executable (build it: swift build -c release)")
    if args.trials < 1 or args.epochs < 1:
        raise SystemExit("--trials and --epochs: must be at least 1")
    space = parse_space(args.space)
    metric = args.metric or ("val_acc" if args.validation else "test_acc")
    mode = "min" if metric == "loss" else "max"
    settings = {
        "binary": os.path.abspath(args.binary),
        "log_every": args.log_every,
        "data_flags": data_flags(args),
        "base": {"optimizer": args.optimizer, "hidden": parse_hidden(args.hidden), "batch": args.batch,
                 "seed": args.seed, "epochs": args.epochs},
    }
    if args.scheduler == "asha":
        scheduler = ASHAScheduler(time_attr="training_iteration", max_t=args.epochs, grace_period=args.grace,
                                  reduction_factor=args.reduction)
    else:
        names = args.mutate or [k for k in ("lr", "wd") if k in space]
        mutations = {}
        for name in names:
            knob = KNOBS.get(name.lower(), name)
            key = knob if knob in space else "one_minus_" + knob
            if key not in space:
                raise SystemExit(f"--mutate: '{name}' is not drawn by --space")
            if knob not in ("lr", "wd"):
                raise SystemExit(f"--mutate: '{name}': a restored trial may change only lr and wd")
            mutations[key] = space[key]
        if not mutations:
            raise SystemExit("--mutate: PBT needs lr or wd in --space")
        scheduler = PopulationBasedTraining(time_attr="training_iteration",
                                            perturbation_interval=args.perturbation_interval,
                                            hyperparam_mutations=mutations, synch=args.synch)
    trainable = tune.with_resources(tune.with_parameters(dlboard_trainable, settings=settings),
                                    {"cpu": args.cpus_per_trial})
    tuner = tune.Tuner(
        trainable,
        param_space=space if param_space is None else param_space,
        tune_config=tune.TuneConfig(metric=metric, mode=mode, num_samples=args.trials, scheduler=scheduler,
                                    search_alg=BasicVariantGenerator(random_state=args.seed)),
        run_config=tune.RunConfig(storage_path=os.path.abspath(args.storage), name=args.name, verbose=1),
    )
    return tuner.fit(), metric


# Ray kills a worker's child processes when the worker exits, and Tune ends a stopped trial's
# worker without waiting for the trainable (FunctionTrainable.cleanup joins its thread with
# timeout 0): a trial process could be killed mid-way through its summary. Without that kill,
# the process sees its stdin close (and SIGTERM, see _die_with_parent) and ends as a stopped
# trial does, summary written.
WORKER_ENV = {"RAY_kill_child_processes_on_worker_exit": "false"}


def connect(address):
    """Joins a cluster (`auto`, an address) or starts Ray in this process (`local`)."""
    runtime_env = {"env_vars": WORKER_ENV}
    if address == "local":
        ray.init(runtime_env=runtime_env)
    else:
        ray.init(address=address, runtime_env=runtime_env)


def main(argv=None):
    args = build_parser().parse_args(argv)
    connect(args.address)
    started = time.monotonic()
    results, metric = run_search(args)
    print(f"\n{len(results)} trials in {time.monotonic() - started:.1f} s; results in {results.experiment_path}")
    for result in results:
        m = result.metrics or {}
        print(f"  {os.path.basename(result.path)}  epochs {m.get('epoch')}  test_acc {m.get('test_acc')}"
              f"  val_acc {m.get('val_acc')}  loss {m.get('loss')}")
    if not results.errors:
        best = results.get_best_result()
        print(f"best: {os.path.basename(best.path)} ({metric} {best.metrics.get(metric)})")
    print(f"watch: dlboard watch {results.experiment_path}")
    return 1 if results.errors else 0


if __name__ == "__main__":
    sys.exit(main())
