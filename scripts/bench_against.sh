#!/usr/bin/env bash
# `dlboard bench` of this tree's release build against another dlboard binary (e.g. the previous
# release, built from its commit), interleaved round by round on the same machine, with the BLAS
# kernel each picks itself (OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset for both, in these commands
# only). Prints one row per case: the median samples/s of each with its range, and the ratio.
#
#   git worktree add --detach /tmp/prev <commit> && (cd /tmp/prev && swift build -c release)
#   scripts/bench_against.sh /tmp/prev/.build/release/dlboard [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
other=${1:?usage: scripts/bench_against.sh OTHER_DLBOARD [ROUNDS]}
rounds=${2:-3}
swift build -c release >/dev/null
this=.build/release/dlboard
out=$(mktemp -d)
for r in $(seq "$rounds"); do
    for side in other this; do
        bin=$other; [[ $side == this ]] && bin=$this
        env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$bin" bench --json >"$out/$side-$r.json"
    done
done
python3 - "$out" "$rounds" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
runs = {s: [json.load(open(f"{out}/{s}-{r}.json")) for r in range(1, rounds + 1)] for s in ("other", "this")}
print("kernels:", {s: sorted({d["blasKernel"] for d in ds}) for s, ds in runs.items()})
def cases(ds):
    got = {}
    for d in ds:
        for c in d["cases"]:
            got.setdefault((c["threads"], c["optimizer"], c["variant"]), []).append(c["samplesPerSecond"])
        for f in d["frames"]:
            got.setdefault(("frame", f["view"], f"{f['width']}x{f['height']}"), []).append(f["msPerFrame"])
    return got
a, b = cases(runs["other"]), cases(runs["this"])
print("| case | other (median, range) | this (median, range) | this/other |")
print("|---|---|---|---|")
for k in a:
    x, y = a[k], b.get(k, [float("nan")])
    unit = "ms/frame" if k[0] == "frame" else "samples/s"
    ratio = statistics.median(y) / statistics.median(x)
    if unit == "ms/frame":
        ratio = 1 / ratio  # > 1: this is faster
    fmt = (lambda v: f"{v:.3f}") if unit == "ms/frame" else (lambda v: f"{v:,.0f}")
    print(f"| {' '.join(map(str, k))} ({unit}) | {fmt(statistics.median(x))} ({fmt(min(x))}–{fmt(max(x))}) "
          f"| {fmt(statistics.median(y))} ({fmt(min(y))}–{fmt(max(y))}) | {ratio:.2f} |")
PY
