#!/usr/bin/env bash
# Runs dlboard (the release binary) into every fault of issue 7 and prints one line per case,
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

# --- issue 11: signals ---
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
