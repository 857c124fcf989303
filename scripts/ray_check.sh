#!/usr/bin/env bash
# The Ray Tune driver against a real one-node Ray cluster and the release binary: an ASHA search
# and a short PBT, their records checked against Ray's results, and `dlboard watch` on them
# (integrations/ray/check_ray.py says what is checked). Exits non-zero when a check fails.
#
# Installs Ray with pip into .build/ray-venv (kept and reused; delete it to reinstall), builds
# .build/release/dlboard (incrementally), and stops the cluster on every way out.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

# Always (a no-op when it is up to date): a stale release binary would test old code.
swift build -c release

venv=.build/ray-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r integrations/ray/requirements.txt
installed=$(date +%s)

# Ray keeps its sockets under the temp folder, and a Unix socket path has at most 107 bytes:
# a deep checkout gets a short folder in /tmp instead of one in .build.
ray_tmp="$PWD/.build/ray-tmp"
rm -rf "$ray_tmp"    # the last run's session: logs, and what a worker Ray ended left behind
short_tmp=""
if [ ${#ray_tmp} -gt 40 ]; then
    ray_tmp=$(mktemp -d /tmp/dlboard-ray.XXXXXX)
    short_tmp=$ray_tmp
fi
mkdir -p "$ray_tmp"

# A token of this run's own for the cluster's token authentication (on by default in Ray 2.60):
# the cluster and the checker read it from the environment, nothing is written to ~/.ray.
export RAY_AUTH_MODE=token
RAY_AUTH_TOKEN=$("$venv/bin/python" -c 'import secrets; print(secrets.token_hex(32))')
export RAY_AUTH_TOKEN
port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export RAY_ADDRESS="127.0.0.1:$port"

# Stops this cluster (--force: also when a trial is still running) whatever ends the script, and
# removes a temp folder made in /tmp.
trap '"$venv/bin/ray" stop --force >/dev/null 2>&1 || true; if [ -n "$short_tmp" ]; then rm -rf "$short_tmp"; fi' EXIT
"$venv/bin/ray" start --head --port="$port" --node-ip-address=127.0.0.1 --num-cpus=2 \
    --include-dashboard=false --object-store-memory=100000000 --temp-dir="$ray_tmp" --disable-usage-stats >/dev/null

status=0
"$venv/bin/python" integrations/ray/check_ray.py --binary .build/release/dlboard || status=$?
ended=$(date +%s)
echo "ray_check.sh: $((ended - started)) s in all ($((installed - started)) s build and pip install), exit $status"
exit "$status"
