import Foundation
import NN
import Testing

/// A BatchNorm layer's two sets of statistics against a hand computation: the running ones start
/// at 0 and follow r ← 0.9·r + 0.1·batch, and eval mode uses them while train mode uses the batch's.
@Suite struct BatchNormStatisticsTests {
    static let w1: [[Double]] = [[0.5, 0, 0.2], [0.3, -1, 0.6]]
    static let batches: [[[Double]]] = [
        [[1, 2], [-1, 0.5], [0, 3]],
        [[2, -1], [0.5, 0.5], [4, 1], [-2, 0]],
    ]

    /// Per feature, the batch mean and biased variance of x·W1 (biases are 0), in Double.
    static func moments(_ x: [[Double]]) -> (mean: [Double], variance: [Double]) {
        let z = x.map { r in (0..<3).map { j in r[0] * w1[0][j] + r[1] * w1[1][j] } }
        let n = Double(z.count)
        let mean = (0..<3).map { j in z.reduce(0) { $0 + $1[j] } / n }
        let variance = (0..<3).map { j in z.reduce(0) { $0 + ($1[j] - mean[j]) * ($1[j] - mean[j]) } / n }
        return (mean, variance)
    }

    static func network() -> Network {
        let net = Network(config: NetworkConfig(inputSize: 2, hidden: [3], outputSize: 2, batchNorm: true), seed: 1)
        let flat = w1.flatMap { $0 }.map(Float.init)
        for i in flat.indices { net.affines[0].weight.value.pointer[i] = flat[i] }
        return net
    }

    static func matrix(_ x: [[Double]]) -> Matrix {
        Matrix(rows: x.count, cols: 2, values: x.flatMap { $0 }.map(Float.init))
    }

    static func close(_ a: Float, _ b: Double, _ what: String) {
        #expect(abs(Double(a) - b) <= 1e-5 * max(1, abs(b)), "\(what): \(a) vs \(b)")
    }

    /// After the first batch the running mean is a tenth of the batch's (the gap 0.9·|μ|/σ): the lag
    /// that makes eval-mode accuracy trail early in training.
    @Test func batchAndRunningStatisticsFollowTheBook() throws {
        let net = Self.network()
        let bn = net.batchNorms[0]
        #expect(bn.batchMean.isEmpty, "nothing before the first train-mode pass")
        var running = (mean: [Double](repeating: 0, count: 3), variance: [Double](repeating: 0, count: 3))
        for (b, x) in Self.batches.enumerated() {
            // No optimizer: W1 stays as set, so the hand computation sees the same weights.
            net.gradient(Self.matrix(x), labels: Array(repeating: 0, count: x.count))
            let (mean, variance) = Self.moments(x)
            for j in 0..<3 {
                running.mean[j] = 0.9 * running.mean[j] + 0.1 * mean[j]
                running.variance[j] = 0.9 * running.variance[j] + 0.1 * variance[j]
                #expect(abs(bn.batchMean[j] - mean[j]) <= 1e-6, "batch \(b) μ\(j)")
                #expect(abs(bn.batchVariance[j] - variance[j]) <= 1e-5 * max(1, variance[j]), "batch \(b) σ²\(j)")
                Self.close(bn.runningMean[0, j], running.mean[j], "batch \(b) running μ\(j)")
                Self.close(bn.runningVariance[0, j], running.variance[j], "batch \(b) running σ²\(j)")
            }
            let stats = net.layerStatistics(weightsBefore: net.affines.map { $0.weight.value.copy() })
            let s = try #require(stats[0].batchNorm)
            func average(_ v: [Double]) -> Double { v.reduce(0, +) / 3 }
            Self.close(s.batchMean, average(mean), "batch \(b) mean over units")
            Self.close(s.batchVariance, average(variance), "batch \(b) variance over units")
            Self.close(s.runningMean, average(running.mean), "batch \(b) running mean over units")
            Self.close(s.runningVariance, average(running.variance), "batch \(b) running variance over units")
            let gap = average(
                (0..<3).map { j in abs(mean[j] - running.mean[j]) / (variance[j] + 1e-6).squareRoot() })
            Self.close(s.meanGap, gap, "batch \(b) gap")
            #expect(stats[1].batchNorm == nil, "the output layer has no BatchNorm")
        }
        // An eval-mode pass uses the running statistics and leaves the batch's as they were.
        let before = bn.batchMean
        _ = net.predict(Self.matrix(Self.batches[0]), mode: .eval)
        #expect(bn.batchMean == before)
    }

    @Test func withoutBatchNormThereAreNone() {
        let trainer = Trainer(config: Synthetic.config(), data: Synthetic.dataset())
        trainer.step(collectingStatistics: true)
        #expect(trainer.lastLayerStatistics.allSatisfy { $0.batchNorm == nil })
    }

    @Test func trainerFillsEveryHiddenLayer() throws {
        let trainer = Trainer(config: Synthetic.config(batchNorm: true), data: Synthetic.dataset())
        for _ in 0..<3 { trainer.step(collectingStatistics: true) }
        let stats = trainer.lastLayerStatistics
        #expect(stats.dropLast().allSatisfy { $0.batchNorm != nil } && stats.last?.batchNorm == nil)
        // Switching BatchNorm on mid-run starts fresh layers: nothing until their first batch.
        let net = Network(config: Synthetic.config().network, seed: 1)
        net.setBatchNorm(true)
        #expect(net.batchNorms.allSatisfy { $0.batchMean.isEmpty })
    }

    @Test(arguments: [OptimizerKind.sgd, .adam])
    func collectingThemChangesNothing(optimizer: OptimizerKind) {
        let config = Synthetic.config(optimizer: optimizer, batchNorm: true)
        let on = Trainer(config: config, data: Synthetic.dataset())
        let off = Trainer(config: config, data: Synthetic.dataset())
        on.statisticsInterval = 1
        for _ in 0..<12 {
            #expect(on.step().bitPattern == off.step().bitPattern)
        }
        #expect(on.lastLayerStatistics.first?.batchNorm != nil)
        for (p, q) in zip(on.network.parameters, off.network.parameters) {
            #expect(p.value.values.map(\.bitPattern) == q.value.values.map(\.bitPattern), "\(p.name)")
        }
        for (a, b) in zip(on.network.batchNorms, off.network.batchNorms) {
            #expect(a.runningMean.values.map(\.bitPattern) == b.runningMean.values.map(\.bitPattern))
            #expect(a.runningVariance.values.map(\.bitPattern) == b.runningVariance.values.map(\.bitPattern))
        }
    }
}
