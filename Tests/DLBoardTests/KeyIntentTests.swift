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

    /// A paused one-run session feeding a `DashboardState`, as the dashboard loop does.
    final class Rig {
        let session = TrainingSession(
            config: KeyIntentTests.config, dataset: SessionTests.dataset(), publishInterval: 0.001)
        var state = DashboardState(datasetName: "synthetic")
        var events: [SessionOutput.Event] = []

        init() {
            session.start(paused: true)
            pump { $0.focused?.status != nil }
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

    @Test func bbLeavesBatchNormOffWithTwoMarkers() {
        let r = Rig()
        r.press("bb")
        #expect(r.shown?.network.batchNorm == false, "the pane shows both presses at once")
        r.settle()
        #expect(r.trainer?.network.batchNorm == false)
        #expect(r.markers == ["+BN", "−BN"])
        #expect(r.events.map(\.kind) == [.batchNorm, .batchNorm])
        #expect(r.events.map { [$0.from, $0.to] } == [["off", "on"], ["on", "off"]])
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

    @Test func ooMovesTwoOptimizersOn() {
        let r = Rig()
        r.press("oo")
        #expect(r.shown?.optimizer == .nesterov, "SGD → Momentum → Nesterov on the screen at once")
        r.settle()
        #expect(r.trainer?.optimizer == .nesterov)
        #expect(r.markers == ["→ Momentum", "→ Nesterov"])
        #expect(r.events.map { [$0.from, $0.to] } == [["sgd", "momentum"], ["momentum", "nesterov"]])
    }

    /// A mix of every setting key, twice over in one frame: the screen's prediction is what the
    /// trainer ends with.
    @Test func aBurstOfKeysEndsWhereTheScreenSaid() {
        let r = Rig()
        r.press("o+bd]wa-Oww[d+")
        let predicted = r.shown
        r.settle()
        #expect(r.trainer == predicted)
        #expect(r.events.count == 14, "every press made one change")
        #expect(r.events.allSatisfy { $0.from != $0.to }, "and each names a real change")
    }
}
