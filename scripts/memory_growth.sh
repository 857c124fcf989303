#!/usr/bin/env bash
# Measures how the resident memory of a 4-run comparison on the dashboard grows while it trains:
# `compare --optimizers sgd,momentum,adagrad,adam` in a 120×40 tmux pane, VmRSS sampled every
# INTERVAL seconds (default 30) for MINUTES minutes, then the growth from minute 1 to the end.
#
#   scripts/memory_growth.sh 30            # the issue-11 bound: growth <= 10 % from minute 1 to 30
#   INTERVAL=10 scripts/memory_growth.sh 5
#   LIMIT=10 ...                           # the allowed growth in percent (exit 1 above it)
#
# Needs tmux. Uses the release binary (DLBOARD=path for another one; built when missing).
set -u
cd "$(dirname "$0")/.."
MINUTES=${1:-30}
INTERVAL=${INTERVAL:-30}
LIMIT=${LIMIT:-10}
BIN=${DLBOARD:-$PWD/.build/release/dlboard}
if [[ ! -x $BIN ]]; then swift build -c release >/dev/null || { echo "build failed"; exit 2; }; fi
SOCK=dlboard-memory-$$
tm() { tmux -L "$SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null' EXIT

tm -f /dev/null new-session -d -s m -x 120 -y 40 \
    "env -i HOME=$HOME PATH=$PATH TERM=xterm-256color LANG=C.UTF-8 $BIN compare --optimizers sgd,momentum,adagrad,adam --epochs 100000; sleep 100000"
pid=""
for _ in $(seq 100); do
    pid=$(pgrep -P "$(tm display -p -t m '#{pane_pid}')" | head -1)
    [[ -n $pid ]] && tm capture-pane -p -t m | grep -q 'step [1-9]' && break
    sleep 0.2
done
[[ -z $pid ]] && { echo "dlboard did not start"; tm capture-pane -p -t m; exit 2; }

rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status" 2>/dev/null; }
start=$SECONDS
at_minute1=""
echo "pid $pid; sampling VmRSS every $INTERVAL s for $MINUTES min"
printf '%8s  %8s  %s\n' "seconds" "RSS MB" "screen"
while ((SECONDS - start < MINUTES * 60)); do
    r=$(rss); [[ -z $r ]] && { echo "dlboard ended early:"; tm capture-pane -p -t m | tail -5; exit 2; }
    elapsed=$((SECONDS - start))
    [[ -z $at_minute1 && $elapsed -ge 60 ]] && at_minute1=$r
    printf '%8d  %8d  %s\n' "$elapsed" "$r" "$(tm capture-pane -p -t m | grep -oE 'step [0-9]+' | head -1)"
    sleep "$INTERVAL"
done
end=$(rss)
at_minute1=${at_minute1:-$end}
growth=$(awk -v a="$at_minute1" -v b="$end" 'BEGIN { printf "%.1f", (a > 0 ? (b - a) * 100 / a : 0) }')
tm send-keys -t m q; sleep 0.3; tm send-keys -t m q
echo "RSS ${at_minute1} MB at minute 1, ${end} MB at minute $MINUTES: growth ${growth} % (limit ${LIMIT} %)"
awk -v g="$growth" -v l="$LIMIT" 'BEGIN { exit (g <= l ? 0 : 1) }'
