import Foundation
import NN
import TUI
import Testing

@testable import dlboard

/// Two presses of one key in one frame, through the dashboard's state and a real training session:
/// the screen shows both changes at once, and the trainer makes both, in order, each marked with what
/// really changed.
@Suite struct KeyIntentTests {
    static let config = TrainingConfig(
        network: NetworkConfig(inputSize: 16, hidden: [8, 8], outputSize: 4),
        optimizer: .sgd, learningRate: nil, batchSize: 20, epochs: 3, seed: 2)

    /// A paused session (one run unless told) feeding a `DashboardState`, as the dashboard does.
    final class Rig {
        let session: TrainingSession
        var state = DashboardState(datasetName: "synthetic")
        var events: [SessionOutput.Event] = []
        /// The events with the run each came from.
        var runEvents: [(run: Int, event: SessionOutput.Event)] = []

        init(runs: Int = 1, maxRuns: Int = DashboardState.sideBySide, config: TrainingConfig = KeyIntentTests.config) {
            session = TrainingSession(
                runs: Array(repeating: .init(config: config), count: runs),
                dataset: SessionTests.dataset(), publishInterval: 0.001, maxRuns: maxRuns)
            session.start(paused: true)
            pump { $0.panes.count == runs && $0.focused?.status != nil }
        }

        deinit { session.stop() }

        /// Keys handled one after another with no drain between them (one frame), their commands sent.
        func press(_ keys: String) {
            for k in keys {
                for (run, command) in state.handle(.character(k)) { session.send(command, to: run) }
            }
        }

        /// Drains into the state until `done` holds (or fails after 20 s).
        func pump(sourceLocation: SourceLocation = #_sourceLocation, until done: (DashboardState) -> Bool) {
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                let snapshot = session.drainAll()
                _ = state.apply(snapshot)
                events += snapshot.runs.values.flatMap(\.events)
                for id in snapshot.order { runEvents += (snapshot.runs[id]?.events ?? []).map { (id, $0) } }
                if done(state) { return }
                usleep(1000)
            }
            Issue.record(
                "timed out; status \(String(describing: state.focused?.status))", sourceLocation: sourceLocation)
        }

        /// Drains until the run has applied every command sent so far.
        func settle(sourceLocation: SourceLocation = #_sourceLocation) {
            let sent = state.focused?.sentCommands ?? 0
            pump(sourceLocation: sourceLocation) { ($0.focused?.published?.appliedCommands ?? -1) >= sent }
        }

        var shown: TrainingConfig? { state.focused?.status?.config }
        var trainer: TrainingConfig? { state.focused?.published?.config }
        var markers: [String] { state.focused?.markers.map(\.label) ?? [] }
    }

    @Test func bbGoesOnToLayerNormAndBbbBackToNone() {
        let r = Rig()
        r.press("bb")
        #expect(r.shown?.network.normalization == .layer, "the pane shows both presses at once")
        r.press("b")
        #expect(r.shown?.network.normalization == Normalization.none)
        r.settle()
        #expect(r.trainer?.network.normalization == Normalization.none)
        #expect(r.markers == ["+BN", "+LN", "−norm"])
        #expect(r.events.map(\.kind) == [.normalization, .normalization, .normalization])
        #expect(r.events.map { [$0.from, $0.to] } == [["none", "batch"], ["batch", "layer"], ["layer", "none"]])
    }

    @Test func plusPlusFromTheBooksRateGivesPointOne() {
        let r = Rig()
        #expect(r.shown?.effectiveLearningRate == 0.01)
        r.press("++")
        #expect(r.shown?.effectiveLearningRate == 0.1, "0.01 → 0.032 → 0.1 on the screen at once")
        r.settle()
        #expect(r.trainer?.effectiveLearningRate == 0.1)
        #expect(r.markers == ["lr 0.032", "lr 0.1"])
        #expect(r.events.map { [$0.from, $0.to] } == [["0.01", "0.032"], ["0.032", "0.1"]])
        #expect(r.shown == r.trainer, "the published settings replace the prediction, and agree with it")
    }

    /// `c` twice: constant → inverse:1 → exp:0.9, both on the screen at once; then `+` steps the
    /// schedule's base rate, and the status shows the rate the next step takes.
    @Test func ccCyclesTwoSchedulesAndPlusScalesTheirBase() {
        let r = Rig()
        r.press("cc")
        #expect(r.shown?.schedule == .exponential(rate: 0.9), "constant → inverse:1 → exp:0.9 at once")
        r.settle()
        #expect(r.trainer?.schedule == .exponential(rate: 0.9))
        #expect(r.markers == ["lr inverse:1", "lr exp:0.9"])
        #expect(r.events.map(\.kind) == [.schedule, .schedule])
        #expect(r.events.map { [$0.from, $0.to] } == [["constant", "inverse:1"], ["inverse:1", "exp:0.9"]])
        r.press("+")
        r.settle()
        #expect(r.trainer?.effectiveLearningRate == 0.032 && r.trainer?.schedule == .exponential(rate: 0.9))
        // Step 1 is in epoch 1: 0.032 · 0.9.
        #expect(abs((r.state.focused?.status?.currentLearningRate ?? 0) - 0.032 * 0.9) < 1e-9)
        #expect(r.shown == r.trainer)
    }

    @Test func ooMovesTwoOptimizersOn() {
        let r = Rig()
        r.press("oo")
        #expect(r.shown?.optimizer == .nesterov, "SGD → Momentum → Nesterov on the screen at once")
        r.settle()
        #expect(r.trainer?.optimizer == .nesterov)
        #expect(r.markers == ["→ Momentum", "→ Nesterov"])
        #expect(r.events.map { [$0.from, $0.to] } == [["sgd", "momentum"], ["momentum", "nesterov"]])
    }

    @Test func greaterGreaterTakesTwoBatchSizesUp() {
        let r = Rig()
        r.press(">>")
        #expect(r.shown?.batchSize == 100, "20 → 50 → 100 on the screen at once")
        r.settle()
        #expect(r.trainer?.batchSize == 100)
        #expect(r.markers == ["batch 50", "batch 100"])
        #expect(r.events.map(\.kind) == [.batchSize, .batchSize])
        #expect(r.events.map { [$0.from, $0.to] } == [["20", "50"], ["50", "100"]])
        r.press("<<<<<<")
        #expect(r.shown?.batchSize == 1)
        r.press("<")
        #expect(r.state.focused?.notice == "smallest batch size", "at the ladder's end: a notice, no command")
        r.settle()
        #expect(r.trainer?.batchSize == 1 && r.events.count == 8)
    }

    /// Six presses of a in one frame go round all six activations, each marked and recorded by its
    /// spelling, and back to ReLU.
    @Test func aCyclesAllSixActivations() {
        let r = Rig()
        r.press("aaaa")
        #expect(r.shown?.network.activation == .softplus, "the pane shows the fourth press at once")
        r.press("aa")
        r.settle()
        #expect(r.trainer?.network.activation == .relu)
        #expect(r.markers == ["→ Sigmoid", "→ Tanh", "→ Leaky ReLU", "→ SoftPlus", "→ Identity", "→ ReLU"])
        #expect(r.events.map(\.kind) == Array(repeating: .activation, count: 6))
        #expect(
            r.events.map { [$0.from, $0.to] } == [
                ["relu", "sigmoid"], ["sigmoid", "tanh"], ["tanh", "leaky-relu"], ["leaky-relu", "softplus"],
                ["softplus", "identity"], ["identity", "relu"],
            ])
    }

    /// m switches the loss and back in one frame; the weights are kept (no re-initialization), so the
    /// loss the run reports changes only by what is measured.
    @Test func mmSwitchesTheLossAndBack() {
        let r = Rig()
        r.press("m")
        #expect(r.shown?.network.loss == .meanSquaredError, "the pane shows the switch at once")
        r.press("m")
        #expect(r.shown?.network.loss == .crossEntropy)
        r.settle()
        #expect(r.trainer?.network.loss == .crossEntropy)
        #expect(r.markers == ["→ MSE", "→ cross-entropy"])
        #expect(r.events.map(\.kind) == [.loss, .loss])
        #expect(r.events.map { [$0.from, $0.to] } == [["cross-entropy", "mse"], ["mse", "cross-entropy"]])
    }

    /// g switches augmentation on (shift:2 for a run configured without) and off in one frame, each
    /// marked and recorded as an event.
    @Test func ggSwitchesAugmentationOnAndOff() {
        let r = Rig()
        r.press("g")
        #expect(r.shown?.augmentation == Augmentation(shift: 2), "the pane shows the switch at once")
        r.press("g")
        #expect(r.shown?.augmentation == Augmentation.none)
        r.settle()
        #expect(r.trainer?.augmentation == Augmentation.none)
        #expect(r.markers == ["+aug shift:2", "−aug"])
        #expect(r.events.map(\.kind) == [.augmentation, .augmentation])
        #expect(r.events.map { [$0.from, $0.to] } == [["none", "shift:2"], ["shift:2", "none"]])
    }

    /// A run configured with augmentation: g turns it off, and on again to the run's own.
    @Test func gBringsBackTheRunsOwnAugmentation() {
        var config = Self.config
        config.augmentation = Augmentation(shift: 1, rotate: 10, noise: 0.1)
        let r = Rig(config: config)
        r.press("g")
        r.settle()
        #expect(r.trainer?.augmentation == Augmentation.none)
        r.press("g")
        r.settle()
        #expect(r.trainer?.augmentation == config.augmentation)
        #expect(r.markers == ["−aug", "+aug shift:1+rotate:10+noise:0.1"])
    }

    /// A mix of every setting key, twice over in one frame: the screen's prediction is what the
    /// trainer ends with.
    @Test func aBurstOfKeysEndsWhereTheScreenSaid() {
        let r = Rig()
        r.press("o+bd]w>agm-Owwm[dg<+a")
        let predicted = r.shown
        r.settle()
        #expect(r.trainer == predicted)
        #expect(r.events.count == 21, "every press made one change")
        #expect(r.events.allSatisfy { $0.from != $0.to }, "and each names a real change")
    }

    /// F then b in one frame: the b goes to the fork, whose pane is there at once.
    @Test func forkThenBatchNormInOneFrameSwitchesTheForkOnly() {
        let r = Rig()
        r.press("Fb")
        #expect(r.state.panes.count == 2 && r.state.focus == 1, "the fork's pane is shown and focused at once")
        let forkID = r.state.panes[1].id
        #expect(forkID != 0)
        #expect(r.shown?.network.batchNorm == true, "showing the b on the fork")
        #expect(r.state.panes[0].state.status?.config.network.batchNorm == false)
        r.settle()
        #expect(r.state.focus == 1 && r.state.panes.map(\.id) == [0, forkID])
        #expect(r.trainer?.network.batchNorm == true, "the fork's trainer has BatchNorm on")
        #expect(r.state.panes[0].state.published?.config.network.batchNorm == false, "the parent's has it off")
        #expect(r.state.panes[1].origin == "fork @0")
        #expect(r.markers == ["⑂ forked", "+BN"])
        let switches = r.runEvents.filter { $0.event.kind == .normalization }
        #expect(switches.map(\.run) == [forkID], "one BatchNorm event, on the fork")
        #expect(switches.map { [$0.event.from, $0.event.to] } == [["none", "batch"]])
        #expect(r.runEvents.contains { $0.run == 0 && $0.event.kind == .fork && $0.event.to == String(forkID) })
    }

    /// b F b in one frame, paused: the parent keeps the first b (BatchNorm), the fork starts from it
    /// and goes on to LayerNorm, and the fork's pane shows both switches.
    @Test func aSwitchJustBeforeTheForkIsInTheForksHistory() {
        let r = Rig()
        r.press("bFb")
        #expect(r.shown?.network.normalization == .layer, "the fork shows the second b at once")
        #expect(r.state.panes[0].state.status?.config.network.normalization == .batch, "the parent the first")
        r.settle()
        #expect(r.trainer?.network.normalization == .layer)
        #expect(r.state.panes[0].state.published?.config.network.normalization == .batch)
        #expect(r.markers == ["+BN", "⑂ forked", "+LN"])
        #expect(r.state.panes[0].state.markers.map(\.label).first == "+BN")
        let forkID = r.state.panes[1].id
        #expect(r.runEvents.filter { $0.event.kind == .normalization }.map(\.run) == [0, forkID])
    }

    /// A fork the session refuses takes its pane with it, and the keys sent to it go nowhere.
    @Test func aRefusedForkGivesTheFocusBackToTheParent() {
        let r = Rig(maxRuns: 1)
        r.press("Fb")
        #expect(r.state.panes.count == 2 && r.state.focus == 1)
        r.pump { $0.notice != nil }
        #expect(r.state.panes.map(\.id) == [0] && r.state.focus == 0)
        #expect(r.state.notice?.contains("at most 1 runs") == true, "the status bar says why")
        r.press("o")
        r.settle()
        #expect(r.trainer?.network.batchNorm == false, "the b meant for the fork did not reach the parent")
        #expect(r.trainer?.optimizer == .momentum, "and the parent takes keys again")
        #expect(!r.events.contains { $0.kind == .normalization || $0.kind == .fork || $0.kind == .forked })
    }

    /// F F at three panes: the first fork fills the screen, the second is refused at once.
    @Test func forkForkAtThreePanesMakesOneFork() {
        let r = Rig(runs: 3)
        r.press("F")
        r.press("F")
        #expect(r.state.notice?.contains("at most 4 panes") == true)
        #expect(r.state.panes.count == 4 && r.state.focus == 1)
        r.pump { s in s.panes.allSatisfy { $0.pendingForkOf == nil } && s.panes[1].origin == "fork @0" }
        r.pump { _ in r.runEvents.contains { $0.event.kind == .forked } }
        #expect(r.state.panes.map(\.id) == [0, 3, 1, 2])
        #expect(r.events.filter { $0.kind == .forked }.count == 1, "one fork made")
    }
}
