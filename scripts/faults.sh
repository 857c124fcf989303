#!/usr/bin/env bash
# Runs dlboard (the release binary) into every known fault (bad input, crashes, signals) and prints one line per case,
# PASS or FAIL with what was seen, then "N passed, M failed". Exit status: the number of failures.
#
#   scripts/faults.sh                      # all cases; the key storm lasts 10 minutes
#   STORM_SECONDS=60 scripts/faults.sh     # a shorter storm
#   scripts/faults.sh nan resize           # only the cases whose names contain these words
#
# Needs tmux. Builds the release binary when it is missing (DLBOARD=path uses another binary).
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${DLBOARD:-$ROOT/.build/release/dlboard}
if [[ ! -x $BIN ]]; then swift build -c release >/dev/null || { echo "build failed"; exit 1; }; fi
STORM_SECONDS=${STORM_SECONDS:-600}
WORK=$(mktemp -d /tmp/dlboard-faults.XXXXXX)
SOCK=dlboard-faults-$$
PASSED=0
FAILED=0
FILTER=("$@")

PANES=0
tm() { tmux -L "$SOCK-$PANES" "$@"; }
cleanup() { tm kill-server 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

result() {  # name ok detail
    if [[ $2 == 1 ]]; then PASSED=$((PASSED + 1)); printf 'PASS  %-28s %s\n' "$1" "$3"
    else FAILED=$((FAILED + 1)); printf 'FAIL  %-28s %s\n' "$1" "$3"; fi
}

wanted() {
    [[ ${#FILTER[@]} -eq 0 ]] && return 0
    local f; for f in "${FILTER[@]}"; do [[ $1 == *"$f"* ]] && return 0; done
    return 1
}

# --- tmux helpers -------------------------------------------------------------------------------
pane_start() {  # width height: a fresh tmux server (its own socket) with a plain shell
    tm kill-server 2>/dev/null
    PANES=$((PANES + 1))
    # SWIFT_BACKTRACE: a crash leaves a symbolicated backtrace on stderr (kept by the key storm).
    tm -f /dev/null new-session -d -s f -x "$1" -y "$2" "env -i HOME=$HOME PATH=$PATH TERM=xterm-256color LANG=C.UTF-8 SWIFT_BACKTRACE=enable=yes,interactive=no,color=no PS1='$ ' bash --norc --noprofile"
    tm set-option -t f -g window-size manual 2>/dev/null
    sleep 0.3
}
pane_run() { tm send-keys -t f -l "$1"; tm send-keys -t f Enter; }
screen() { tm capture-pane -p -t f; }
wait_screen() {  # regex seconds
    local deadline=$((SECONDS + $2))
    while ((SECONDS < deadline)); do screen | grep -qE "$1" && return 0; sleep 0.1; done
    return 1
}
app_pid() { pgrep -P "$(tm display -p -t f '#{pane_pid}')" | head -1; }
screen_step() { screen | grep -oE 'step [0-9]+' | head -1 | grep -oE '[0-9]+'; }
# After the program ended: the shell is back on the normal screen, with echo and line editing on.
# What a pane command runs after dlboard, on the same command line (before the shell's line editor
# touches the terminal again): the exit status, then the terminal's echo/icanon flags as dlboard left them.
AFTER='; echo EXIT=$?; stty -a | tr " ;" "\n\n" | grep -xE -- "-?(echo|icanon)" | sort | tr "\n" " "; echo STTY-$((6 * 7))'
restored() {
    [[ $(tm display -p -t f '#{alternate_on}') == 0 ]] || return 1
    wait_screen 'STTY-42$' 5 || return 1
    [[ $(screen | grep -E 'STTY-42$' | tail -1) == "echo icanon STTY-42" ]]
}
# Every line of a record parses except perhaps a torn last one; prints "lines last-type".
record_state() {
    python3 - "$1" <<'EOF'
import json, sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
ok, bad, last = 0, 0, None
for i, l in enumerate(lines):
    if not l: continue
    try:
        last = json.loads(l); ok += 1
    except ValueError:
        bad += 1 if i < len(lines) - 1 else 0
print(ok, bad, (last or {}).get("type"), (last or {}).get("stopped"))
EOF
}

# --- bad data -----------------------------------------------------------------------------------
data_case() {  # name folder expected-word
    local out err rc
    out=$("$BIN" train --data "$2" --epochs 1 2>"$WORK/err"); rc=$?
    err=$(cat "$WORK/err")
    local lines; lines=$(grep -c . "$WORK/err")
    if [[ $rc -ne 0 && $lines -eq 1 && $err == *"$3"* && $out != *epoch* ]]; then
        result "$1" 1 "exit $rc: $err"
    else
        result "$1" 0 "exit $rc, $lines stderr line(s): $err"
    fi
}

if wanted data-missing; then
    mkdir -p "$WORK/empty"
    data_case data-missing "$WORK/empty" "train-images"
fi
if wanted data-truncated; then
    mkdir -p "$WORK/trunc"; cp assets/mnist/*.gz "$WORK/trunc/"
    head -c 200000 assets/mnist/train-images-idx3-ubyte.gz >"$WORK/trunc/train-images-idx3-ubyte.gz"
    data_case data-truncated "$WORK/trunc" "train-images"
fi
if wanted data-garbage; then
    mkdir -p "$WORK/garbage"; cp assets/mnist/*.gz "$WORK/garbage/"
    head -c 50000 /dev/urandom >"$WORK/garbage/t10k-images-idx3-ubyte.gz"
    data_case data-garbage "$WORK/garbage" "t10k-images"
fi
if wanted data-wrong-magic; then
    mkdir -p "$WORK/magic"; cp assets/mnist/*.gz "$WORK/magic/"
    head -c 20000 /dev/urandom | gzip >"$WORK/magic/train-labels-idx1-ubyte.gz"
    data_case data-wrong-magic "$WORK/magic" "train-labels"
fi

# --- logs ---------------------------------------------------------------------------------------
if wanted log-unwritable; then
    out=$("$BIN" train --epochs 1 --metrics-out /nonexistent-folder/run.jsonl 2>"$WORK/err"); rc=$?
    err=$(cat "$WORK/err")
    if [[ $rc -ne 0 && $err == *"--metrics-out"*"/nonexistent-folder/run.jsonl"* && $out != *epoch* && $(grep -c . "$WORK/err") -eq 1 ]]; then
        result log-unwritable 1 "exit $rc before training: $err"
    else result log-unwritable 0 "exit $rc: $err / $out"; fi
fi
if wanted log-save-unwritable; then
    touch "$WORK/runs"  # a file where the runs/ folder should go
    out=$(cd "$WORK" && "$BIN" train --epochs 1 --save 2>"$WORK/err"); rc=$?
    err=$(cat "$WORK/err"); rm -f "$WORK/runs"
    if [[ $rc -ne 0 && $err == *"--save"* && $out != *epoch* ]]; then result log-save-unwritable 1 "exit $rc: $err"
    else result log-save-unwritable 0 "exit $rc: $err"; fi
fi
if wanted log-write-error-headless; then
    # A file-size limit makes the record's writes fail mid-run (EFBIG), like a full disk.
    out=$(bash -c "ulimit -f 16; exec '$BIN' train --epochs 3 --train-size 6000 --metrics-out '$WORK/limited.jsonl'" 2>"$WORK/err"); rc=$?
    err=$(cat "$WORK/err")
    replay=$("$BIN" replay --headless "$WORK/limited.jsonl" 2>/dev/null); rrc=$?
    if [[ $rc -eq 0 && $out == *"done: 3 epochs"* && $err == *"File too large"*"training goes on"* && $rrc -eq 0 && $replay == *"epoch"* ]]; then
        result log-write-error-headless 1 "trained on (exit 0), said: ${err%%;*}; the partial record replays"
    else result log-write-error-headless 0 "exit $rc / replay $rrc: $err"; fi
fi
if wanted log-disk-full-dashboard; then
    pane_start 120 40
    pane_run "$BIN --train-size 5000 --epochs 100 --metrics-out /dev/full$AFTER"
    if wait_screen 'log stopped: writing .*/dev/full.* failed' 15; then
        s1=$(screen_step); sleep 1.5; s2=$(screen_step)
        tm send-keys -t f q; sleep 0.2; tm send-keys -t f q
        if wait_screen 'EXIT=0' 10 && [[ ${s2:-0} -gt ${s1:-0} ]] && restored; then
            result log-disk-full-dashboard 1 "status bar says the log stopped; training went on (step $s1 → $s2); q q restored the terminal"
        else result log-disk-full-dashboard 0 "steps $s1 → $s2; $(screen | tail -3 | tr '\n' ' ')"; fi
    else result log-disk-full-dashboard 0 "no warning on screen: $(screen | tail -2 | tr '\n' ' ')"; fi
fi

# --- divergence ---------------------------------------------------------------------------------
if wanted nan-headless; then
    out=$("$BIN" train --lr 10000 --epochs 2 --train-size 2000 --metrics-out "$WORK/nan.jsonl" 2>&1); rc=$?
    if [[ $rc -eq 0 && $out == *"diverged at step"* ]] && grep -q '"kind":"diverged"' "$WORK/nan.jsonl"; then
        result nan-headless 1 "$(echo "$out" | grep diverged | cut -c1-90)"
    else result nan-headless 0 "exit $rc: $(echo "$out" | tail -1)"; fi
fi
if wanted nan-dashboard; then
    pane_start 120 40
    pane_run "$BIN --lr 10000 --train-size 2000$AFTER"
    if wait_screen 'diverged' 15; then
        s1=$(screen_step); sleep 1; s2=$(screen_step)
        tm send-keys -t f q; sleep 0.2; tm send-keys -t f q
        if wait_screen 'EXIT=0' 10 && [[ $s1 == "$s2" ]] && restored; then
            result nan-dashboard 1 "shown as diverged and paused at step $s1; exit 0, terminal restored"
        else result nan-dashboard 0 "steps $s1 → $s2: $(screen | tail -2 | tr '\n' ' ')"; fi
    else result nan-dashboard 0 "no 'diverged' on screen"; fi
fi

# --- terminals ----------------------------------------------------------------------------------
if wanted resize-storm; then
    pane_start 120 40
    pane_run "$BIN --train-size 5000 --epochs 100$AFTER"
    wait_screen 'training' 15
    for _ in $(seq 50); do
        tm resize-window -t f -x $((20 + RANDOM % 200)) -y $((6 + RANDOM % 60)); sleep 0.1
    done
    tm resize-window -t f -x 100 -y 30; sleep 1
    alive=$(app_pid)
    head=$(screen | head -1)
    tm send-keys -t f q; sleep 0.2; tm send-keys -t f q
    if [[ -n $alive && $head == dlboard* ]] && wait_screen 'EXIT=0' 10 && restored; then
        result resize-storm 1 "50 resizes in ~5 s (20–220 × 6–66); redrawn at 100×30; q q exit 0, restored"
    else result resize-storm 0 "alive=$alive head='$head'"; fi
fi
if wanted tiny-20x8; then
    pane_start 20 8
    pane_run "$BIN --train-size 2000$AFTER"
    if wait_screen 'too small' 15; then
        sleep 1; alive=$(app_pid)
        tm send-keys -t f q; sleep 0.2; tm send-keys -t f q
        if [[ -n $alive ]] && wait_screen 'EXIT=0' 10; then result tiny-20x8 1 "says the terminal is too small, keeps training; q q exits 0"
        else result tiny-20x8 0 "$(screen | tr '\n' ' ')"; fi
    else result tiny-20x8 0 "$(screen | tr '\n' ' ')"; fi
fi
for term in dumb unknown-term-xyz; do
    wanted "term-$term" || continue
    pane_start 120 30
    pane_run "clear; TERM=$term $BIN --epochs 1 --train-size 1000$AFTER"
    if wait_screen 'EXIT=0' 30 && screen | grep -q 'done: 1 epochs'; then
        result "term-$term" 1 "headless instead: $(screen | grep -m1 'training without' | cut -c1-80)"
    else result "term-$term" 0 "$(screen | tail -3 | tr '\n' ' ')"; fi
done
# (the pipe above also means no TTY on stdout; here neither stdin nor stdout is a terminal)
if wanted no-tty; then
    out=$(setsid "$BIN" --epochs 1 --train-size 1000 </dev/null 2>&1 | cat); rc=$?
    if [[ $rc -eq 0 && $out == *"done: 1 epochs"* ]]; then result no-tty 1 "headless: $(echo "$out" | head -1 | cut -c1-70)"
    else result no-tty 0 "exit $rc: $(echo "$out" | tail -2)"; fi
fi

# --- signals ------------------------------------------------------------------------------------
signal_dashboard() {  # name how(ctrl-c|TERM)
    pane_start 120 40
    local log="$WORK/$1.jsonl"
    pane_run "$BIN --train-size 5000 --epochs 100 --metrics-out $log$AFTER"
    wait_screen 'step [1-9]' 15
    sleep 1
    if [[ $2 == ctrl-c ]]; then tm send-keys -t f C-c; else kill -TERM "$(app_pid)"; fi
    if wait_screen 'EXIT=130' 10 && restored; then
        read -r ok bad last stopped <<<"$(record_state "$log")"
        if [[ $bad == 0 && $last == summary && $stopped == interrupted ]]; then
            result "$1" 1 "$(screen | grep -oE 'EXIT=[0-9]+'); terminal restored; record complete ($ok lines, ends with the summary)"
        else result "$1" 0 "record: $ok ok, $bad bad, last $last/$stopped"; fi
    else result "$1" 0 "not restored: $(screen | tail -3 | tr '\n' ' ')"; fi
}
wanted sigint-dashboard && signal_dashboard sigint-dashboard ctrl-c
wanted sigterm-dashboard && signal_dashboard sigterm-dashboard TERM

# The screens that are not training sessions: an experiment preset and a replay.
screen_sigint() {  # name command
    pane_start 120 40
    pane_run "$2$AFTER"
    wait_screen 'dlboard' 15; sleep 1
    tm send-keys -t f C-c
    if wait_screen 'EXIT=130' 10 && restored; then result "$1" 1 "Ctrl-C: exit 130, terminal restored"
    else result "$1" 0 "$(screen | tail -3 | tr '\n' ' ')"; fi
}
wanted sigint-preset && screen_sigint sigint-preset "$BIN preset optimizer-paths"
if wanted sigint-replay; then
    "$BIN" train --epochs 2 --train-size 2000 --metrics-out "$WORK/replay.jsonl" >/dev/null 2>&1
    screen_sigint sigint-replay "$BIN replay --speed 1 $WORK/replay.jsonl"
fi

signal_headless() {  # name signal
    local log="$WORK/$1.jsonl"
    "$BIN" train --epochs 100 --train-size 10000 --metrics-out "$log" >"$WORK/$1.out" 2>&1 &
    local pid=$!
    sleep 2; { kill "-$2" "$pid"; wait "$pid"; } 2>/dev/null; local rc=$?
    read -r ok bad last stopped <<<"$(record_state "$log")"
    if [[ $2 == KILL ]]; then
        replay=$("$BIN" replay --headless "$log" 2>"$WORK/err"); rrc=$?
        if [[ $rrc -eq 0 && $bad == 0 && $replay == *"steps recorded"* ]]; then
            result "$1" 1 "killed; record readable to its last flushed line ($ok lines$(grep -q torn "$WORK/err" && echo ', torn last line skipped'))"
        else result "$1" 0 "replay exit $rrc, $bad bad lines"; fi
    else
        if [[ $rc -eq 130 && $bad == 0 && $last == summary && $stopped == interrupted ]]; then
            result "$1" 1 "exit 130, record complete ($ok lines, summary 'interrupted')"
        else result "$1" 0 "exit $rc, record $ok/$bad last $last/$stopped"; fi
    fi
}
wanted sigint-headless && signal_headless sigint-headless INT
wanted sigterm-headless && signal_headless sigterm-headless TERM
wanted sigkill-headless && signal_headless sigkill-headless KILL
if wanted sigkill-dashboard; then
    pane_start 120 40
    log="$WORK/kill-dash.jsonl"
    pane_run "$BIN compare --optimizers sgd,adam --train-size 5000 --epochs 100 --metrics-out $log"
    wait_screen 'step [1-9]' 15; sleep 2.5
    kill -KILL "$(app_pid)"; sleep 0.5
    replay=$("$BIN" replay --headless "$log" 2>/dev/null); rrc=$?
    read -r ok bad last stopped <<<"$(record_state "$log")"
    if [[ $rrc -eq 0 && $bad == 0 && $(grep -c 'steps recorded' <<<"$replay") -eq 2 ]]; then
        result sigkill-dashboard 1 "record of both runs readable after kill -9 ($ok lines; the terminal needs 'reset', as after any kill -9)"
    else result sigkill-dashboard 0 "replay exit $rrc, $bad bad lines"; fi
fi

# --- key storm ----------------------------------------------------------------------------------
rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$1/status" 2>/dev/null; }
if wanted key-storm; then
    pane_start 160 48
    # If dlboard ever ends, the storm must not go on into the shell (Up, Enter would run it again).
    pane_run "$BIN compare --optimizers sgd,adam --train-size 5000 --epochs 100000 2>$WORK/storm.err$AFTER; exec sleep 100000"
    wait_screen 'step [1-9]' 20
    pid=$(app_pid)
    keys=(o O + = - i a b d '[' ']' w ' ' n r s l f e '?' y k c v x F P 1 z Z)
    special=(Tab BTab Left Right Up Down Escape Enter F1 Home End PageUp BSpace)
    start=$SECONDS; sent=0; rss_min1=""; peak=0
    while ((SECONDS - start < STORM_SECONDS)); do
        for _ in $(seq 20); do
            if ((RANDOM % 4 == 0)); then tm send-keys -t f "${special[RANDOM % ${#special[@]}]}"
            elif ((RANDOM % 40 == 0)); then tm send-keys -t f q n   # the quit key, answered "no"
            else tm send-keys -t f -l "${keys[RANDOM % ${#keys[@]}]}"; fi
            sent=$((sent + 1))
        done
        r=$(rss "$pid"); [[ -z $r ]] && break  # it ended: reported below
        ((r > peak)) && peak=$r
        [[ -z $rss_min1 && $((SECONDS - start)) -ge 60 ]] && rss_min1=$r
    done
    rss_end=$(rss "$pid"); rss_min1=${rss_min1:-$rss_end}
    sleep 2  # let the last keys drain
    tm send-keys -t f Escape; sleep 0.3; tm send-keys -t f q; sleep 0.3
    tm send-keys -t f q
    if [[ -n $rss_end ]] && wait_screen 'EXIT=0' 15 && ((rss_end < 2 * rss_min1 + 100)) && restored; then
        result key-storm 1 "$sent keys in $((SECONDS - start)) s; RSS ${rss_min1} MB after 1 min, ${rss_end} MB at the end (peak ${peak}); q q exit 0"
    else cp "$WORK/storm.err" /tmp/dlboard-storm-stderr.txt 2>/dev/null
        result key-storm 0 "(stderr kept in /tmp/dlboard-storm-stderr.txt) $sent keys in $((SECONDS - start)) s; alive=${rss_end:+yes} $(screen | grep -oE 'EXIT=[0-9]+') $(tail -c 300 "$WORK/storm.err" 2>/dev/null | tr '\n' ' ') RSS ${rss_min1}→${rss_end} MB"; fi
fi

# --- records ---
# A record is untrusted input; records and exports never land on what the user did not mean.
craft() {  # base.jsonl out.jsonl python-expression-on-lines: rewrites a record's JSON lines
    python3 - "$1" "$2" "$3" <<'EOF'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def first(t): return next(l for l in lines if l["type"] == t)
exec(sys.argv[3])
open(sys.argv[2], "w").write("".join((l if isinstance(l, str) else json.dumps(l)) + "\n" for l in lines))
EOF
}
record_base() {  # a small record to craft from, made once
    [[ -s $WORK/base.jsonl ]] || "$BIN" train --epochs 2 --train-size 2000 --metrics-out "$WORK/base.jsonl" >/dev/null 2>&1
}
if wanted replay-huge-numbers; then
    record_base
    craft "$WORK/base.jsonl" "$WORK/huge-step.jsonl" 'lines[3] = json.dumps(lines[3]).replace("\"step\": %d" % lines[3]["step"], "\"step\": 9223372036854775807")'
    craft "$WORK/base.jsonl" "$WORK/huge-epochs.jsonl" 'lines[0] = json.dumps(lines[0]).replace("\"epochs\": 2", "\"epochs\": 9223372036854775807")'
    pane_start 120 40
    pane_run "$BIN replay --speed 100 $WORK/huge-step.jsonl 2>$WORK/huge.err$AFTER"
    wait_screen 'end of record' 20; tm send-keys -t f q; sleep 0.3; tm send-keys -t f q   # q asks first, q quits
    ok1=0; wait_screen 'EXIT=0' 10 && restored && grep -q 'out of range' "$WORK/huge.err" && ok1=1
    pane_start 120 40
    pane_run "$BIN replay --speed 100 $WORK/huge-epochs.jsonl 2>$WORK/huge2.err$AFTER"
    wait_screen 'STTY-42$' 20
    rc2=$(screen | grep -oE 'EXIT=[0-9]+' | tail -1)
    ok2=0; [[ $rc2 == EXIT=64 ]] && restored && [[ $(grep -c . "$WORK/huge2.err") -eq 1 ]] && grep -q 'epochs: must be at most 1000000, got 9223372036854775807' "$WORK/huge2.err" && ok2=1
    if [[ $ok1 == 1 && $ok2 == 1 ]]; then
        result replay-huge-numbers 1 "step Int.max: line skipped, played, q exit 0; epochs Int.max: $rc2, $(cat "$WORK/huge2.err" | cut -c1-90)…; terminal restored"
    else result replay-huge-numbers 0 "step case ok=$ok1 ($(head -c 200 "$WORK/huge.err")); epochs case $rc2 ok=$ok2 ($(head -c 200 "$WORK/huge2.err"))"; fi
fi
if wanted export-crafted-numbers; then
    record_base
    craft "$WORK/base.jsonl" "$WORK/c1.jsonl" 'h = first("hist"); h["zero_frac"] = 1e300; h["excludes_zeros"] = True'
    craft "$WORK/base.jsonl" "$WORK/c2.jsonl" 'h = first("hist"); lines[lines.index(h)] = json.dumps(h).replace("\"under\": %d" % h["under"], "\"under\": 9223372036854775000")'
    craft "$WORK/base.jsonl" "$WORK/c3.jsonl" 'h = first("hist"); lines[lines.index(h)] = json.dumps(h).replace("\"count\": %d" % h["count"], "\"count\": 9223372036854775807")'
    craft "$WORK/base.jsonl" "$WORK/c4.jsonl" 'c = first("config"); del c["created"]; c["t"] = 1e300'
    detail=""; good=1
    for c in c1 c2 c3; do
        "$BIN" export "$WORK/$c.jsonl" --tensorboard "$WORK/tb-$c" --csv "$WORK/$c.csv" >/dev/null 2>"$WORK/$c.err"; rc=$?
        [[ $rc -eq 0 ]] && grep -q 'out of range, the first at line' "$WORK/$c.err" || good=0
        detail+="$c exit $rc; "
    done
    "$BIN" export "$WORK/c4.jsonl" --tensorboard "$WORK/tb-c4" >/dev/null 2>"$WORK/c4.err"; rc=$?
    [[ $rc -ne 0 && $rc -lt 128 && $(grep -c . "$WORK/c4.err") -eq 1 ]] && grep -q '"t" is 1e+300' "$WORK/c4.err" || good=0
    if [[ $good == 1 ]]; then result export-crafted-numbers 1 "${detail}hist lines skipped with a warning; config t=1e300: exit $rc, one line"
    else result export-crafted-numbers 0 "$detail c4 exit $rc: $(cat "$WORK"/c*.err | head -c 400)"; fi
fi
if wanted save-same-second; then
    mkdir -p "$WORK/save"
    for round in 1 2; do
        for i in 1 2 3 4 5 6; do
            (cd "$WORK/save" && "$BIN" train --save --epochs 1 --train-size 200 >/dev/null 2>>"$WORK/save.err") &
        done
        wait
    done
    folders=$(ls "$WORK/save/runs" | wc -l); whole=0
    for f in "$WORK"/save/runs/*/metrics.jsonl; do
        read -r ok bad last _ <<<"$(record_state "$f")"
        [[ $bad == 0 && $last == summary && $(grep -c '"type":"config"' "$f") == 1 ]] && whole=$((whole + 1))
    done
    said=$(grep -c 'saving the run record in runs/' "$WORK/save.err")
    if [[ $folders == 12 && $whole == 12 && $said == 12 ]]; then
        result save-same-second 1 "12 runs 6 at a time: 12 folders, $(ls "$WORK/save/runs" | grep -cE -- '-train-[0-9]+$') of them with a -2… suffix (same second); every line parses, each said its folder"
    else result save-same-second 0 "$folders folders, $whole whole records, $said said"; fi
fi
if wanted closed-stderr; then
    "$BIN" --train-size 200 --epochs 1 --metrics-out "$WORK/closed.jsonl" >/dev/null 2>&-; rc=$?
    read -r ok bad last _ <<<"$(record_state "$WORK/closed.jsonl")"
    first=$(head -c 17 "$WORK/closed.jsonl")
    if [[ $rc -eq 0 && $bad == 0 && $first == '{"type":"config",' && $last == summary ]]; then
        result closed-stderr 1 "2>&-: exit 0, the record starts with its config ($ok lines, all parse)"
    else result closed-stderr 0 "exit $rc, first line: $(head -1 "$WORK/closed.jsonl" | head -c 100)"; fi
fi
if wanted export-onto-input; then
    record_base
    cp "$WORK/base.jsonl" "$WORK/self.jsonl"; ln -f "$WORK/self.jsonl" "$WORK/self-hard.csv"; ln -sf "$WORK/self.jsonl" "$WORK/self-link.csv"
    good=1; codes=""
    for out in "$WORK/self.jsonl" "$WORK/self-hard.csv" "$WORK/self-link.csv"; do
        "$BIN" export "$WORK/self.jsonl" --csv "$out" >/dev/null 2>"$WORK/self.err"; rc=$?; codes+="$rc "
        [[ $rc -ne 0 && $(grep -c . "$WORK/self.err") -eq 1 ]] && grep -q 'is the run record being exported' "$WORK/self.err" || good=0
    done
    if [[ $good == 1 ]] && cmp -s "$WORK/self.jsonl" "$WORK/base.jsonl"; then
        result export-onto-input 1 "same file, hard link, symlink: exits $codes— $(cat "$WORK/self.err" | cut -c1-60)…; record unchanged"
    else result export-onto-input 0 "exits $codes: $(cat "$WORK/self.err")"; fi
fi
if wanted export-onto-link-fifo-device; then
    record_base
    mkdir -p "$WORK/dest"; echo old >"$WORK/dest/real.csv"; ln -sf "$WORK/dest/real.csv" "$WORK/dest/link.csv"
    mkfifo "$WORK/dest/fifo.csv"; echo old >"$WORK/dest/private.csv"; chmod 600 "$WORK/dest/private.csv"
    "$BIN" export "$WORK/base.jsonl" --csv "$WORK/dest/link.csv" >/dev/null 2>&1; rl=$?
    link_ok=0; [[ $rl -eq 0 && -L $WORK/dest/link.csv && $(head -1 "$WORK/dest/real.csv") == run,* ]] && link_ok=1
    timeout 10 "$BIN" export "$WORK/base.jsonl" --csv "$WORK/dest/fifo.csv" >/dev/null 2>"$WORK/fifo.err"; rf=$?
    fifo_ok=0; [[ $rf -ne 0 && $rf -ne 124 && -p $WORK/dest/fifo.csv ]] && grep -q 'it is a FIFO' "$WORK/fifo.err" && fifo_ok=1
    "$BIN" export "$WORK/base.jsonl" --csv "$WORK/dest/private.csv" >/dev/null 2>&1; rp=$?
    mode_ok=0; [[ $rp -eq 0 && $(stat -c %a "$WORK/dest/private.csv") == 600 && $(head -1 "$WORK/dest/private.csv") == run,* ]] && mode_ok=1
    # The devices are copies made here (same major/minor as /dev/full and /dev/null): an export
    # that regressed would replace these, never the system's own (as root it did replace /dev/full).
    dev_ok=1; dev="not root: device case skipped"
    if [[ $(id -u) == 0 ]] && mknod "$WORK/dest/full" c 1 7 && mknod "$WORK/dest/null" c 1 3; then
        ln -sf "$WORK/dest/full" "$WORK/dest/to-full"
        "$BIN" export "$WORK/base.jsonl" --csv "$WORK/dest/to-full" >/dev/null 2>"$WORK/dev.err"; rd=$?
        "$BIN" export "$WORK/base.jsonl" --csv "$WORK/dest/null" >/dev/null 2>>"$WORK/dev.err"; rn=$?
        dev_ok=0; [[ $rd -ne 0 && $rn -ne 0 && -c $WORK/dest/full && -c $WORK/dest/null ]] && [[ $(grep -c 'a character device' "$WORK/dev.err") == 2 ]] && dev_ok=1
        dev="full (through a link) and null devices: refused (exit $rd, $rn), still character devices"
    fi
    if [[ $link_ok$fifo_ok$mode_ok$dev_ok == 1111 ]]; then
        result export-onto-link-fifo-device 1 "symlink: target written, link kept; FIFO: refused, still a FIFO; 0600 kept; $dev"
    else result export-onto-link-fifo-device 0 "link $link_ok (exit $rl) fifo $fifo_ok (exit $rf: $(cat "$WORK/fifo.err")) mode $mode_ok dev $dev_ok: $(cat "$WORK/dev.err" 2>/dev/null)"; fi
fi
if wanted replay-control-chars; then
    record_base
    craft "$WORK/base.jsonl" "$WORK/evil.jsonl" 'c = first("config"); c["title"] = "\x1b]0;pwned\x07\x1b[2J\x1bc"; c["dataset"] = "MN\x9b2JIST\x1b]52;c;aGk=\x07"; lines.append({"type": "event", "step": 3, "t": 9, "kind": "lr", "what": "\x1b[31mred\x1b[0m\x9b2J\x7f"})'
    "$BIN" replay --headless "$WORK/evil.jsonl" >"$WORK/evil.out" 2>"$WORK/evil.err"; rc=$?
    controls=$(python3 -c 'import sys; t = open(sys.argv[1], encoding="utf-8").read(); print(sum(1 for ch in t if ch != "\n" and (ord(ch) < 32 or 127 <= ord(ch) <= 159)))' "$WORK/evil.out")
    if [[ $rc -eq 0 && $controls == 0 ]] && grep -qF '^[]0;pwned^G^[[2J^[c' "$WORK/evil.out" && grep -qF '^[[31mred^[[0m\u{9B}2J^?' "$WORK/evil.out"; then
        result replay-control-chars 1 "exit 0, no control character in the output: $(grep -F pwned "$WORK/evil.out" | cut -c1-70)…"
    else result replay-control-chars 0 "exit $rc, $controls control characters"; fi
fi
if wanted metrics-out-onto-data; then
    mkdir -p "$WORK/data-as-log"; cp assets/mnist/*.gz "$WORK/data-as-log/"
    target="$WORK/data-as-log/train-labels-idx1-ubyte.gz"; ln -sf "$target" "$WORK/data-link.jsonl"
    good=1; codes=""
    for out in "$target" "$WORK/data-link.jsonl"; do
        out2=$("$BIN" train --data "$WORK/data-as-log" --epochs 1 --metrics-out "$out" 2>"$WORK/dl.err"); rc=$?; codes+="$rc "
        [[ $rc -ne 0 && $out2 != *epoch* && $(grep -c . "$WORK/dl.err") -eq 1 ]] && grep -q 'is not a run record' "$WORK/dl.err" || good=0
    done
    if [[ $good == 1 ]] && cmp -s "$target" assets/mnist/train-labels-idx1-ubyte.gz; then
        result metrics-out-onto-data 1 "the file and a link to it: exits $codes— refused before training, data unchanged"
    else result metrics-out-onto-data 0 "exits $codes: $(cat "$WORK/dl.err")"; fi
fi

# --- data loading and configuration limits ----------------------------------------
# Writes an MNIST-format folder of uncompressed files: folder train-count test-count side [test-side].
idx_folder() {
    python3 - "$@" <<'EOF'
import os, struct, sys
d, n, m, side = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
tside = int(sys.argv[5]) if len(sys.argv) > 5 else side
os.makedirs(d, exist_ok=True)
def images(k, s): return struct.pack(">IIII", 0x803, k, s, s) + bytes((i * 7 + j) % 256 for i in range(k) for j in range(s * s))
def labels(k): return struct.pack(">II", 0x801, k) + bytes(i % 10 for i in range(k))
for name, data in [("train-images-idx3-ubyte", images(n, side)), ("train-labels-idx1-ubyte", labels(n)),
                   ("t10k-images-idx3-ubyte", images(m, tside)), ("t10k-labels-idx1-ubyte", labels(m))]:
    open(os.path.join(d, name), "wb").write(data)
EOF
}
# One stderr line naming $2, exit != 0, no training output: name "expected" command...
one_line_error() {
    local name=$1 want=$2; shift 2
    local out rc err lines
    out=$("$@" 2>"$WORK/err"); rc=$?
    err=$(cat "$WORK/err"); lines=$(grep -c . "$WORK/err")
    if [[ $rc -ne 0 && $rc -lt 128 && $lines -eq 1 && $err == "dlboard: error: "*"$want"* && $out != *epoch* ]]; then echo "exit $rc"
    else echo "FAIL exit $rc, $lines stderr line(s): $(head -c 300 "$WORK/err")"; return 1; fi
}
# The dashboard in tmux refuses the command line before curses starts: the error on the normal
# screen, exit != 0, the terminal as it was. Sets REFUSED to what it saw; status 0 when all of
# that held. (Not in a $(…) subshell: pane_start counts its tmux servers in PANES.)
dashboard_refuses() {  # expected-text dashboard-arguments
    pane_start 120 30
    pane_run "$BIN $2$AFTER"
    wait_screen 'EXIT=[0-9]+' 30 || { REFUSED="no exit: $(screen | tail -3 | tr '\n' ' ')"; return 1; }
    local code; code=$(screen | grep -oE 'EXIT=[0-9]+' | tail -1 | cut -d= -f2)
    if [[ $code -ne 0 && $code -lt 128 ]] && screen | grep -qF "dlboard: error: $1" && restored; then
        REFUSED="dashboard exit $code, error on the normal screen, terminal restored"
    else REFUSED="dashboard exit $code: $(screen | grep -F dlboard | tail -2 | tr '\n' ' ')"; return 1; fi
}
# Sets PEAK (peak RSS in MB) and PEAK_RC of a command; its output goes to $WORK/out, $WORK/err.
peak_rss() {
    if [[ -x /usr/bin/time ]]; then
        /usr/bin/time -f '%M' -o "$WORK/time" "$@" >"$WORK/out" 2>"$WORK/err"; PEAK_RC=$?
        PEAK=$(( $(tail -1 "$WORK/time") / 1024 ))
    else
        "$@" >"$WORK/out" 2>"$WORK/err" & local pid=$! r
        PEAK=0
        while kill -0 "$pid" 2>/dev/null; do r=$(rss "$pid"); [[ -n $r && $r -gt $PEAK ]] && PEAK=$r; sleep 0.02; done
        wait "$pid"; PEAK_RC=$?
    fi
}

if wanted empty-train-split; then
    # --validation keeps >= 1 image: with 1 image nothing was left to train on (a trap in BatchSampler).
    want="leaves none to train on"; ok=1; seen=""
    for cmd in "train --epochs 1" "compare --optimizers sgd,adam --headless"; do
        r=$(one_line_error empty-train-split "$want" "$BIN" $cmd --train-size 1 --validation 0.5) || ok=0
        seen+="${cmd%% *}: $r; "
    done
    r=$(one_line_error empty-train-split "$want" "$BIN" preset random-search --train-size 1 --headless) || ok=0
    seen+="preset random-search: $r; "
    dashboard_refuses "a validation split of 1 training image leaves none" "--train-size 1 --validation 0.5" || ok=0
    result empty-train-split $ok "$seen$REFUSED"
fi
if wanted odd-image-size; then
    idx_folder "$WORK/odd10" 300 50 10
    idx_folder "$WORK/odd-mixed" 300 50 10 12
    ok=1
    out=$("$BIN" train --data "$WORK/odd10" --epochs 1 --batch 50 2>&1); rc=$?
    [[ $rc -eq 0 && $out == *"network 100-100-100-100-100-10"* && $out == *"done: 1 epochs"* ]] || ok=0
    seen="train exit $rc ($(grep -oE 'network [0-9-]+' <<<"$out"))"
    out=$("$BIN" bench --data "$WORK/odd10" --steps 5 --warmup 1 --repeats 1 --threads 1 --optimizers sgd --no-variants --no-frames 2>&1); rc=$?
    [[ $rc -eq 0 && $out == *"100-100-100-100-100-100-10"* ]] || ok=0
    seen+="; bench exit $rc"
    r=$(one_line_error odd-image-size "has 10×10 images but $WORK/odd-mixed/t10k-images-idx3-ubyte has 12×12" "$BIN" train --data "$WORK/odd-mixed") || ok=0
    seen+="; train 10×10 / test 12×12: $r"
    pane_start 120 30
    pane_run "$BIN --data $WORK/odd10 --batch 50$AFTER"
    if wait_screen '100-100-100-100-100-10' 20 && wait_screen 'step [1-9]' 20; then
        tm send-keys -t f q; sleep 0.3; tm send-keys -t f q
        if wait_screen 'EXIT=0' 10 && restored; then seen+="; dashboard trains 100-…-10, q q exit 0, restored"
        else ok=0; seen+="; dashboard did not quit cleanly: $(screen | tail -2 | tr '\n' ' ')"; fi
    else ok=0; seen+="; dashboard: $(screen | grep -E 'dlboard|EXIT' | head -2 | tr '\n' ' ')"; fi
    result odd-image-size $ok "$seen"
fi
if wanted overflowing-header; then
    # 0xFFFFFFFF × 0xFFFFFFFF × 0xFFFFFFFF in a 16-byte file: it trapped multiplying the sizes.
    mkdir -p "$WORK/overflow"; cp assets/mnist/*.gz "$WORK/overflow/"; rm "$WORK/overflow/train-images-idx3-ubyte.gz"
    printf '\x00\x00\x08\x03\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff' >"$WORK/overflow/train-images-idx3-ubyte"
    if r=$(one_line_error overflowing-header "train-images-idx3-ubyte: header declares 4294967295×4294967295×4294967295 bytes" "$BIN" train --data "$WORK/overflow"); then
        result overflowing-header 1 "$r: $(cut -c1-150 "$WORK/err")"
    else result overflowing-header 0 "$r"; fi
fi
if wanted gzip-bomb; then
    # A header declaring MNIST's 60000×28×28 (47 MB), then 4.1 GB of zeros: 41 gzip members of
    # 100 MB each (~100 KB apiece, 4 MB in all), which gzread reads as one stream — the size that
    # ended in "failed to allocate". /dev/zero as a data file too.
    mkdir -p "$WORK/bomb" "$WORK/zero"; cp assets/mnist/*.gz "$WORK/bomb/"; cp assets/mnist/*.gz "$WORK/zero/"
    head -c 100000000 /dev/zero | gzip -9 >"$WORK/zeros.gz"
    { printf '\x00\x00\x08\x03\x00\x00\xea\x60\x00\x00\x00\x1c\x00\x00\x00\x1c' | gzip; for _ in $(seq 41); do cat "$WORK/zeros.gz"; done; } >"$WORK/bomb/train-images-idx3-ubyte.gz"
    inflated=$(gzip -dc "$WORK/bomb/train-images-idx3-ubyte.gz" | wc -c)
    size=$(stat -c %s "$WORK/bomb/train-images-idx3-ubyte.gz")
    peak_rss "$BIN" train --data "$WORK/bomb" --epochs 1; peak=$PEAK rc=$PEAK_RC; err=$(cat "$WORK/err")
    rm "$WORK/zero/t10k-images-idx3-ubyte.gz"; ln -s /dev/zero "$WORK/zero/t10k-images-idx3-ubyte"
    peak_rss timeout 60 "$BIN" train --data "$WORK/zero" --epochs 1; zpeak=$PEAK zrc=$PEAK_RC; zerr=$(cat "$WORK/err")
    if [[ $rc -ne 0 && $rc -lt 128 && $err == *"more data than the header's 60000×28×28"* && $peak -lt 300 && $inflated -ge 4000000000 \
          && $zrc -ne 0 && $zrc -lt 124 && $zerr == *"t10k-images-idx3-ubyte: wrong magic number"* && $zpeak -lt 300 ]]; then
        result gzip-bomb 1 "$((size / 1000)) KB inflating to $((inflated / 1000000)) MB: exit $rc, peak RSS $peak MB; /dev/zero: exit $zrc, peak $zpeak MB"
    else result gzip-bomb 0 "bomb $size B → $inflated B: exit $rc, peak $peak MB: $err / /dev/zero exit $zrc, peak $zpeak MB: $zerr"; fi
fi
if wanted huge-batch-hidden; then
    ok=1; seen=""
    r=$(one_line_error huge-batch-hidden "this configuration needs about" "$BIN" train --hidden 10000000) || ok=0
    seen+="train --hidden 1e7: $r ($(grep -oE 'about [0-9.]+ [GTP]B' "$WORK/err")); "
    r=$(one_line_error huge-batch-hidden "these 4 runs need about" "$BIN" compare --lrs 0.1,0.01,0.001,0.0001 --hidden 20000,20000 --headless) || ok=0
    seen+="compare 4×20000²: $r; "
    out=$("$BIN" train --batch 10000000 --train-size 300 --hidden 10 --epochs 1 2>"$WORK/err"); rc=$?
    if [[ $rc -eq 0 && $(cat "$WORK/err") == "dlboard: batch 10000000 is more than the 300 training images; each batch takes 300" && $out == *"batch 300 · 1 steps/epoch"* ]]; then
        seen+="--batch 1e7 on 300 images: clamped to 300, exit 0; "
    else ok=0; seen+="--batch 1e7: exit $rc $(cat "$WORK/err"); "; fi
    dashboard_refuses "this configuration needs about" "--hidden 10000000" || ok=0
    seen+="$REFUSED"
    dashboard_refuses "this configuration needs about" "--batch 10000000 --hidden 100000" || ok=0
    result huge-batch-hidden $ok "$seen; --batch 1e7 --hidden 1e5: $REFUSED"
fi

# --- colour and locale ---
# What capture-pane -e shows: the distinct colour SGRs (fore- and background, not 39/49 = default),
# then the foreground of the accuracy legend's "● train" and "● test" dots, of the first "healthy"
# verdict and of the "⚠ log stopped" warning (- when absent).
pane_colours() {
    tm capture-pane -e -p -t f > "$WORK/styled.txt"
    python3 - "$WORK/styled.txt" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
colours, fg, cells = set(), None, []   # cells: (character, foreground), row by row
for part in re.split(r"(\x1b\[[0-9;]*m)", text):
    if not part.startswith("\x1b["):
        cells += [(c, fg) for c in part]; continue
    ps = [int(p or 0) for p in part[2:-1].split(";")]
    while ps:
        p = ps.pop(0)
        if p in (0, 39): fg = None
        elif 30 <= p <= 37 or 90 <= p <= 97: fg = str(p); colours.add(fg)
        elif 40 <= p <= 47 or 100 <= p <= 107: colours.add(str(p))
        elif p in (38, 48):
            n = 2 if ps[:1] == [5] else 4 if ps[:1] == [2] else 0
            code = ";".join(map(str, [p] + ps[:n])); ps = ps[n:]; colours.add(code)
            if p == 38: fg = code
line = "".join(c for c, _ in cells)
def dot(label):
    i = line.find("● " + label)
    return (cells[i][1] or "default") if i >= 0 else "-"
def fg(text):
    i = line.find(text)
    return (cells[i][1] or "default") if i >= 0 else "-"
print(",".join(sorted(colours)) or "none", dot("train"), dot("test"), fg("healthy"), fg("⚠ log stopped"))
EOF
}
colour_run() {  # environment [options]: the dashboard after its first epochs; sets COLOURS (pane_colours [not-restored])
    pane_start 120 40   # not in a subshell: pane_start counts the tmux servers in PANES
    pane_run "env $1 $BIN --train-size 3000 --hidden 50,50 --epochs 50 ${2:-}$AFTER"
    wait_screen 'accuracy 0\.' 20 && sleep 1
    COLOURS=$(pane_colours)
    tm send-keys -t f q; sleep 0.2; tm send-keys -t f q
    wait_screen 'EXIT=0' 10 && restored || COLOURS+=" not-restored"
}
if wanted colour; then
    # The 256-colour run also writes its record to /dev/full, for the red "log stopped" warning.
    colour_run TERM=xterm-256color "--metrics-out /dev/full"; read -r c256 tr256 te256 ok256 warn256 rest256 <<< "$COLOURS"
    colour_run TERM=xterm; read -r c8 tr8 te8 ok8 _ rest8 <<< "$COLOURS"
    colour_run NO_COLOR=1; read -r cno _ _ _ _ restno <<< "$COLOURS"
    ok=1
    [[ $c256 == *"38;5;"* && $tr256 != - && $te256 != - && $tr256 != default && $tr256 != "$te256" && -z $rest256 ]] || ok=0
    [[ $ok256 == 32 && $warn256 == 31 ]] || ok=0
    [[ $c8 != none && ! $c8 =~ (^|,)(38|9[0-7]) && $tr8 != default && $tr8 != "$te8" && $ok8 == 32 && -z $rest8 ]] || ok=0
    [[ $cno == none && -z $restno ]] || ok=0
    result colour $ok "256: train $tr256 test $te256, healthy $ok256, log warning $warn256 (all: $c256) · xterm: train $tr8 test $te8 ($c8) · NO_COLOR=1: $cno ${rest256}${rest8}${restno}"
fi
if wanted comma-locale; then
    have_de() { locale -a 2>/dev/null | grep -qixE 'de_DE\.utf-?8'; }
    have_de || localedef -i de_DE -f UTF-8 de_DE.UTF-8 2>/dev/null
    if ! have_de; then
        printf 'SKIP  %-28s %s\n' comma-locale "de_DE.UTF-8 cannot be made (apt-get install locales; localedef -i de_DE -f UTF-8 de_DE.UTF-8)"
    else
        pane_start 120 40
        pane_run "env LANG=de_DE.UTF-8 LC_ALL=de_DE.UTF-8 $BIN --train-size 3000 --hidden 50,50 --epochs 50 --metrics-out $WORK/de.jsonl$AFTER"
        wait_screen 'accuracy 0[.,]' 20 && sleep 1
        shown=$(screen | grep -oE '(loss|accuracy) [0-9]+[.,][0-9]+' | tr '\n' ' ')
        commas=$(screen | grep -cE '[0-9],[0-9]')
        tm send-keys -t f q; sleep 0.2; tm send-keys -t f q
        if wait_screen 'EXIT=0' 10 && restored; then back=1; else back=0; fi
        read -r good bad last _ <<< "$(record_state "$WORK/de.jsonl")"
        if [[ $back == 1 && $commas == 0 && $bad == 0 && $last == summary && ${good:-0} -gt 3 ]]; then
            result comma-locale 1 "de_DE.UTF-8: screen shows ${shown}; all $good record lines are JSON, the last a summary"
        else result comma-locale 0 "restored=$back, screen lines with a decimal comma: $commas (${shown}); record: $good good, $bad bad, last ${last:-none}"; fi
    fi
fi

# --- stop signals and closed output ---
# SIGHUP twice: sent to dlboard (the shell survives to show the status), and as it comes when the
# terminal closes (tmux kill-session: the pane's terminal is gone, writes to it fail).
if wanted sighup-dashboard; then
    pane_start 120 40
    log="$WORK/hup-dash.jsonl"
    pane_run "$BIN --train-size 5000 --epochs 100 --metrics-out $log$AFTER"
    wait_screen 'step [1-9]' 15; sleep 1
    kill -HUP "$(app_pid)"
    if wait_screen 'EXIT=130' 10 && restored; then
        read -r ok bad last stopped <<<"$(record_state "$log")"
        pane_start 120 40
        log2="$WORK/hup-kill-session.jsonl"
        pane_run "$BIN compare --optimizers sgd,adam --train-size 5000 --epochs 100 --metrics-out $log2 2>$WORK/hup.err"
        wait_screen 'step [1-9]' 15; sleep 1
        pid=$(app_pid)
        tm kill-server
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        read -r ok2 bad2 last2 stopped2 <<<"$(record_state "$log2")"
        if kill -0 "$pid" 2>/dev/null; then result sighup-dashboard 0 "still running 10 s after its terminal closed"; kill -KILL "$pid"
        elif [[ $bad == 0 && $last == summary && $stopped == interrupted && $bad2 == 0 && $last2 == summary && $stopped2 == interrupted ]] \
            && ! grep -qiE 'fatal|crash|backtrace' "$WORK/hup.err"; then
            result sighup-dashboard 1 "kill -HUP: exit 130, terminal restored, record ends with the summary ($ok lines); terminal closed: ended, record complete ($ok2 lines), no crash"
        else result sighup-dashboard 0 "records: $ok/$bad $last/$stopped and $ok2/$bad2 $last2/$stopped2; stderr: $(head -c 200 "$WORK/hup.err")"; fi
    else result sighup-dashboard 0 "kill -HUP: $(screen | tail -3 | tr '\n' ' ')"; fi
fi
wanted sighup-headless && signal_headless sighup-headless HUP
# Under nohup (SIGHUP ignored from the start) a closing terminal must not stop the run.
if wanted sighup-nohup; then
    log="$WORK/nohup.jsonl"
    nohup "$BIN" train --epochs 100 --train-size 10000 --metrics-out "$log" >"$WORK/nohup.out" 2>&1 &
    pid=$!
    sleep 2; kill -HUP "$pid"; sleep 1
    alive=0; kill -0 "$pid" 2>/dev/null && alive=1
    { kill -TERM "$pid"; wait "$pid"; } 2>/dev/null; rc=$?
    read -r ok bad last stopped <<<"$(record_state "$log")"
    if [[ $alive == 1 && $rc == 130 && $bad == 0 && $last == summary ]]; then
        result sighup-nohup 1 "nohup: SIGHUP ignored, training went on; SIGTERM then stopped it (exit 130, record complete)"
    else result sighup-nohup 0 "alive after HUP: $alive, exit $rc, record $ok/$bad last $last"; fi
fi

# stdout closed under a running session (`| head -1`): the run stops cleanly, exit 141, and the
# record still gets every line and its summary; stderr into the same closed pipe must not trap.
sigpipe_case() {  # log command...
    local log=$1; shift
    "$@" --metrics-out "$log" 2>&1 | head -1 >/dev/null
    local rc=${PIPESTATUS[0]}
    read -r ok bad last stopped <<<"$(record_state "$log")"
    [[ $rc == 141 && $bad == 0 && $last == summary && $stopped == "stdout closed" ]] && return 0
    echo "$(basename "$log" .jsonl): exit $rc, record $ok/$bad last $last/$stopped; "
    return 1
}
if wanted sigpipe; then
    problems=""
    problems+=$(sigpipe_case "$WORK/pipe-train.jsonl" "$BIN" train --epochs 2 --train-size 2000)
    problems+=$(sigpipe_case "$WORK/pipe-dashboard.jsonl" "$BIN" --epochs 20 --train-size 2000)
    problems+=$(sigpipe_case "$WORK/pipe-compare.jsonl" "$BIN" compare --optimizers sgd,adam --epochs 20 --train-size 2000 --headless)
    problems+=$(sigpipe_case "$WORK/pipe-preset.jsonl" "$BIN" preset optimizer-race --steps 2000 --train-size 2000 --headless)
    if [[ -z $problems ]]; then
        result sigpipe 1 "train, dashboard fallback, compare and preset --headless | head -1: exit 141, records end with summary 'stdout closed'"
    else result sigpipe 0 "$problems"; fi
fi

if wanted sigquit-dashboard; then
    pane_start 120 40
    log="$WORK/quit-dash.jsonl"
    pane_run "$BIN --train-size 5000 --epochs 100 --metrics-out $log$AFTER"
    wait_screen 'step [1-9]' 15; sleep 1
    tm send-keys -t f 'C-\'
    if wait_screen 'EXIT=130' 10 && restored && ! screen | grep -qiE 'crash|backtrace|fatal|core dumped'; then
        read -r ok bad last stopped <<<"$(record_state "$log")"
        if [[ $bad == 0 && $last == summary && $stopped == interrupted ]]; then
            result sigquit-dashboard 1 "Ctrl-\\: exit 130, terminal restored, no crash report, record complete ($ok lines)"
        else result sigquit-dashboard 0 "record: $ok ok, $bad bad, last $last/$stopped"; fi
    else result sigquit-dashboard 0 "$(screen | tail -4 | tr '\n' ' ')"; fi
fi

# Esc closes popups only; q asks first, on the experiment screens as on the dashboard.
if wanted esc-consistent; then
    problems=""
    for preset in optimizer-paths activation-histograms; do
        pane_start 120 40
        pane_run "$BIN preset $preset$AFTER"
        wait_screen 'q quit' 15; sleep 0.5
        tm send-keys -t f Escape; sleep 1
        screen | grep -q 'EXIT=' && { problems+="$preset: Esc quit; "; continue; }
        tm send-keys -t f q
        wait_screen 'Quit dlboard\?' 5 || { problems+="$preset: q did not ask; "; continue; }
        tm send-keys -t f Escape; sleep 1
        screen | grep -qE 'Quit dlboard\?|EXIT=' && { problems+="$preset: Esc did not just close the popup; "; continue; }
        tm send-keys -t f q; wait_screen 'Quit dlboard\?' 5; tm send-keys -t f q
        wait_screen 'EXIT=0' 10 && restored || problems+="$preset: q q did not quit cleanly; "
    done
    if [[ -z $problems ]]; then result esc-consistent 1 "optimizer-paths, activation-histograms: Esc does not quit, q asks, Esc cancels, q q exits 0"
    else result esc-consistent 0 "$problems"; fi
fi

echo "$PASSED passed, $FAILED failed"
exit "$FAILED"
