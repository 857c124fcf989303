import Foundation
import NN
import Testing

/// Per-layer statistics (issue 13) against a reference computed here in Double, on a 2-3-2 ReLU
/// network with set weights and a batch of two:
///
/// x = [[1, 2], [−1, 0.5]], labels [0, 1], biases 0,
/// W1 = [[0.5, 0, 0.2], [0.3, −1, 0.6]] → pre-activations [[1.1, −2, 1.4], [−0.35, −0.5, 0.1]]:
/// unit 2 is negative for both samples (dead: 1 of 3 units), and 3 of the 6 outputs are 0.
/// W2 = [[0.4, −0.2], [0.1, 0.3], [−0.5, 0.6]].
@Suite struct LayerStatisticsTests {
    static let x: [[Double]] = [[1, 2], [-1, 0.5]]
    static let labels: [Int32] = [0, 1]
    static let w1: [[Double]] = [[0.5, 0, 0.2], [0.3, -1, 0.6]]
    static let w2: [[Double]] = [[0.4, -0.2], [0.1, 0.3], [-0.5, 0.6]]

    /// The backprop of the network above, written out: dscores = (softmax − t)/N,
    /// da1 = (dscores·W2ᵀ) ⊙ [a1 > 0], ∇W2 = h1ᵀ·dscores, ∇W1 = xᵀ·da1.
    struct Reference {
        var dscores: [Double] = []
        var da1: [Double] = []
        var gradW1: [Double] = []
        var gradW2: [Double] = []
    }

    static func reference() -> Reference {
        let n = x.count
        let a1 = (0..<n).map { r in (0..<3).map { j in x[r][0] * w1[0][j] + x[r][1] * w1[1][j] } }
        let h1 = a1.map { $0.map { max(0, $0) } }
        let scores = h1.map { h in (0..<2).map { k in (0..<3).reduce(0.0) { $0 + h[$1] * w2[$1][k] } } }
        var dscores = [[Double]](repeating: [0, 0], count: n)
        for r in 0..<n {
            let m = scores[r].max()!
            let e = scores[r].map { exp($0 - m) }
            let s = e.reduce(0, +)
            for k in 0..<2 { dscores[r][k] = (e[k] / s - (Int32(k) == labels[r] ? 1 : 0)) / Double(n) }
        }
        var da1 = [[Double]](repeating: [0, 0, 0], count: n)
        for r in 0..<n {
            for j in 0..<3 {
                let dh = (0..<2).reduce(0.0) { $0 + dscores[r][$1] * w2[j][$1] }
                da1[r][j] = a1[r][j] > 0 ? dh : 0
            }
        }
        var ref = Reference()
        ref.dscores = dscores.flatMap { $0 }
        ref.da1 = da1.flatMap { $0 }
        for i in 0..<2 {
            for j in 0..<3 { ref.gradW1.append((0..<n).reduce(0.0) { $0 + x[$1][i] * da1[$1][j] }) }
        }
        for j in 0..<3 {
            for k in 0..<2 { ref.gradW2.append((0..<n).reduce(0.0) { $0 + h1[$1][j] * dscores[$1][k] }) }
        }
        return ref
    }

    static func std(_ v: [Double]) -> Double {
        let mean = v.reduce(0, +) / Double(v.count)
        return (v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count)).squareRoot()
    }

    static func meanAbs(_ v: [Double]) -> Double { v.reduce(0) { $0 + abs($1) } / Double(v.count) }

    static func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    static func network() -> Network {
        let net = Network(config: NetworkConfig(inputSize: 2, hidden: [3], outputSize: 2), seed: 1)
        let weights = [w1, w2]
        for (a, w) in zip(net.affines, weights) {
            let flat = w.flatMap { $0 }.map(Float.init)
            for i in flat.indices { a.weight.value.pointer[i] = flat[i] }
        }
        return net
    }

    static var batch: Matrix {
        let m = Matrix(rows: 2, cols: 2)
        for r in 0..<2 { for c in 0..<2 { m[r, c] = Float(x[r][c]) } }
        return m
    }

    /// One step with `optimizer`, collecting statistics the way `Trainer` does.
    static func step(_ net: Network, _ optimizer: any Optimizer) -> [LayerStatistics] {
        net.gradient(batch, labels: labels)
        let before = net.affines.map { $0.weight.value.copy() }
        optimizer.update(net.parameters)
        return net.layerStatistics(weightsBefore: before)
    }

    static func expectClose(_ a: Float, _ b: Double, _ what: String, tolerance: Double = 1e-5) {
        #expect(abs(Double(a) - b) <= tolerance * max(1, abs(b)), "\(what): \(a) vs \(b)")
    }

    @Test func backwardSignalAndGradientsMatchTheReference() {
        let ref = Self.reference()
        let stats = Self.step(Self.network(), SGD(learningRate: 0.1))
        #expect(stats.map(\.layer) == ["Affine1", "Affine2"])
        let signals = [ref.da1, ref.dscores]
        let grads = [ref.gradW1, ref.gradW2]
        for k in 0..<2 {
            let s = stats[k]
            #expect(s.backwardSignal.count == signals[k].count)
            Self.expectClose(s.backwardSignal.meanAbsolute, Self.meanAbs(signals[k]), "mean |dout| \(k)")
            Self.expectClose(s.backwardSignal.standardDeviation, Self.std(signals[k]), "std dout \(k)")
            Self.expectClose(s.weightGradient.standardDeviation, Self.std(grads[k]), "std ∇W \(k)")
            Self.expectClose(s.weightGradient.norm, Self.norm(grads[k]), "‖∇W‖ \(k)")
            let w = (k == 0 ? Self.w1 : Self.w2).flatMap { $0 }
            Self.expectClose(s.weight.standardDeviation, Self.std(w), "std W \(k)")
            Self.expectClose(s.gradientToData, Self.std(grads[k]) / Self.std(w), "grad:data \(k)")
            #expect(s.weight.histogram?.bins.reduce(0, +) == w.count)
            #expect(s.backwardSignal.histogram?.bins.reduce(0, +) == signals[k].count)
            #expect(s.weightGradient.histogram == nil && s.update.histogram == nil)
        }
    }

    @Test func sgdUpdateIsLearningRateTimesGradient() {
        let lr = 0.1
        let stats = Self.step(Self.network(), SGD(learningRate: Float(lr)))
        for s in stats {
            // ΔW = −lr·∇W exactly, up to the rounding of W after − W before in Float.
            Self.expectClose(
                s.update.standardDeviation, lr * Double(s.weightGradient.standardDeviation), "std ΔW",
                tolerance: 1e-4)
            Self.expectClose(
                s.updateToData, lr * Double(s.weightGradient.standardDeviation) / Double(s.weight.standardDeviation),
                "update:data", tolerance: 1e-4)
        }
    }

    @Test func momentumUpdateFollowsItsVelocity() {
        let net = Self.network()
        let lr: Double = 0.1
        let optimizer = Momentum(learningRate: Float(lr), momentum: 0.9)
        _ = Self.step(net, optimizer)
        let g1 = net.affines.map { $0.weight.gradient.values.map(Double.init) }
        let stats = Self.step(net, optimizer)
        let g2 = net.affines.map { $0.weight.gradient.values.map(Double.init) }
        for k in 0..<2 {
            // v₁ = −lr·g₁; v₂ = 0.9·v₁ − lr·g₂ = ΔW of the second step.
            let expected = zip(g1[k], g2[k]).map { 0.9 * (-lr * $0) - lr * $1 }
            Self.expectClose(stats[k].update.standardDeviation, Self.std(expected), "momentum std ΔW", tolerance: 1e-4)
            Self.expectClose(stats[k].update.norm, Self.norm(expected), "momentum ‖ΔW‖", tolerance: 1e-4)
        }
    }

    @Test func firstAdamStepFromItsState() {
        let lr: Double = 0.01
        let (b1, b2) = (0.9, 0.999)
        let ref = Self.reference()
        let stats = Self.step(Self.network(), Adam(learningRate: Float(lr)))
        for (k, g) in [ref.gradW1, ref.gradW2].enumerated() {
            // m = (1−β1)g, v = (1−β2)g²; the book's form: lr_t = lr·√(1−β2)/(1−β1),
            // ΔW = −lr_t·m/(√v + 1e-7) (≈ −lr·sign(g), as m̂ = g and v̂ = g²).
            let lrT = lr * (1 - b2).squareRoot() / (1 - b1)
            let expected = g.map { g in -lrT * (1 - b1) * g / (((1 - b2) * g * g).squareRoot() + 1e-7) }
            Self.expectClose(stats[k].update.standardDeviation, Self.std(expected), "Adam std ΔW", tolerance: 1e-3)
            Self.expectClose(stats[k].update.norm, Self.norm(expected), "Adam ‖ΔW‖", tolerance: 1e-3)
        }
    }

    @Test func deadUnitsBesideZeroValues() {
        let stats = Self.step(Self.network(), SGD(learningRate: 0.1))
        #expect(stats[0].deadUnitFraction == Float(1) / 3)
        #expect(stats[0].zeroFraction == 0.5)
        // The output layer is followed by the softmax, not a ReLU.
        #expect(stats[1].deadUnitFraction == nil)
        #expect(stats[1].zeroFraction == nil)
    }

    @Test func sigmoidLayersHaveNoDeadUnits() {
        let net = Network(
            config: NetworkConfig(inputSize: 2, hidden: [3], outputSize: 2, activation: .sigmoid), seed: 1)
        let stats = Self.step(net, SGD())
        #expect(stats[0].deadUnitFraction == nil)
    }

    @Test func zeroWeightsGiveAnInfiniteGradientRatio() {
        let net = Network(config: NetworkConfig(inputSize: 2, hidden: [3], outputSize: 2), seed: 1)
        for a in net.affines { a.weight.value.fill(0) }
        let stats = Self.step(net, SGD())
        // ReLU with zero weights: no weight gradient flows at all (seed-extensions §2).
        #expect(stats[0].weightGradient.norm == 0)
        #expect(stats[0].gradientToData == 0)
        #expect(stats[0].weight.histogram?.range == -1...1)
    }

    @Test func trainerCollectsAtItsIntervalOnly() {
        let trainer = Trainer(config: Synthetic.config(), data: Synthetic.dataset())
        trainer.statisticsInterval = 3
        for _ in 0..<7 { trainer.step() }
        #expect(trainer.lastLayerStatisticsStep == 6)
        #expect(trainer.lastLayerStatistics.map(\.layer) == ["Affine1", "Affine2", "Affine3"])
        trainer.step(collectingStatistics: true)
        #expect(trainer.lastLayerStatisticsStep == 8)
    }

    @Test(arguments: [OptimizerKind.sgd, .momentum, .adam])
    func collectingChangesNothing(optimizer: OptimizerKind) {
        let config = Synthetic.config(optimizer: optimizer, dropout: 0.2)
        let on = Trainer(config: config, data: Synthetic.dataset())
        let off = Trainer(config: config, data: Synthetic.dataset())
        on.statisticsInterval = 1
        for _ in 0..<12 {
            let a = on.step()
            let b = off.step()
            #expect(a.bitPattern == b.bitPattern)
        }
        #expect(off.lastLayerStatistics.isEmpty)
        #expect(on.lastLayerStatistics.count == 3)
        for (p, q) in zip(on.network.parameters, off.network.parameters) {
            #expect(p.value.values.map(\.bitPattern) == q.value.values.map(\.bitPattern), "\(p.name)")
        }
    }
}
