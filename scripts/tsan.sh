#!/usr/bin/env bash
# The test suite under ThreadSanitizer (separate build folder). The end-to-end tests run the
# TSan-built binary too, which inherits the options. See tsan-suppressions.txt for the one
# suppression and why.
set -euo pipefail
cd "$(dirname "$0")/.."
# Tests marked .longTraining (a minute of single-threaded training each) run in the plain suite only.
export DLBOARD_SANITIZED_SUITE=1
export TSAN_OPTIONS="suppressions=$PWD/scripts/tsan-suppressions.txt halt_on_error=0 ${TSAN_OPTIONS:-}"
swift test --sanitize=thread --scratch-path .build-tsan "$@"
