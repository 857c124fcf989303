import Foundation
import NN
import Testing

/// The verdicts on a live MNIST network (the repository's `assets/mnist`, 2,000 training images),
/// 784-100×4-10 ReLU, batch 100, statistics collected on every step (the dashboard collects on the
/// steps 1, 2, 4, … 32 after the start or a switch and every 50th: the same numbers, fewer of them).
@Suite struct LiveVerdictTests {
    static let mnist: Result<Dataset, any Error> = Result {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let (train, test) = try MNIST.load(directory: root.appendingPathComponent("assets/mnist").path)
        return Dataset(name: "mnist", train: train.prefix(2000), test: test.prefix(100))
    }

    static func trainer(_ optimizer: OptimizerKind, lr: Float, _ initializer: Initializer) throws -> Trainer {
        let config = TrainingConfig(
            network: NetworkConfig(hidden: [100, 100, 100, 100], activation: .relu, initializer: initializer),
            optimizer: optimizer, learningRate: lr, batchSize: 100, epochs: 1, seed: 0)
        return Trainer(config: config, data: try mnist.get())
    }

    /// Steps until the loss is non-finite or `limit` steps; the losses and each step's verdicts.
    static func run(_ t: Trainer, limit: Int) -> (losses: [Double], verdicts: [[LayerVerdict]]) {
        var losses: [Double] = []
        var verdicts: [[LayerVerdict]] = []
        while losses.count < limit {
            losses.append(t.step(collectingStatistics: true))
            verdicts.append(LayerVerdict.assess(t.lastLayerStatistics))
            if !losses.last!.isFinite { break }
        }
        return (losses, verdicts)
    }

    @Test func sgdAtLearningRateTenIsTooHighBeforeTheLossDiverges() throws {
        let (losses, verdicts) = Self.run(try Self.trainer(.sgd, lr: 10, .he), limit: 40)
        // Diverged: the loss is NaN or infinite (the run stops there, as the dashboard's does).
        let diverged = try #require(losses.firstIndex { !$0.isFinite }, "lr 10 diverges: \(losses)")
        let tooHigh = try #require(
            verdicts.firstIndex { $0.contains { if case .learningRateTooHigh = $0 { true } else { false } } })
        #expect(tooHigh < diverged, "too high at step \(tooHigh + 1), NaN at step \(diverged + 1)")
        // …and while the loss still looked like any first step's (ln 10 ≈ 2.3 and a bit).
        #expect(losses[tooHigh] < 3, "loss \(losses[tooHigh]) at step \(tooHigh + 1)")
    }

    @Test func stdPointZeroOneVanishesInTheLowerLayers() throws {
        let (losses, verdicts) = Self.run(try Self.trainer(.sgd, lr: 0.01, .std(0.01)), limit: 20)
        #expect(losses.allSatisfy { abs($0 - log(10)) < 0.01 }, "stuck at ln 10: \(losses)")
        for (step, v) in verdicts.enumerated() {
            for k in 0..<3 {
                guard case .vanishing(let d) = v[k] else {
                    Issue.record("step \(step + 1) layer \(k + 1): \(v[k])")
                    continue
                }
                #expect(d <= -LayerVerdict.signalDecades)
            }
            if case .vanishing = v[4] { Issue.record("the output layer is the reference: \(v[4])") }
        }
    }

    @Test func heWithAGoodLearningRateRaisesNoAlarm() throws {
        // SGD lr 0.1 with He trains well (loss ~0.5 after 60 steps): no verdict but healthy, on any
        // layer, on any of its first 40 steps.
        let (losses, verdicts) = Self.run(try Self.trainer(.sgd, lr: 0.1, .he), limit: 40)
        #expect(losses.suffix(5).reduce(0, +) / 5 < 1.5, "\(losses)")
        for (step, v) in verdicts.enumerated() {
            #expect(v.allSatisfy { $0 == .healthy }, "step \(step + 1): \(v)")
        }
    }
}
