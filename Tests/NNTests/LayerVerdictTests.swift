import Foundation
import Testing

@testable import NN

/// The per-layer verdicts on the book's weight-scale cases (E3: 1000 samples of 100 N(0, 1) inputs
/// through 5 hidden layers of 100 units), given one training step so there is a backward signal and
/// an update: an output layer of 10 classes on random labels.
@Suite struct LayerVerdictTests {
    /// The statistics of one step of the E3 network with `initializer`, `activation` and `optimizer`.
    static func e3Step(_ initializer: Initializer, _ activation: Activation, _ optimizer: any Optimizer)
        -> [LayerStatistics]
    {
        let config = NetworkConfig(
            inputSize: 100, hidden: Array(repeating: 100, count: 5), outputSize: 10, activation: activation,
            initializer: initializer)
        let net = Network(config: config, seed: 3)
        var g = SeededGenerator(seed: 9, stream: "e3-input")
        let x = Matrix(rows: 1000, cols: 100)
        for i in 0..<x.count { x.pointer[i] = g.nextNormal() }
        let labels = (0..<1000).map { _ in Int32(g.nextInt(below: 10)) }
        net.gradient(x, labels: labels)
        let before = net.affines.map { $0.weight.value.copy() }
        optimizer.update(net.parameters)
        return net.layerStatistics(weightsBefore: before)
    }

    static func verdicts(_ i: Initializer, _ a: Activation, _ o: any Optimizer = SGD(learningRate: 0.01))
        -> [LayerVerdict]
    {
        LayerVerdict.assess(e3Step(i, a, o))
    }

    static func isVanishing(_ v: LayerVerdict) -> Bool {
        if case .vanishing = v { return true }
        return false
    }

    static func isExploding(_ v: LayerVerdict) -> Bool {
        if case .exploding = v { return true }
        return false
    }

    static func isTooHigh(_ v: LayerVerdict) -> Bool {
        if case .learningRateTooHigh = v { return true }
        return false
    }

    @Test(arguments: [Activation.relu, .sigmoid, .tanh])
    func stdPointZeroOneVanishesInTheLowerLayers(activation: Activation) {
        let v = Self.verdicts(.std(0.01), activation)
        // The signal shrinks 10^1.2 (tanh) to 10^1.6 (sigmoid) a layer: the three lowest layers are
        // two decades or more below the output layer's.
        for k in 0..<3 { #expect(Self.isVanishing(v[k]), "\(activation) layer \(k + 1): \(v[k])") }
        if case .vanishing(let lowest) = v[0] { #expect(lowest < -5, "\(activation): \(lowest)") }
        #expect(!Self.isVanishing(v[5]), "the output layer is the reference")
    }

    @Test func xavierAndHeAreHealthyWithTheirActivations() {
        // Adam moves every layer by ~lr, so update:data is in the band for every layer and only the
        // backward signal and the units speak.
        for (i, a) in [(Initializer.xavier, Activation.sigmoid), (.xavier, .tanh), (.he, .relu)] {
            let v = Self.verdicts(i, a, Adam(learningRate: 0.001))
            #expect(v == Array(repeating: .healthy, count: 6), "\(i.displayName) \(a): \(v)")
        }
        // With plain SGD at the book's lr 0.01, tanh and ReLU are healthy too…
        for (i, a) in [(Initializer.xavier, Activation.tanh), (.he, .relu)] {
            let v = Self.verdicts(i, a)
            #expect(v == Array(repeating: .healthy, count: 6), "\(i.displayName) \(a) SGD: \(v)")
        }
    }

    @Test func sigmoidWithXavierUnderSGDHardlyMovesItsLowestLayer() {
        // …while sigmoid's derivative (at most ¼) shrinks the signal ~10^0.7 a layer: not vanishing
        // (that is what sigmoid does with the right weights), but under SGD the lowest layer's update
        // is 10^-5.7 of its weights even at lr 0.1 — it hardly learns, which is why sigmoid nets are
        // slow, and the verdict says so.
        let stats = Self.e3Step(.xavier, .sigmoid, SGD(learningRate: 0.1))
        let v = LayerVerdict.assess(stats)
        #expect(!v.contains { Self.isVanishing($0) || Self.isExploding($0) }, "\(v)")
        guard case .learningRateTooLow(let r) = v[0] else {
            Issue.record("layer 1: \(v[0])")
            return
        }
        #expect(r < LayerVerdict.tooLowLog10UpdateRatio)
        let shrink = log10(stats[0].backwardSignal.meanAbsolute / stats[5].backwardSignal.meanAbsolute)
        #expect(shrink < -3 && shrink > -5 * LayerVerdict.vanishingDecadesPerLayer, "\(shrink)")
        #expect(v[5] == .healthy)
    }

    @Test(
        arguments: [Initializer.zeros, .constant(0.5)], [Activation.relu, .sigmoid, .tanh])
    func zerosAndConstantsAreSymmetric(initializer: Initializer, activation: Activation) {
        let v = Self.verdicts(initializer, activation)
        for k in 0..<5 {
            #expect(
                v[k] == .symmetric(units: 100, distinct: 1), "\(initializer.displayName) \(activation) layer \(k + 1)")
        }
        // The output layer's 10 columns get different gradients (one per class): not symmetric.
        if case .symmetric = v[5] { Issue.record("output layer: \(v[5])") }
    }

    @Test func reluWithStdOneExplodesInTheLowerLayers() {
        let stats = Self.e3Step(.std(1), .relu, SGD(learningRate: 0.01))
        let v = LayerVerdict.assess(stats)
        // Growing ~×7 a layer toward the input (the activation verdict sees the same going up):
        // the three lowest layers are 2–4 decades above the output layer's signal. The upper two,
        // with gradients of std 10²–10³ on weights of std 1, move by their own size per step at lr
        // 0.01: the learning rate is too high for them, honestly.
        for k in 0..<3 { #expect(Self.isExploding(v[k]), "layer \(k + 1): \(v[k])") }
        if case .exploding(let d) = v[0] { #expect(d > 3, "\(d)") }
        for k in 3..<6 { #expect(Self.isTooHigh(v[k]), "layer \(k + 1): \(v[k])") }
    }

    // MARK: The thresholds on hand-made statistics

    static func layer(
        signal: Float, weightStd: Float = 0.1, updateStd: Float = 1e-4, dead: Float? = nil, units: Int = 100,
        distinct: Int = 100
    ) -> LayerStatistics {
        func summary(_ meanAbs: Float, _ std: Float) -> LayerStatistics.Summary {
            .init(count: 100, meanAbsolute: meanAbs, standardDeviation: std, norm: std * 10, histogram: nil)
        }
        return LayerStatistics(
            layer: "Affine", backwardSignal: summary(signal, signal), weight: summary(weightStd, weightStd),
            weightGradient: summary(updateStd, updateStd), update: summary(updateStd, updateStd),
            deadUnitFraction: dead, zeroFraction: dead, units: units, distinctUnits: distinct)
    }

    @Test func updateRatioThresholds() {
        let output = Self.layer(signal: 1e-3, units: 10, distinct: 10)
        func verdict(_ log10Ratio: Float) -> LayerVerdict {
            LayerVerdict.assess([Self.layer(signal: 1e-3, updateStd: 0.1 * pow(10, log10Ratio)), output])[0]
        }
        #expect(verdict(-3) == .healthy)
        #expect(verdict(-1.1) == .healthy)
        #expect(Self.isTooHigh(verdict(-0.9)))
        #expect(verdict(-4.9) == .healthy)
        guard case .learningRateTooLow = verdict(-5.1) else {
            Issue.record("\(verdict(-5.1))")
            return
        }
        // Weights without spread (a constant) have no scale to compare with, and a zero gradient
        // (nothing reaches the layer) is not the learning rate's doing: neither is an lr verdict.
        #expect(LayerVerdict.assess([Self.layer(signal: 1e-3, weightStd: 0), output])[0] == .healthy)
        #expect(LayerVerdict.assess([Self.layer(signal: 1e-3, updateStd: 0), output])[0] == .healthy)
    }

    @Test func signalNeedsTwoDecadesAndAPerLayerRate() {
        let output = Self.layer(signal: 1, units: 10, distinct: 10)
        func verdicts(_ signals: [Float]) -> [LayerVerdict] {
            LayerVerdict.assess(signals.map { Self.layer(signal: $0) } + [output])
        }
        // One layer below the output, 10^-2: vanishing (≥ 2 decades, ≥ 1 a layer).
        #expect(Self.isVanishing(verdicts([1e-2])[0]))
        // Four layers below, 10^-3: only 0.75 a layer — sigmoid's own shrinking, not vanishing.
        #expect(verdicts([1e-3, 1, 1, 1])[0] == .healthy)
        // Four layers below, 10^-4.5: vanishing.
        #expect(Self.isVanishing(verdicts([3e-5, 1, 1, 1])[0]))
        // 10^-1.9 one layer below: under two decades.
        #expect(verdicts([0.0126])[0] == .healthy)
        // Growth: 10^2.1 over four layers (0.53 a layer) explodes; 10^1.9 does not; 10^2.1 over
        // five layers (0.42 a layer) does not either.
        #expect(Self.isExploding(verdicts([126, 1, 1, 1])[0]))
        #expect(verdicts([79, 1, 1, 1])[0] == .healthy)
        #expect(verdicts([126, 1, 1, 1, 1])[0] == .healthy)
        // The output layer itself never vanishes or explodes.
        #expect(verdicts([1])[1] == .healthy)
    }

    @Test func causesComeBeforeSymptoms() {
        let output = Self.layer(signal: 1, units: 10, distinct: 10)
        // Symmetric beats vanishing and dead (zeros with ReLU: no signal, every unit dead).
        let zeros = Self.layer(signal: 0, weightStd: 0, updateStd: 0, dead: 1, distinct: 1)
        #expect(LayerVerdict.assess([zeros, output])[0] == .symmetric(units: 100, distinct: 1))
        // A tenth of the units distinct is still symmetric; more is not.
        #expect(
            LayerVerdict.assess([Self.layer(signal: 1, distinct: 10), output])[0]
                == .symmetric(units: 100, distinct: 10))
        #expect(LayerVerdict.assess([Self.layer(signal: 1, distinct: 11), output])[0] == .healthy)
        // Dead beats vanishing: a dead ReLU layer passes (almost) nothing down.
        #expect(LayerVerdict.assess([Self.layer(signal: 1e-5, dead: 0.6), output])[0] == .dead(fraction: 0.6))
        #expect(LayerVerdict.assess([Self.layer(signal: 1, dead: 0.5), output])[0] == .healthy)
        // Exploding beats lr too high: the gradient's size is why every update is too large.
        let big = Self.layer(signal: 1e3, updateStd: 1)
        #expect(Self.isExploding(LayerVerdict.assess([big, output])[0]))
    }

    // MARK: distinct units on hand-built matrices

    static func distinct(_ w: [[Float]], bias: [Float]) -> Int {
        Network.distinctUnits(
            weight: Matrix(rows: w.count, cols: w[0].count, values: w.flatMap { $0 }),
            bias: Matrix(rows: 1, cols: bias.count, values: bias))
    }

    /// A NaN update (the weights went NaN or infinite in the step) is a diverging step, not a layer
    /// that hardly learns.
    @Test func aNaNUpdateRatioIsTooHigh() {
        let nan = Self.layer(signal: 1e-3, updateStd: .nan)
        guard case .learningRateTooHigh(let r) = LayerVerdict.assess([nan, Self.layer(signal: 1e-3)])[0] else {
            Issue.record("NaN update:data read as \(LayerVerdict.assess([nan, Self.layer(signal: 1e-3)])[0])")
            return
        }
        #expect(r.isNaN)
    }

    /// NaN weights never make two units one: a diverged layer is not "symmetric".
    @Test func nanWeightsAreNotTheSameUnit() {
        let nan = Float.nan
        #expect(Self.distinct([[nan, nan, nan], [0, 0, 0]], bias: [0, 0, 0]) == 3)
        #expect(Self.distinct([[nan, 1, 1], [0, 2, 2]], bias: [0, 0, 0]) == 2)
    }

    @Test func distinctUnitsCountsIdenticalColumnsOnce() {
        // Columns are units: 3 inputs × 4 units.
        #expect(Self.distinct([[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], bias: [0, 0, 0, 0]) == 1)
        #expect(Self.distinct([[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]], bias: [0.1, 0.1, 0.1]) == 1)
        #expect(Self.distinct([[1, 2, 3, 4], [5, 6, 7, 8]], bias: [0, 0, 0, 0]) == 4)
        // Units 0 and 2 are copies, 1 and 3 are copies.
        #expect(Self.distinct([[1, 2, 1, 2], [3, -1, 3, -1]], bias: [0, 0.5, 0, 0.5]) == 2)
        // Same weights, different biases: different units.
        #expect(Self.distinct([[1, 1, 1], [2, 2, 2]], bias: [0, 0.5, 1]) == 3)
        // One unit, and a layer of one.
        #expect(Self.distinct([[1], [2]], bias: [0]) == 1)
    }

    @Test func distinctUnitsToleratesRoundingOnly() {
        // Within 1e-4 of the largest |W| or |b| (here 1): the same unit.
        #expect(Self.distinct([[1, 1 + 5e-5], [0.25, 0.25]], bias: [0, 0]) == 1)
        // Beyond it: different.
        #expect(Self.distinct([[1, 1 + 5e-4], [0.25, 0.25]], bias: [0, 0]) == 2)
        // The tolerance follows the layer's scale: 1e-3 apart is rounding next to weights of 100.
        #expect(Self.distinct([[100, 100], [0.5, 0.501]], bias: [0, 0]) == 1)
    }

    @Test func distinctUnitsWithEqualSumsButDifferentColumns() {
        // Columns 0 and 2 are copies; column 1 has the same sum but other entries, and sorts between
        // them: 2 distinct, not 3.
        #expect(Self.distinct([[1, 0, 1], [0, 1, 0]], bias: [0, 0, 0]) == 2)
        // A huge weight in one unit does not make two different small units one.
        #expect(Self.distinct([[1e6, 0.001, 0.002], [0, 0.002, 0.001]], bias: [0, 0, 0]) == 3)
        // Permuted columns with one sum: all different.
        #expect(Self.distinct([[1, 0, 2], [2, 1, 0], [0, 2, 1]], bias: [0, 0, 0]) == 3)
    }
}
