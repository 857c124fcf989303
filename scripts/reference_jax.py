#!/usr/bin/env python3
"""JAX peer of the book's network for `scripts/compare_numpy.py --jax`: the strongest peer found.

784-100x5-10 (--hidden), ReLU, He init (normal, std sqrt(2/fan_in), zero biases), softmax
cross-entropy in the book's form (-mean log(y_t + 1e-7)), batch 100, float32, the book's SGD or
Adam (lr_t = lr * sqrt(1 - b2^t) / (1 - b1^t), eps 1e-7 added to sqrt(v), m += (1-b1)(g-m),
v += (1-b2)(g^2-v)). A whole epoch is one jitted `lax.scan` over its batches (a fresh shuffled
permutation per epoch, 60000 // batch steps without replacement, the batch gathered inside the
scan), so Python is out of the loop. One thread: XLA_FLAGS gets
--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1 before jax loads (pin the
process to one core too: taskset -c N, or --cpu N).

Timed like ../shared/bench/reference_numpy.py: a compile/warm-up epoch on a throwaway network of
the same config first (it compiles the very function the timed epochs run), then --epochs epochs of
the real network, each timed to block_until_ready. Prints a summary on stderr and, with --json, one
JSON line on stdout (samples_per_s, test_acc, ... as the NumPy reference).

    python scripts/reference_jax.py --optimizer adam --epochs 2 --json
    python scripts/reference_jax.py --describe    # jax version, device, XLA's CPU target, as JSON

Needs jax and numpy (compare_numpy.py --jax makes a virtual environment with both).
"""
import argparse
import glob
import gzip
import json
import os
import re
import shutil
import struct
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ONE_THREAD = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=None, metavar="DIR",
                    help="the four MNIST IDX .gz files (default: $MNIST_DIR, else assets/mnist of this repository)")
    ap.add_argument("--optimizer", default="sgd", choices=["sgd", "adam"])
    ap.add_argument("--lr", type=float, default=None, help="default: 0.001 for adam, 0.01 for sgd (the book's)")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--hidden", type=int, nargs="+", default=[100] * 5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cpu", type=int, default=None, help="pin this process to one CPU (like taskset -c)")
    ap.add_argument("--no-eval", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--describe", action="store_true",
                    help="print jax's version, device and XLA's CPU target (from a compile's topology dump) and exit")
    return ap.parse_args()


args = parse_args()
if args.cpu is not None:
    os.sched_setaffinity(0, {args.cpu})
# Before jax loads: XLA reads its flags once.
flags = os.environ.get("XLA_FLAGS", "")
if "--xla_cpu_multi_thread_eigen" not in flags:
    flags = (flags + " " + ONE_THREAD).strip()
DUMP = None
if args.describe:
    DUMP = tempfile.mkdtemp(prefix="jax-describe-")
    # First: XLA stops reading at the first word that is not a --flag (the one-thread words end in one).
    flags = f"--xla_dump_to={DUMP} " + flags
os.environ["XLA_FLAGS"] = flags

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402


def describe():
    """What JAX runs on: versions, device, and XLA's CPU target and features, read from the
    topology XLA dumps with a compile (there is no public API for the target features)."""
    import jaxlib
    x = jnp.ones((8, 8), jnp.float32)
    jax.jit(lambda a: a @ a)(x).block_until_ready()
    dev = jax.devices()[0]
    out = {"jax": jax.__version__, "jaxlib": jaxlib.__version__, "platform": dev.platform,
           "device_kind": dev.device_kind, "devices": len(jax.devices()), "xla_flags": os.environ["XLA_FLAGS"]}
    target, features = None, []
    for path in glob.glob(os.path.join(DUMP, "**", "topology.textproto"), recursive=True):
        text = open(path, errors="replace").read()
        # The CpuTopologyProto's bytes, C-escaped: the triple, a tag and length, the target CPU,
        # then "+feature,-feature,...".
        m = re.search(r"linux-gnu\\022(?:\\[0-7]{3}|\\[a-z]|.)([a-z][a-z0-9_-]*)", text)
        target = m.group(1) if m else None
        # Only the enabled ones ("+name"); "-name" is a feature the target lacks.
        features = re.findall(r"\+([a-z0-9][a-z0-9._-]*)", text)
        break
    shutil.rmtree(DUMP, ignore_errors=True)
    out["xla_cpu_target"] = target or "unknown"
    widest = ("AVX-512" if "avx512f" in features else "AVX2" if "avx2" in features
              else "AVX" if "avx" in features else "unknown" if not features else "SSE")
    out["xla_cpu_isa"] = widest
    out["xla_cpu_features"] = [f for f in features if f.startswith(("avx512", "amx", "avx2", "fma", "avxvnni"))]
    return out


def read_idx(path):
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        raw = f.read()
    zero, code, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or code != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(data_dir):
    def p(name):
        path = os.path.join(data_dir, name)
        if not os.path.exists(path):
            sys.exit(f"missing {path} (use --data DIR or MNIST_DIR)")
        return path
    xtr = read_idx(p("train-images-idx3-ubyte.gz"))
    ytr = read_idx(p("train-labels-idx1-ubyte.gz"))
    xte = read_idx(p("t10k-images-idx3-ubyte.gz"))
    yte = read_idx(p("t10k-labels-idx1-ubyte.gz"))
    f = lambda x: x.reshape(len(x), -1).astype(np.float32) / np.float32(255)  # noqa: E731
    return f(xtr), ytr.astype(np.int32), f(xte), yte.astype(np.int32)


def init(sizes, key):
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        key, k = jax.random.split(key)
        w = jax.random.normal(k, (fan_in, fan_out), jnp.float32) * jnp.float32(np.sqrt(2.0 / fan_in))
        params.append((w, jnp.zeros(fan_out, jnp.float32)))
    return params


def logits(params, x):
    for w, b in params[:-1]:
        x = jax.nn.relu(x @ w + b)
    w, b = params[-1]
    return x @ w + b


def loss_fn(params, x, t):
    y = jax.nn.softmax(logits(params, x))
    return -jnp.mean(jnp.log(jnp.take_along_axis(y, t[:, None], axis=1) + jnp.float32(1e-7)))


def make_epoch(optimizer, lr, b1=0.9, b2=0.999, eps=1e-7):
    grad = jax.value_and_grad(loss_fn)

    def sgd_step(carry, idx, x_all, t_all):
        params, state = carry
        loss, g = grad(params, x_all[idx], t_all[idx])
        params = jax.tree_util.tree_map(lambda p, d: p - jnp.float32(lr) * d, params, g)
        return (params, state), loss

    def adam_step(carry, idx, x_all, t_all):
        params, (it, m, v) = carry
        loss, g = grad(params, x_all[idx], t_all[idx])
        it = it + 1
        fi = it.astype(jnp.float32)
        lr_t = jnp.float32(lr) * jnp.sqrt(1 - jnp.float32(b2) ** fi) / (1 - jnp.float32(b1) ** fi)
        m = jax.tree_util.tree_map(lambda m_, d: m_ + jnp.float32(1 - b1) * (d - m_), m, g)
        v = jax.tree_util.tree_map(lambda v_, d: v_ + jnp.float32(1 - b2) * (d * d - v_), v, g)
        params = jax.tree_util.tree_map(lambda p, m_, v_: p - lr_t * m_ / (jnp.sqrt(v_) + jnp.float32(eps)),
                                        params, m, v)
        return (params, (it, m, v)), loss

    step = sgd_step if optimizer == "sgd" else adam_step

    @jax.jit
    def epoch(params, state, x_all, t_all, batches):
        (params, state), losses = lax.scan(lambda c, i: step(c, i, x_all, t_all), (params, state), batches)
        return params, state, jnp.mean(losses)

    return epoch


def initial_state(optimizer, params):
    if optimizer == "sgd":
        return jnp.zeros((), jnp.int32)
    zeros = jax.tree_util.tree_map(jnp.zeros_like, params)
    return (jnp.zeros((), jnp.int32), zeros, jax.tree_util.tree_map(jnp.zeros_like, params))


def main():
    if args.describe:
        print(json.dumps(describe()))
        return
    data_dir = args.data or os.environ.get("MNIST_DIR") or os.path.join(ROOT, "assets", "mnist")
    xtr, ttr, xte, tte = load(data_dir)
    n, B = len(xtr), args.batch
    steps = n // B
    lr = args.lr if args.lr is not None else (0.001 if args.optimizer == "adam" else 0.01)
    sizes = [xtr.shape[1]] + list(args.hidden) + [10]
    x_all, t_all = jnp.asarray(xtr), jnp.asarray(ttr)
    epoch = make_epoch(args.optimizer, lr)
    rng = np.random.default_rng(args.seed)

    def batches():
        return jnp.asarray(rng.permutation(n)[:steps * B].reshape(steps, B).astype(np.int32))

    # Compile and warm up on a throwaway network: the same function, shapes and dtypes.
    t0 = time.perf_counter()
    wp = init(sizes, jax.random.PRNGKey(args.seed + 12345))
    out = epoch(wp, initial_state(args.optimizer, wp), x_all, t_all, batches())
    jax.block_until_ready(out)
    warmup_s = time.perf_counter() - t0

    params = init(sizes, jax.random.PRNGKey(args.seed))
    state = initial_state(args.optimizer, params)
    epoch_s, losses = [], []
    for _ in range(args.epochs):
        idx = batches()
        jax.block_until_ready(idx)
        t0 = time.perf_counter()
        params, state, loss = epoch(params, state, x_all, t_all, idx)
        jax.block_until_ready((params, state, loss))
        epoch_s.append(time.perf_counter() - t0)
        losses.append(float(loss))

    train_s = sum(epoch_s)
    res = {
        "impl": "jax",
        "jax": jax.__version__,
        "optimizer": args.optimizer,
        "lr": lr,
        "hidden": list(args.hidden),
        "batch": B,
        "epochs": args.epochs,
        "steps": steps * args.epochs,
        "samples_per_s": steps * args.epochs * B / train_s,
        "ms_per_step": 1000.0 * train_s / (steps * args.epochs),
        "epoch_s": [round(e, 3) for e in epoch_s],
        "compile_and_warmup_epoch_s": round(warmup_s, 3),
        "final_loss": losses[-1],
        "epoch_losses": [round(x, 5) for x in losses],
        "xla_flags": os.environ["XLA_FLAGS"],
        "cpus": sorted(os.sched_getaffinity(0)),
    }
    if not args.no_eval:
        predict = jax.jit(lambda p, x: jnp.argmax(logits(p, x), axis=1))
        res["train_acc"] = float(np.mean(np.asarray(predict(params, x_all)) == ttr))
        res["test_acc"] = float(np.mean(np.asarray(predict(params, jnp.asarray(xte))) == tte))
    acc = f" test_acc {res['test_acc']:.4f}" if "test_acc" in res else ""
    print(f"jax {jax.__version__} opt={args.optimizer}: {res['samples_per_s']:.0f} samples/s, "
          f"{res['ms_per_step']:.3f} ms/step, loss {res['final_loss']:.4f}{acc}, "
          f"compile+warm-up epoch {warmup_s:.2f}s", file=sys.stderr)
    if args.json:
        print(json.dumps(res))


if __name__ == "__main__":
    main()
