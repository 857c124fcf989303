#!/usr/bin/env python3
"""Throughput of `dlboard train` next to the NumPy reference (and, with --jax, the JAX peer) of the
same network, in one run.

The machine is a noisy shared VM, so the sides are interleaved (the order rotating each repeat) and
repeated, and the ratio of the medians is what to read (absolute numbers from different runs are
not comparable).

Every side runs as a user would: OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed from the
environment of these subprocesses only (some machines set them globally; on an AVX-512 CPU
OPENBLAS_CORETYPE=Haswell halves sgemm, NumPy's too), and the kernel each side used is printed.

    python3 scripts/compare_numpy.py [--repeats 3] [--epochs 2] [--optimizers sgd,adam] [--jax] [--json FILE]

Needs a release build (`swift build -c release`) and the reference, ../shared/bench/reference_numpy.py
with numpy installed (or --reference PATH). --jax runs scripts/reference_jax.py in a virtual
environment of its own (.build/bench-venv, made with `python3 -m venv` and `pip install jax numpy`
the first time), on one core (taskset) with XLA on one thread.
All sides: 1 BLAS thread, batch 100, 784-100x5-10 ReLU He, a shuffled permutation per epoch.
"""
import argparse
import ctypes
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DLBOARD = os.path.join(ROOT, ".build/release/dlboard")
JAX_SCRIPT = os.path.join(ROOT, "scripts", "reference_jax.py")
# The variables a user's machine does not have; dlboard's own re-exec marker goes too, so dlboard
# decides afresh as it would at a user's prompt.
UNSET = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "DLBOARD_CHOSEN_CORETYPE")


def clean_env(extra=None):
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update(extra or {})
    return env


def removed():
    found = [f"{k}={os.environ[k]}" for k in UNSET[:2] if k in os.environ]
    return ", ".join(found) if found else "neither was set"


# ------------------------------------------------------------------------------------- dlboard
def dlboard_kernel():
    """The kernel verdict of dlboard's bench header: the shortest bench there is, with --json."""
    cmd = [DLBOARD, "bench", "--steps", "1", "--warmup", "0", "--repeats", "1", "--threads", "1",
           "--optimizers", "sgd", "--no-variants", "--no-frames", "--no-statistics", "--json"]
    try:
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT, env=clean_env())
        rep = json.loads(out.stdout)
        k = rep.get("kernel", {})
        peak = rep.get("fmaPeak", {}).get("gflops")
        return {"core": k.get("coreName", rep.get("blasKernel")), "summary": k.get("summary", rep.get("blasKernel")),
                "forced": k.get("forced"), "warning": k.get("warning"), "fma_peak_gflops": peak,
                "cpu": rep.get("cpu", {}).get("model")}
    except (subprocess.CalledProcessError, json.JSONDecodeError, OSError) as e:
        return {"core": "unknown", "summary": f"unknown ({e.__class__.__name__})"}


def dlboard(opt, epochs):
    with tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False) as f:
        log = f.name
    cmd = [DLBOARD, "train", "--optimizer", opt, "--epochs", str(epochs),
           "--hidden", "100,100,100,100,100", "--sampling", "shuffle", "--threads", "1", "--metrics-out", log]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT, env=clean_env())
    with open(log) as fh:
        evals = [json.loads(line) for line in fh if '"type":"eval"' in line]
    os.unlink(log)
    # Samples per second over all timed epochs: total samples / total training seconds.
    seconds = sum(e["train_seconds"] for e in evals)
    samples = sum(e["samples_per_s"] * e["train_seconds"] for e in evals)
    m = re.search(r"kernel (\S+)", out.stdout)
    return {"samples_per_s": samples / seconds, "test_acc": evals[-1]["test_acc"],
            "kernel": m.group(1) if m else "unknown"}


# --------------------------------------------------------------------------------------- NumPy
NUMPY_KERNEL_PROBE = r"""
import json, ctypes, os
import numpy as np
info = {"numpy": np.__version__}
try:
    from threadpoolctl import threadpool_info
    for p in threadpool_info():
        if p.get("internal_api") == "openblas":
            info.update(core=p.get("architecture"), openblas=p.get("version"), library=p.get("filepath"),
                        via="threadpoolctl")
            break
except ImportError:
    pass
if "core" not in info:
    # The OpenBLAS numpy loaded, from this process's mappings: a wheel bundles scipy-openblas with
    # prefixed symbols, a distribution's numpy links the system libopenblas.
    paths = sorted({l.split()[-1] for l in open("/proc/self/maps") if "openblas" in l.lower() and "/" in l})
    for path in paths:
        lib = ctypes.CDLL(path)
        for prefix, suffix in (("scipy_openblas", "64_"), ("scipy_openblas", ""), ("openblas", "64_"), ("openblas", "")):
            f = getattr(lib, f"{prefix}_get_corename{suffix}", None)
            if f is None:
                continue
            f.restype = ctypes.c_char_p
            info.update(core=f().decode(), library=path, via="ctypes " + f"{prefix}_get_corename{suffix}")
            g = getattr(lib, f"{prefix}_get_config{suffix}", None)
            if g is not None:
                g.restype = ctypes.c_char_p
                info["openblas"] = g().decode()
            break
        if "core" in info:
            break
print(json.dumps(info))
"""


def numpy_kernel():
    try:
        out = subprocess.run([sys.executable, "-c", NUMPY_KERNEL_PROBE], check=True, capture_output=True,
                             text=True, env=clean_env({"OPENBLAS_NUM_THREADS": "1"}))
        info = json.loads(out.stdout)
    except (subprocess.CalledProcessError, json.JSONDecodeError, OSError) as e:
        return {"core": "unknown", "summary": f"unknown ({e.__class__.__name__})"}
    core = info.get("core", "unknown")
    return dict(info, core=core, summary=f"{core} (numpy {info.get('numpy')}, "
                f"{info.get('openblas', 'OpenBLAS ?')}, via {info.get('via', 'nothing: no OpenBLAS found')})")


def numpy_ref(ref, opt, epochs):
    cmd = [sys.executable, ref, "--optimizer", opt, "--epochs", str(epochs), "--threads", "1", "--json"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT, env=clean_env())
    res = json.loads(out.stdout.strip().splitlines()[-1])
    return {"samples_per_s": res["samples_per_s"], "test_acc": res.get("test_acc")}


# ----------------------------------------------------------------------------------------- JAX
def jax_python(venv):
    """The venv's python with jax importable, made on first use."""
    py = os.path.join(venv, "bin", "python")
    ok = lambda: os.path.exists(py) and subprocess.run(  # noqa: E731
        [py, "-c", "import jax, numpy"], capture_output=True).returncode == 0
    if not ok():
        print(f"making {venv} (python3 -m venv; pip install jax numpy) ...", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([py, "-m", "pip", "install", "--quiet", "jax", "numpy"], check=True)
        if not ok():
            sys.exit(f"{venv}: jax does not import after pip install")
    return py


def jax_env():
    return clean_env({"XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"})


def jax_pin(core):
    # taskset where there is one (what a reader would type); the script's own --cpu otherwise.
    return (["taskset", "-c", str(core)], []) if shutil.which("taskset") else ([], ["--cpu", str(core)])


def jax_describe(py, core):
    pre, post = jax_pin(core)
    try:
        out = subprocess.run(pre + [py, JAX_SCRIPT, "--describe"] + post, check=True, capture_output=True,
                             text=True, env=jax_env())
        return json.loads(out.stdout.strip().splitlines()[-1])
    except (subprocess.CalledProcessError, json.JSONDecodeError) as e:
        return {"jax": "?", "error": str(e)}


def jax_ref(py, core, opt, epochs):
    pre, post = jax_pin(core)
    cmd = pre + [py, JAX_SCRIPT, "--optimizer", opt, "--epochs", str(epochs), "--json"] + post
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT, env=jax_env())
    res = json.loads(out.stdout.strip().splitlines()[-1])
    return {"samples_per_s": res["samples_per_s"], "test_acc": res.get("test_acc"),
            "compile_s": res.get("compile_and_warmup_epoch_s")}


# ---------------------------------------------------------------------------------------- main
def summary(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": values}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--optimizers", default="sgd,adam")
    ap.add_argument("--reference", default=os.path.join(ROOT, "..", "shared", "bench", "reference_numpy.py"))
    ap.add_argument("--jax", action="store_true", help="add the JAX peer (scripts/reference_jax.py)")
    ap.add_argument("--venv", default=os.path.join(ROOT, ".build", "bench-venv"),
                    help="the JAX peer's virtual environment (made if it lacks jax)")
    ap.add_argument("--jax-core", type=int, default=None,
                    help="the CPU the JAX peer is pinned to (default: the last this process may use)")
    ap.add_argument("--json", metavar="FILE", help="also write every run and the summary as JSON")
    args = ap.parse_args()
    if not os.path.exists(DLBOARD):
        sys.exit(f"{DLBOARD} missing: swift build -c release")
    if not os.path.exists(args.reference):
        sys.exit(f"{args.reference} missing (--reference PATH)")

    print(f"removed from the peers' environment: OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE ({removed()})")
    kernels = {"dlboard": dlboard_kernel(), "numpy": numpy_kernel()}
    print(f"dlboard kernel: {kernels['dlboard']['summary']}")
    if kernels["dlboard"].get("warning"):
        print(f"  warning: {kernels['dlboard']['warning']}")
    print(f"numpy kernel:   {kernels['numpy']['summary']}")
    sides = ["dlboard", "numpy"]
    py = core = None
    if args.jax:
        py = jax_python(args.venv)
        core = args.jax_core if args.jax_core is not None else max(os.sched_getaffinity(0))
        d = jax_describe(py, core)
        kernels["jax"] = d
        print(f"jax:            jax {d.get('jax')} / jaxlib {d.get('jaxlib')}, XLA {d.get('platform', '?')} "
              f"target {d.get('xla_cpu_target', '?')} ({d.get('xla_cpu_isa', '?')}: "
              f"{', '.join(f for f in d.get('xla_cpu_features', []) if f.startswith(('avx512f', 'avx512bf16', 'avx512fp16', 'amx-tile', 'fma')))}), "
              f"pinned to CPU {core}, {jax_env()['XLA_FLAGS']}")
        sides.append("jax")

    results = {}
    for opt in args.optimizers.split(","):
        runs = {s: [] for s in sides}
        for r in range(args.repeats):
            # Rotate who goes first, so a drift of the machine's speed falls on every side alike.
            for s in sides[r % len(sides):] + sides[:r % len(sides)]:
                if s == "dlboard":
                    runs[s].append(dlboard(opt, args.epochs))
                elif s == "numpy":
                    runs[s].append(numpy_ref(args.reference, opt, args.epochs))
                else:
                    runs[s].append(jax_ref(py, core, opt, args.epochs))
        rates = {s: summary([x["samples_per_s"] for x in runs[s]]) for s in sides}
        accs = {s: [x["test_acc"] for x in runs[s]] for s in sides}
        dk = sorted({x["kernel"] for x in runs["dlboard"]})
        line = [f"{opt:8s}"]
        for s in sides:
            m = rates[s]
            acc = statistics.median([a for a in accs[s] if a is not None]) if any(a is not None for a in accs[s]) else None
            line.append(f"{s} {m['median']:8.0f} samples/s ({m['min']:.0f}-{m['max']:.0f})"
                        + (f" acc {acc:.4f}" if acc is not None else ""))
        ratios = {f"dlboard/{s}": rates["dlboard"]["median"] / rates[s]["median"] for s in sides[1:]}
        print("   ".join(line))
        print(f"{'':8s} ratios of medians: " + ", ".join(f"{k} {v:.2f}x" for k, v in ratios.items())
              + f"   (dlboard kernel in these runs: {', '.join(dk)})")
        results[opt] = {"samples_per_s": rates, "test_acc": accs, "ratios": ratios, "runs": runs}
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"kernels": kernels, "epochs": args.epochs, "repeats": args.repeats, "results": results}, f,
                      indent=1)


if __name__ == "__main__":
    main()
