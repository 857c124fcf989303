import Foundation
import NN
import Testing
@testable import dlboard

/// The training session on its background queue, driven the way the dashboard drives it.
@Suite struct SessionTests {
    static func dataset() -> Dataset {
        var g = SeededGenerator(seed: 1)
        func images(_ n: Int) -> LabeledImages {
            var px: [UInt8] = [], lb: [UInt8] = []
            for _ in 0..<n {
                let label = g.nextInt(below: 4)
                for j in 0..<16 { px.append(UInt8(g.nextInt(below: 100) + (j / 4 == label ? 150 : 0))) }
                lb.append(UInt8(label))
            }
            return LabeledImages(pixels: px, labels: lb, features: 16, classes: 4)
        }
        return Dataset(name: "synthetic", train: images(200), test: images(50))
    }

    static let config = TrainingConfig(network: NetworkConfig(inputSize: 16, hidden: [8, 8], outputSize: 4),
                                       optimizer: .sgd, learningRate: 0.1, batchSize: 20, epochs: 3, seed: 2)

    /// Drains until `done` holds for the accumulated output, or fails after `seconds`.
    func collect(_ s: TrainingSession, seconds: Double = 20, until done: (SessionOutput) -> Bool) -> SessionOutput {
        var all = SessionOutput()
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let o = s.drain()
            all.losses += o.losses
            all.evaluations += o.evaluations
            all.events += o.events
            if let st = o.status { all.status = st }
            if !o.activations.isEmpty { all.activations = o.activations }
            if done(all) { return all }
            usleep(2000)
        }
        Issue.record("timed out; status \(String(describing: all.status))")
        return all
    }

    @Test func trainsToTheTargetThenPausesAsFinished() {
        let s = TrainingSession(config: Self.config, dataset: Self.dataset(), publishInterval: 0.001, histogramInterval: 0)
        s.start()
        let out = collect(s) { $0.status?.finished == true }
        s.stop()
        #expect(out.status?.step == 30 && out.status?.paused == true)
        #expect(out.losses.map(\.step) == Array(1...30), "every step published exactly once, in order")
        #expect(out.evaluations.map(\.epoch) == [1, 2, 3])
        #expect(out.activations.count == 2)
    }

    @Test func commandsApplyBetweenStepsAndAreMarked() {
        let s = TrainingSession(config: Self.config, dataset: Self.dataset(), publishInterval: 0.001)
        s.start(paused: true)
        _ = collect(s) { $0.status != nil }
        s.send(.stepOnce)
        s.send(.setOptimizer(.adam))
        s.send(.setBatchNorm(true))
        s.send(.setDropout(0.3))
        s.send(.stepOnce)
        let out = collect(s) { $0.status?.step == 2 && $0.status?.config.network.dropout == 0.3 }
        s.stop()
        let status = out.status
        #expect(status?.config.optimizer == .adam)
        #expect(status?.config.effectiveLearningRate == 0.001, "a new optimizer starts at the book's default lr")
        #expect(status?.config.network.batchNorm == true)
        #expect(status?.paused == true, "single steps keep the session paused")
        #expect(out.events.map(\.label) == ["→ Adam", "+BN", "dropout 0.3"])
        #expect(out.events.allSatisfy { $0.step == 1 }, "switches take effect after step 1, before step 2")
    }

    @Test func divergencePausesAndIsReported() {
        var c = Self.config
        c.learningRate = 1e30
        let s = TrainingSession(config: c, dataset: Self.dataset(), publishInterval: 0.001)
        s.start()
        let out = collect(s) { $0.status?.diverged == true }
        #expect(out.status?.paused == true)
        #expect(out.events.last?.label == "✗ diverged")
        s.send(.resume)  // refused: the weights are NaN until a restart
        usleep(50_000)
        #expect(s.drain().status?.paused == true)
        s.send(.restart)
        s.send(.setLearningRate(0.1))
        s.send(.resume)
        let after = collect(s) { ($0.status?.step ?? 0) > (out.status?.step ?? 0) + 3 }
        s.stop()
        #expect(after.status?.diverged == false)
    }

    @Test func stopReturnsPromptlyWhileTraining() {
        var c = Self.config
        c.epochs = 1_000_000
        let s = TrainingSession(config: c, dataset: Self.dataset())
        s.start()
        _ = collect(s) { ($0.status?.step ?? 0) > 10 }
        let t0 = Date()
        s.stop()
        #expect(Date().timeIntervalSince(t0) < 1)
    }
}
