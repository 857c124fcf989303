#!/usr/bin/env bash
# The test suite under ThreadSanitizer (separate build folder). The end-to-end tests run the
# TSan-built binary too, which inherits the options. See tsan-suppressions.txt for the one
# suppression and why.
set -euo pipefail
cd "$(dirname "$0")/.."
# Tests marked .longTraining (a minute of single-threaded training each) run in the plain suite only.
export DLBOARD_SANITIZED_SUITE=1
export TSAN_OPTIONS="suppressions=$PWD/scripts/tsan-suppressions.txt halt_on_error=0 ${TSAN_OPTIONS:-}"
# What runs here is chosen by what the code under test does, not by how long it takes: TSan finds
# races between threads, so a suite only earns its (instrumented, ~10x slower) run when the code
# it exercises starts a thread or shares state with one.
#
# - NN and TUI: not at all. They start no thread and hold no shared mutable state (Swift 6's
#   data-race checking compiles them; a global var would not build). Their code does run on the
#   app's threads, and there it is checked: the session, search and end-to-end suites train
#   through it.
# - DLBoardTests: every suite, except what PURE below names. Those call, on the test's own thread,
#   code that never starts or meets another thread: views and screens rendered from values (a
#   `TrainingSession.Snapshot` built by hand is a value, not a session), pane and dashboard state
#   (`KeyStormStateTests`' session is never started: the keys' commands only queue up), the
#   run-record schema, reader, writer and exporters (`MetricsLog` writes on its caller's thread),
#   flag parsing in-process, `RunDriver`/`Trainer` stepped synchronously, E3's and the
#   weight-symmetry experiment's single-threaded runs; and the binary in modes that end before any
#   thread of dlboard's starts (`BinaryErrorTests`, `SearchLimitTests`, `SearchSpaceErrorTests`
#   and the refusal tests named alone: a refused flag, spec, file or size is one line and exit; the
#   few small runs in `BinaryErrorTests` that do train take the headless session path
#   `TrainCommandTests` checks) or that start none (`gradcheck`: the checker on the main thread;
#   `preset --list`). A test of that kind in a suite that trains is named alone (Suite/test).
#   Everything that starts a `TrainingSession`, a search or a population, the screen loop,
#   `StopSignal`, `dlboard trial` or `watch`, or runs the binary in tmux stays, and a new suite is
#   checked by default.
#   Adding to PURE: only if that holds for every test it names; one that starts any of those
#   things must leave it.
# Arguments replace the default, e.g. `scripts/tsan.sh --filter CheckpointTests`.
PURE=(
    ActivationHistogramsScreenTests
    AugmentationCommandTests/badValuesAreOneLineErrors
    BinaryErrorTests
    CLIErrorTests
    CompareCommandTests/badComparisonsAreOneLineErrors
    ConfigErrorFlagTests
    DashboardSnapshotTests
    DashboardViewTests
    DivergingPathTests
    ExportTests
    GradcheckCommandTests
    InitializerRecordTests
    KernelVerdictTests
    KeyIntentStormTests
    KeyStormStateTests
    LayerHintTests
    LayersViewLegibilityTests
    LayersViewTests
    LossHistoryTests
    OptimizerFlagTests
    OptimizerStatusTests
    PaneStateTests
    PopulationPresetTests/badCombinationsAreOneLine
    PopupFocusTests
    PresetTests/listGroupsTheExperimentsBySource
    PresetVerdictTests
    QuitConfirmationTests
    ReadmeKeysTests
    RecordFixtureTests
    RecordInputTests
    RecordOutputTests
    RecordSchemaBoundaryTests
    RecordSchemaTests
    SearchLimitTests
    SearchSpaceErrorTests
    SharedViewTests
    TrialCommandTests/badSpecsAreOneLine
    TrialCommandTests/pacedRefusesTheSpecOnStandardInput
    WatchScreenTests
    WeightSymmetryPresetTests
    XAxisTests
)
if [ $# -eq 0 ]; then
    # A test's ID is Module.Suite/test(...): a suite's name is followed by "/", a test's by "(".
    skip=$(
        IFS='|'
        echo "${PURE[*]}"
    )
    set -- --filter 'DLBoardTests\.' --skip "DLBoardTests\\.($skip)[/(]"
    # Package.swift then leaves NNTests and TUITests out of this build folder's package: compiled
    # under TSan only to be filtered out, they cost build time and check nothing there.
    export DLBOARD_APP_SUITES_ONLY=1
fi
swift test --sanitize=thread --scratch-path .build-tsan "$@"
