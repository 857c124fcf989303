#!/usr/bin/env bash
# Fuzzes the two parsers that read files from anywhere — the IDX reader (NN/Data/IDXFile) and the
# run-record reader (dlboard/Logging/RunRecordReader, decoding dlboard/Logging/Schema) — with
# libFuzzer and AddressSanitizer, each for a given time, starting from the seed corpus in
# Tests/Fuzz/corpus. Prints one line per target (executions, coverage, crashes) and exits non-zero
# when a target crashed (the input that did it is kept in .build-fuzz/artifacts and its path printed).
#
#   scripts/fuzz.sh              # 60 s per target
#   scripts/fuzz.sh 600          # 10 minutes per target
#   scripts/fuzz.sh 60 records   # one target
#
# The harnesses are built outside SwiftPM (swiftc -sanitize=fuzzer, the engine compiled as a static
# module) because a fuzzer's main comes from libFuzzer and the record reader lives in the app's
# executable target; everything goes to .build-fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECONDS_EACH=${1:-60}
shift || true
TARGETS=("$@")
[[ ${#TARGETS[@]} -eq 0 ]] && TARGETS=(idx records)
[[ $SECONDS_EACH =~ ^[0-9]+$ ]] || { echo "fuzz.sh: SECONDS must be a whole number, got '$SECONDS_EACH'" >&2; exit 2; }
OUT=$ROOT/.build-fuzz
mkdir -p "$OUT/ckmod" "$OUT/artifacts"
SAN=(-sanitize=fuzzer,address)
INC=(-I "$ROOT/Sources/CBLAS" -I "$ROOT/Sources/CZlib" -I "$OUT/ckmod" -I "$OUT")

build() {
    # CKernels has no module map of its own (SwiftPM writes one); the same, by hand.
    printf 'module CKernels {\n  header "%s"\n  export *\n}\n' "$ROOT/Sources/CKernels/include/CKernels.h" > "$OUT/ckmod/module.modulemap"
    # Every C file of the target (the element-wise kernels and the statistics' reductions).
    KERNELS=()
    for c in "$ROOT"/Sources/CKernels/*.c; do
        local o=$OUT/ckernels-$(basename "$c" .c).o
        clang -c -O1 -fsanitize=fuzzer-no-link,address -I "$ROOT/Sources/CKernels/include" -I "$ROOT/Sources/CKernels" \
            "$c" -o "$o"
        KERNELS+=("$o")
    done
    # The whole engine, instrumented: the IDX reader is in it, and the record reader uses its types.
    (cd "$OUT" && swiftc -O "${SAN[@]}" -parse-as-library -emit-library -static -emit-module -module-name NN \
        "${INC[@]}" $(find "$ROOT/Sources/NN" -name '*.swift' | sort) -o libNN.a 2>&1 | grep -v 'warning:' || true)
    [[ -f $OUT/libNN.a ]] || { echo "fuzz.sh: building the engine failed" >&2; exit 1; }
    local d=$ROOT/Sources/dlboard
    link idx "$ROOT/Tests/Fuzz/IDXFuzz.swift"
    link records "$ROOT/Tests/Fuzz/RecordsFuzz.swift" $(record_sources "$d")
}

# The app files the record reader and the exporters need (the reader fills the session's value types).
record_sources() {
    echo "$1/Logging/RunRecord.swift" "$1/Logging/RunRecordReader.swift" "$1"/Logging/Schema/*.swift \
        "$1/Logging/RecordText.swift" "$1/Logging/Folders.swift" \
        "$1/Session/SessionOutput.swift" "$1/Support/Console.swift" "$1/Session/StopSignal.swift" "$1"/Export/*.swift
}

link() {  # name sources…
    local name=$1; shift
    rm -f "$OUT/fuzz-$name"
    swiftc -O "${SAN[@]}" -parse-as-library -module-name "Fuzz_$name" "${INC[@]}" "$@" \
        "$OUT/libNN.a" "${KERNELS[@]}" -lopenblas -lz -o "$OUT/fuzz-$name" 2>&1 \
        | grep -vE 'warning: Cannot export|^$' || true
    [[ -x $OUT/fuzz-$name ]] || { echo "fuzz.sh: building fuzz-$name failed" >&2; exit 1; }
}

run() {  # name
    local name=$1 corpus=$OUT/corpus-$1 log=$OUT/fuzz-$1.log
    mkdir -p "$corpus"
    cp -n "$ROOT/Tests/Fuzz/corpus/$name/"* "$corpus/" 2>/dev/null || true
    local dict=()
    [[ -f $ROOT/Tests/Fuzz/$name.dict ]] && dict=(-dict="$ROOT/Tests/Fuzz/$name.dict")
    # malloc_limit: one allocation above 1 GB is a failure — the readers must stay bounded by the
    # data really there, whatever a header claims. Inputs up to 64 KB (gzip bombs fit in that).
    local status=0
    # The Swift runtime's backtracer would catch the trap first (and trip ASan in its own memory
    # server); libFuzzer's handler reports it and keeps the input.
    SWIFT_BACKTRACE=enable=no "$OUT/fuzz-$name" "$corpus" "${dict[@]}" -max_total_time="$SECONDS_EACH" -max_len=65536 \
        -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 -print_final_stats=1 \
        -artifact_prefix="$OUT/artifacts/$name-" >"$log" 2>&1 || status=$?
    local execs cov ft speed
    execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
    speed=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
    ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
    local units; units=$(ls "$corpus" | wc -l)
    if [[ $status -eq 0 ]]; then
        printf '%-8s %s s: %s executions (%s/s), coverage %s edges / %s features, corpus %s, 0 crashes\n' \
            "$name" "$SECONDS_EACH" "$execs" "$speed" "$cov" "$ft" "$units"
    else
        printf '%-8s CRASH after %s executions (exit %s): %s\n' "$name" "$execs" "$status" \
            "$(grep -oE 'Test unit written to .*' "$log" | tail -1)"
        grep -E '^(==[0-9]+==ERROR|SUMMARY|Fatal error|.*error:)' "$log" | head -5 | sed 's/^/    /'
        return 1
    fi
}

for t in "${TARGETS[@]}"; do
    case $t in idx|records) ;; *) echo "fuzz.sh: unknown target '$t' (idx, records)" >&2; exit 2 ;; esac
done
build
# The targets at once, each in its own process on its own core (libFuzzer runs one thread): each
# gets its full SECONDS of fuzzing, in the wall time of one. With fewer cores than targets they take
# turns, one a core. Their lines come out in the order asked, whichever finishes first.
CORES=$(nproc 2>/dev/null || echo 1)
FAILED=0
PIDS=()
WAITED=0
for i in "${!TARGETS[@]}"; do
    if ((i - WAITED >= CORES)); then
        wait "${PIDS[WAITED]}" || FAILED=1
        WAITED=$((WAITED + 1))
    fi
    run "${TARGETS[i]}" >"$OUT/summary-${TARGETS[i]}" &
    PIDS+=($!)
done
for ((i = WAITED; i < ${#PIDS[@]}; i++)); do
    wait "${PIDS[i]}" || FAILED=1
done
for t in "${TARGETS[@]}"; do cat "$OUT/summary-$t"; done
exit $FAILED
