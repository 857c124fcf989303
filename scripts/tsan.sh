#!/usr/bin/env bash
# The test suite under ThreadSanitizer (separate build folder). The end-to-end tests run the
# TSan-built binary too, which inherits the options. See tsan-suppressions.txt for the one
# suppression and why.
set -euo pipefail
cd "$(dirname "$0")/.."
# Tests marked .longTraining (a minute of single-threaded training each) run in the plain suite only.
export DLBOARD_SANITIZED_SUITE=1
export TSAN_OPTIONS="suppressions=$PWD/scripts/tsan-suppressions.txt halt_on_error=0 ${TSAN_OPTIONS:-}"
# By default only the app's suites: NN and TUI start no thread and hold no shared mutable state
# (Swift 6's data-race checking compiles them; a global var would not build), so under TSan they
# only cost time (their numeric loops run ~10x slower instrumented) while every thread dlboard
# starts — sessions, searches, watch, the screen loop, the end-to-end binaries — is in DLBoardTests.
# Arguments replace the default, e.g. `scripts/tsan.sh --filter CheckpointTests`.
if [ $# -eq 0 ]; then set -- --filter DLBoardTests; fi
swift test --sanitize=thread --scratch-path .build-tsan "$@"
