import Foundation
import NN
import Testing

/// The book's conventions that a gradient check cannot see: train/eval behaviour, defaults,
/// initial scales.
@Suite struct LayerSemanticsTests {
    @Test func uniformScoresGiveLnTen() {
        let loss = SoftmaxWithLoss().forward(Matrix(rows: 2, cols: 10), labels: [3, 7])
        #expect(abs(loss - log(10)) < 1e-6)  // −log(0.1 + 1e-7) = 2.302584
    }

    @Test func softmaxIsStableForHugeScores() {
        let y = Matrix(rows: 0, cols: 0)
        SoftmaxWithLoss.softmax(Matrix(row: [1000, 1000, -1000]), into: y)
        #expect(y.values == [0.5, 0.5, 0])
    }

    @Test func batchNormTrainAndEvalAsTheBook() {
        // Two features, batch of 4: x₁ = [1, 2, 3, 4] (μ 2.5, σ² 1.25), x₂ = [10, 10, 10, 14] (μ 11, σ² 3).
        let bn = BatchNorm(index: 1, features: 2)
        let x = Matrix(rows: 4, cols: 2, values: [1, 10, 2, 10, 3, 10, 4, 14])
        let out = bn.forward(x, mode: .train)
        let expected1 = [1, 2, 3, 4].map { (Float($0) - 2.5) / (1.25 + 1e-6).squareRoot() }
        for r in 0..<4 { #expect(abs(out[r, 0] - expected1[r]) < 1e-5) }
        #expect(abs(out[3, 1] - 3 / (3 + 1e-6).squareRoot()) < 1e-5)
        // Running statistics start at 0 and move by 10 %.
        #expect(abs(bn.runningMean[0, 0] - 0.25) < 1e-6 && abs(bn.runningMean[0, 1] - 1.1) < 1e-6)
        #expect(abs(bn.runningVariance[0, 0] - 0.125) < 1e-7 && abs(bn.runningVariance[0, 1] - 0.3) < 1e-7)
        // Eval uses them: (x − 0.25)/√(0.125 + 1e-6) for feature 1.
        let e = bn.forward(Matrix(rows: 1, cols: 2, values: [1, 1.1]), mode: .eval)
        #expect(abs(e[0, 0] - 0.75 / (0.125 + 1e-6).squareRoot()) < 1e-4)
        #expect(abs(e[0, 1]) < 1e-6)
        #expect(bn.gamma.value.values == [1, 1] && bn.beta.value.values == [0, 0])
    }

    @Test func dropoutIsNotInverted() {
        let d = Dropout(index: 1, ratio: 0.25, generator: SeededGenerator(seed: 3))
        let x = Matrix(rows: 100, cols: 100)
        x.fill(2)
        let train = d.forward(x, mode: .train).values
        #expect(Set(train) == [0, 2], "kept units are not rescaled")
        let dropped = Double(train.filter { $0 == 0 }.count) / 10000
        #expect(abs(dropped - 0.25) < 0.02)
        #expect(Set(d.forward(x, mode: .eval).values) == [1.5], "eval scales by 1 − ratio")
    }

    @Test func reluPassesNoGradientAtZero() {
        let r = ReLU(index: 1)
        _ = r.forward(Matrix(row: [-1, 0, 2]), mode: .train)
        #expect(r.backward(Matrix(row: [5, 5, 5])).values == [0, 0, 5])
    }

    @Test(arguments: [
        (Initializer.he, 784, (2.0 / 784).squareRoot()), (.xavier, 100, 0.1), (.he, 100, 0.1414214),
        (.std(0.01), 100, 0.01),
    ])
    func initialScales(_ initializer: Initializer, fanIn: Int, std: Double) {
        var g = SeededGenerator(seed: 12)
        let w = Matrix(rows: fanIn, cols: 200)
        initializer.fill(w, generator: &g)
        let v = w.values.map(Double.init)
        let mean = v.reduce(0, +) / Double(v.count)
        let sd = (v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count)).squareRoot()
        #expect(abs(mean) < 0.02 * std * 10)
        #expect(abs(sd / std - 1) < 0.02, "std \(sd) vs \(std)")
    }

    @Test func parsesInitializerArguments() {
        #expect(Initializer(argument: "He") == .he && Initializer(argument: "relu") == .he)
        #expect(Initializer(argument: "xavier") == .xavier && Initializer(argument: "sigmoid") == .xavier)
        #expect(Initializer(argument: "0.01") == .std(0.01))
        #expect(
            Initializer(argument: "-1") == nil && Initializer(argument: "nan") == nil
                && Initializer(argument: "big") == nil)
    }
}

@Suite struct NetworkStructureTests {
    let config = NetworkConfig(inputSize: 6, hidden: [5, 4], outputSize: 3, batchNorm: true, dropout: 0.5)

    @Test func layerOrderAndParameterNamesAreTheBooks() {
        let net = Network(config: config, seed: 1)
        #expect(
            net.layers.map(\.name) == [
                "Affine1", "BatchNorm1", "ReLU1", "Dropout1",
                "Affine2", "BatchNorm2", "ReLU2", "Dropout2", "Affine3",
            ])
        #expect(
            net.parameters.map(\.name) == ["W1", "b1", "W2", "b2", "W3", "b3", "gamma1", "beta1", "gamma2", "beta2"])
        #expect(net.parameterCount == 6 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3 + 2 * (5 + 4))
    }

    @Test func togglingBatchNormAndDropoutKeepsWeights() {
        let net = Network(config: config, seed: 1)
        let w = net.affines.map { $0.weight.value.values }
        net.setBatchNorm(false)
        net.setDropout(0)
        #expect(net.layers.map(\.name) == ["Affine1", "ReLU1", "Affine2", "ReLU2", "Affine3"])
        #expect(net.affines.map { $0.weight.value.values } == w)
        net.setBatchNorm(true)
        #expect(
            net.batchNorms.allSatisfy {
                $0.gamma.value.values.allSatisfy { $0 == 1 } && $0.runningMean.values.allSatisfy { $0 == 0 }
            })
        net.setDropout(0.2)
        #expect(net.dropouts.map(\.ratio) == [0.2, 0.2] && net.config.dropout == 0.2)
        #expect(net.layers.count == 9)
        #expect(net.affines.map { $0.weight.value.values } == w)
    }

    @Test func reinitializeDrawsNewWeightsAndResetsBiases() {
        let net = Network(config: config, seed: 1)
        let w = net.affines[1].weight.value.values
        net.affines[1].bias.value.fill(3)
        net.reinitialize(.std(0.01))
        #expect(net.affines[1].weight.value.values != w)
        #expect(net.affines[1].bias.value.values.allSatisfy { $0 == 0 })
        #expect(net.affines[1].weight.value.values.map(abs).max()! < 0.06)
        #expect(net.config.initializer == .std(0.01))
        // Two networks with one seed re-initialize identically.
        let twin = Network(config: config, seed: 1)
        twin.reinitialize(.std(0.01))
        #expect(twin.affines[1].weight.value.values == net.affines[1].weight.value.values)
    }

    @Test func activationStatisticsByHand() {
        // Values 0, 0, 0.1, 0.5, 0.95, 1.5 in 2 bins over [0, 1]: [0, 0.5) → 3, [0.5, 1] → 2, overflow 1.
        let values: [Float] = [0, 0, 0.1, 0.5, 0.95, 1.5]
        let s = values.withUnsafeBufferPointer {
            ActivationStatistics(layer: "ReLU1", activation: .relu, values: $0, bins: 2, range: 0...1)
        }
        #expect(s.bins == [3, 2] && s.overflow == 1 && s.underflow == 0 && s.count == 6)
        #expect(abs(s.zeroFraction - 2.0 / 6) < 1e-6)
        #expect(abs(s.mean - 3.05 / 6) < 1e-6)
        let sig: [Float] = [0.001, 0.5, 0.995, 0.7]
        let t = sig.withUnsafeBufferPointer {
            ActivationStatistics(layer: "Sigmoid1", activation: .sigmoid, values: $0, bins: 4, range: 0...1)
        }
        #expect(t.saturatedFraction == 0.5 && t.zeroFraction == 0)
    }

    @Test func tinyInitCollapsesReLUActivationsAndHeKeepsThemSpread() {
        // The book's E3 in miniature: deep ReLU layers at std 0.01 shrink towards 0; He keeps the scale.
        let x = Matrix(rows: 200, cols: 100)
        var g = SeededGenerator(seed: 2)
        for i in 0..<x.count { x.pointer[i] = g.nextNormal() }
        func lastStd(_ initializer: Initializer) -> Float {
            let net = Network(
                config: NetworkConfig(inputSize: 100, hidden: [100, 100, 100, 100, 100], initializer: initializer),
                seed: 3)
            _ = net.predict(x, mode: .eval)
            return net.activationStatistics().last!.standardDeviation
        }
        #expect(lastStd(.std(0.01)) < 1e-4)  // each layer shrinks the scale ~15×
        #expect(lastStd(.he) > 0.2)
    }
}

@Suite struct VerdictTests {
    func stats(_ activation: Activation, _ values: [Float]) -> ActivationStatistics {
        values.withUnsafeBufferPointer {
            ActivationStatistics(
                layer: "L", activation: activation, values: $0, bins: 10, range: activation.histogramRange)
        }
    }

    @Test func nonFiniteOutputsOfADivergedNetworkAreCountedNotTrapped() {
        let s = stats(.relu, [0.5, .nan, .infinity, -.infinity, 0.25])
        #expect(s.overflow == 3 && s.bins.reduce(0, +) == 2)
        #expect(s.mean == 0.375, "moments of the finite values only")
        // The display statistics of a network whose outputs blew up: finite ranges, no trap.
        let net = Network(config: NetworkConfig(inputSize: 4, hidden: [3, 3], outputSize: 2), seed: 1)
        let x = Matrix(rows: 2, cols: 4)
        for i in 0..<x.count { x.pointer[i] = i % 2 == 0 ? .greatestFiniteMagnitude : .nan }
        _ = net.predict(x, mode: .train)
        let display = net.displayActivationStatistics()
        #expect(display.count == 2 && display.allSatisfy { $0.range.upperBound.isFinite })
    }

    @Test func readingsOfTheBooksCases() {
        #expect(stats(.relu, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.5]).verdict == .dead)
        #expect(stats(.relu, [0.001, 0.002, 0, 0.001]).verdict == .collapsed)
        #expect(stats(.relu, [0, 0.3, 1.2, 0.7, 0, 0.1]).verdict == .healthy)
        #expect(stats(.sigmoid, [0.001, 0.999, 0.002, 0.998, 0.5]).verdict == .saturated)
        #expect(stats(.sigmoid, [0.5, 0.501, 0.499, 0.5]).verdict == .collapsed)
        #expect(stats(.tanh, [-0.5, 0.2, 0.7, -0.1]).verdict == .healthy)
    }
}
