import Foundation
import Testing

@testable import NN

/// Leaky ReLU, SoftPlus, the identity and the mean squared error, each against values worked out by
/// hand (forward and backward), and against central differences.
@Suite struct NewActivationAndLossTests {
    static func close(_ a: [Float], _ b: [Float], _ tolerance: Float = 1e-6) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
    }

    @Test func leakyReLUByHand() {
        let layer = LeakyReLU(index: 1, slope: 0.1)
        let out = layer.forward(Matrix(row: [2, -3, 0, 0.5]), mode: .train)
        #expect(out.values == [2, -0.3, 0, 0.5])
        // Slope 1 for positive inputs, 0.1 elsewhere (at exactly 0 too, as ReLU's mask x <= 0 says).
        let dx = layer.backward(Matrix(row: [1, 2, 3, 4]))
        #expect(Self.close(dx.values, [1, 0.2, 0.3, 4]), "\(dx.values)")
        #expect(layer.name == "LeakyReLU1" && layer.activation == .leakyReLU(slope: 0.1))
    }

    @Test func softPlusByHand() {
        let layer = SoftPlus(index: 2)
        let out = layer.forward(Matrix(row: [0, 1, -1, 30, -20]), mode: .train)
        // ln 2, ln(1 + e), ln(1 + 1/e), 30 (+ e^−30, below a Float's precision), e^−20 (≈ ln(1 + e^−20)).
        #expect(Self.close(out.values, [0.693_147_2, 1.313_261_7, 0.313_261_7, 30, 2.061_153_6e-9]), "\(out.values)")
        // sigmoid(x): ½, 0.731, 0.269, 1, e^−20 — tiny where the input is very negative, never NaN.
        let dx = layer.backward(Matrix(row: [1, 1, 1, 1, 1]))
        #expect(Self.close(dx.values, [0.5, 0.731_058_6, 0.268_941_4, 1, 2.061_153_6e-9]), "\(dx.values)")
        let huge = layer.forward(Matrix(row: [200, -200]), mode: .train).values
        #expect(huge[0] == 200 && huge[1] >= 0 && huge[1] < 1e-30, "no overflow: \(huge)")
    }

    /// The vectorized kernel against the exact values (in Double) over a sweep of 400,001 inputs
    /// from −100 to 100: the layer's output within 2 ulp and its slope within 3 ulp everywhere, as
    /// the kernel promises, so replacing libm changed nothing a training run could notice.
    @Test func softPlusKernelIsWithinTwoUlpOfTheExactValue() {
        let inputs = (0...400_000).map { Float(-100 + Double($0) / 2_000) } + [.nan, .infinity, -.infinity]
        let layer = SoftPlus(index: 1)
        let out = layer.forward(Matrix(row: inputs), mode: .train).values
        let slope = layer.backward(Matrix(row: [Float](repeating: 1, count: inputs.count))).values
        func ulps(_ a: Float, _ b: Float) -> Int {
            a == b ? 0 : Int(abs(Int64(a.bitPattern) - Int64(b.bitPattern)))
        }
        var worst = (out: 0, slope: 0)
        for (i, v) in inputs.enumerated() where v.isFinite {
            let x = Double(v)
            let exact = Float(max(x, 0) + log1p(exp(-abs(x))))
            let exactSlope = Float(1 / (1 + exp(-x)))
            // Below e^−87 the kernel's floor stands in for a value no sum can see.
            if exact > 1e-37 { worst.out = max(worst.out, ulps(out[i], exact)) }
            if exactSlope > 1e-37 { worst.slope = max(worst.slope, ulps(slope[i], exactSlope)) }
        }
        #expect(worst.out <= 2 && worst.slope <= 3, "worst ulps \(worst)")
        let n = inputs.count
        #expect(out[n - 3].isNaN && slope[n - 3].isNaN, "NaN stays NaN, so divergence is seen")
        #expect(out[n - 2] == .infinity && slope[n - 2] == 1 && out[n - 1] >= 0 && out[n - 1] < 1e-30)
    }

    @Test func identityByHand() {
        let layer = Identity(index: 3)
        let x = Matrix(row: [1.5, -2, 0])
        let out = layer.forward(x, mode: .train)
        #expect(out.values == [1.5, -2, 0])
        x.pointer[0] = 9
        #expect(layer.output.values[0] == 1.5, "the output is a copy, not the input's buffer")
        #expect(layer.backward(Matrix(row: [3, 4, 5])).values == [3, 4, 5])
    }

    /// Two rows, three classes. Row 1: z = (0, 0, ln 2) → y = (¼, ¼, ½), label 2:
    /// ½(¼² + ¼² + ½²) = 0.1875. Row 2: z = (ln 3, 0, 0) → y = (0.6, 0.2, 0.2), label 1:
    /// ½(0.6² + 0.8² + 0.2²) = 0.52. Mean 0.35375.
    /// Backward, g = (y − t)/2 and dz = y ⊙ (g − ⟨g, y⟩): row 1 g = (⅛, ⅛, −¼), ⟨g, y⟩ = −1/16, so
    /// dz = (0.046875, 0.046875, −0.09375); row 2 g = (0.3, −0.4, 0.1), ⟨g, y⟩ = 0.12, so
    /// dz = (0.108, −0.104, −0.004).
    @Test func meanSquaredErrorByHand() {
        let layer = SoftmaxWithLoss(loss: .meanSquaredError)
        let x = Matrix(rows: 2, cols: 3, values: [0, 0, Float(log(2.0)), Float(log(3.0)), 0, 0])
        let loss = layer.forward(x, labels: [2, 1])
        #expect(abs(loss - 0.35375) < 1e-6, "\(loss)")
        let dz = layer.backward().values
        #expect(Self.close(dz, [0.046875, 0.046875, -0.09375, 0.108, -0.104, -0.004]), "\(dz)")
        // Uniform over 10 classes: ½(0.9² + 9·0.1²) = 0.45, and no gradient at all through the softmax
        // is impossible only because the label's score must rise.
        let uniform = SoftmaxWithLoss(loss: .meanSquaredError)
        #expect(abs(uniform.forward(Matrix(rows: 2, cols: 10), labels: [3, 7]) - 0.45) < 1e-6)
    }

    @Test func meanSquaredErrorLearnsSlowerWhenConfidentlyWrong() {
        // The right class at probability ~e^−10: cross-entropy's gradient is ~−1 on its score, MSE's
        // carries the softmax's y(1 − y) and nearly vanishes — chapter 4's reason for cross-entropy.
        let x = Matrix(row: [10, 0, 0])
        let ce = SoftmaxWithLoss()
        _ = ce.forward(x, labels: [1])
        let mse = SoftmaxWithLoss(loss: .meanSquaredError)
        _ = mse.forward(x, labels: [1])
        let ceGradient = abs(ce.backward().values[1])
        let mseGradient = abs(mse.backward().values[1])
        #expect(ceGradient > 0.99 && mseGradient < 1e-3, "ce \(ceGradient) mse \(mseGradient)")
    }

    @Test(arguments: [Float(0.01), 0.5])
    func leakyReLUGradient(slope: Float) {
        // Inputs kept away from the kink at 0 (|x| ≥ 0.1 > h).
        let x = GradientCheck.random(4, 6, seed: 21)
        for i in 0..<x.count where abs(x.pointer[i]) < 0.1 { x.pointer[i] = x.pointer[i] < 0 ? -0.3 : 0.3 }
        Self.checkActivation(LeakyReLU(index: 1, slope: slope), x)
    }

    @Test func softPlusGradient() {
        Self.checkActivation(SoftPlus(index: 1), GradientCheck.random(4, 6, seed: 22, std: 3))
    }

    @Test func identityGradient() { Self.checkActivation(Identity(index: 1), GradientCheck.random(4, 6, seed: 23)) }

    @Test func meanSquaredErrorGradient() {
        let x = GradientCheck.random(3, 10, seed: 24, std: 2)
        let labels: [Int32] = [3, 0, 9]
        let layer = SoftmaxWithLoss(loss: .meanSquaredError)
        _ = layer.forward(x, labels: labels)
        let analytic = layer.backward().values
        let numeric = GradientCheck.numerical(of: x) {
            SoftmaxWithLoss(loss: .meanSquaredError).forward(x, labels: labels)
        }
        GradientCheck.expectClose(analytic, numeric, "MSE dx")
    }

    /// ∂/∂x through the scalar Σ layer(x) ⊙ R for a fixed random R.
    static func checkActivation(_ layer: any Layer, _ x: Matrix, sourceLocation: SourceLocation = #_sourceLocation) {
        let probe = GradientCheck.random(x.rows, x.cols, seed: 99)
        _ = layer.forward(x, mode: .train)
        let dx = layer.backward(probe.copy()).values
        let numeric = GradientCheck.numerical(of: x) { GradientCheck.project(layer.forward(x, mode: .train), probe) }
        GradientCheck.expectClose(dx, numeric, "\(layer.name) dx", sourceLocation: sourceLocation)
    }

    @Test func networkSwitchesTheLossBetweenSteps() {
        let config = NetworkConfig(inputSize: 8, hidden: [6], outputSize: 4)
        let net = Network(config: config, seed: 5)
        var g = SeededGenerator(seed: 5, stream: "batch")
        let x = Matrix(rows: 3, cols: 8)
        for i in 0..<x.count { x.pointer[i] = g.nextNormal() }
        let ce = net.loss(x, labels: [0, 1, 2], mode: .eval)
        net.setLoss(.meanSquaredError)
        #expect(net.config.loss == .meanSquaredError)
        let mse = net.loss(x, labels: [0, 1, 2], mode: .eval)
        #expect(mse < 1 && mse != ce, "ce \(ce) mse \(mse)")
        #expect(net.clone().loss(x, labels: [0, 1, 2], mode: .eval) == mse, "a clone keeps the loss")
    }
}

/// How the activations are spelled, stored and judged.
@Suite struct ActivationKindTests {
    @Test func parsesAndPrintsEverySpelling() {
        #expect(
            Activation.allCases.map(\.argument) == ["relu", "sigmoid", "tanh", "leaky-relu", "softplus", "identity"])
        for a in Activation.allCases { #expect(Activation(argument: a.argument) == a) }
        #expect(Activation(argument: "Leaky-ReLU") == .leakyReLU(slope: 0.01))
        #expect(Activation(argument: "leaky-relu:0.5") == .leakyReLU(slope: 0.5))
        #expect(Activation.leakyReLU(slope: 0.5).argument == "leaky-relu:0.5")
        #expect(Activation.leakyReLU(slope: 0.5).displayName == "Leaky ReLU 0.5")
        #expect(Activation(argument: "leaky-relu:x") == nil && Activation(argument: "elu") == nil)
    }

    @Test func theSlopeIsRangeChecked() {
        for bad: Float in [0, 1, -0.1, 2, .nan, .infinity] {
            let config = NetworkConfig(activation: .leakyReLU(slope: bad))
            #expect(throws: ConfigError.self) { try config.validate() }
            #expect((try? config.validate()) == nil)
            do { try config.validate() } catch { #expect(error.setting == .activation, "\(bad)") }
        }
        #expect((try? NetworkConfig(activation: .leakyReLU(slope: 0.99)).validate()) != nil)
    }

    @Test func cyclesEverySixKeepingItsPlaceForAnySlope() {
        var a = Activation.relu
        var seen: [Activation] = []
        for _ in 0..<6 {
            seen.append(a)
            a = a.cycled(by: 1)
        }
        #expect(seen == Activation.allCases && a == .relu)
        #expect(Activation.leakyReLU(slope: 0.3).cycled(by: 1) == .softplus)
        #expect(Activation.relu.cycled(by: -1) == .identity)
    }

    /// Records written before the new kinds keep reading: `relu`/`sigmoid`/`tanh` as before, and a
    /// network configuration without a loss is the cross-entropy it was trained with.
    @Test func oldRecordsReadAndNewOnesRoundTrip() throws {
        let old =
            #"{"inputSize":784,"hidden":[100],"outputSize":10,"activation":"tanh","initializer":"xavier","batchNorm":false,"dropout":0,"weightDecay":0}"#
        let config = try JSONDecoder().decode(NetworkConfig.self, from: Data(old.utf8))
        #expect(config.activation == .tanh && config.loss == .crossEntropy)
        let new = NetworkConfig(hidden: [5], activation: .leakyReLU(slope: 0.2), loss: .meanSquaredError)
        let data = try JSONEncoder().encode(new)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""activation":"leaky-relu:0.2""#) && text.contains(#""loss":"mse""#), "\(text)")
        #expect(try JSONDecoder().decode(NetworkConfig.self, from: data) == new)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(
                NetworkConfig.self, from: Data(old.replacingOccurrences(of: "tanh", with: "elu").utf8))
        }
    }

    static func run(_ scale: Float, _ a: Activation) -> [ActivationStatistics] {
        ActivationExperiment.run(scale: scale, activation: a, seed: 1)
    }

    /// The E3 experiment with the new kinds: He keeps Leaky ReLU and SoftPlus healthy, std 1 makes
    /// every unbounded kind explode, std 0.01 collapses them, and Leaky ReLU is never "dead".
    @Test func verdictsOfTheNewKinds() {
        let he = (2 / Float(100)).squareRoot()
        for a in [Activation.leakyReLU(slope: 0.01), .softplus] {
            #expect(ActivationStatistics.verdicts(Self.run(he, a)).allSatisfy { $0 == .healthy }, "\(a) with He")
        }
        #expect(ActivationStatistics.verdicts(Self.run(0.1, .identity)).allSatisfy { $0 == .healthy })
        for a in [Activation.leakyReLU(slope: 0.01), .softplus, .identity] {
            let std1 = ActivationStatistics.verdicts(Self.run(1, a))
            #expect(std1.dropFirst().allSatisfy { $0 == .exploding }, "\(a) std 1: \(std1)")
        }
        for a in [Activation.leakyReLU(slope: 0.01), .identity] {
            // ×0.1 a layer for the identity (√100 · 0.01): collapsed from the third layer on.
            #expect(Self.run(0.01, a).suffix(3).allSatisfy { $0.verdict == .collapsed }, "\(a) std 0.01")
        }
    }

    @Test func onlyReLUIsDeadAndOnlyBoundedOrFlatKindsSaturate() {
        // Every output negative: a dead ReLU layer would be all zeros; Leaky ReLU still passes them.
        var g = SeededGenerator(seed: 2)
        let negative = (0..<1000).map { _ in -abs(g.nextNormal()) - 0.5 }
        func stats(_ a: Activation, _ input: [Float]) -> ActivationStatistics {
            let layer = a.makeLayer(index: 1)
            let out = layer.forward(Matrix(rows: 10, cols: 100, values: input), mode: .eval)
            return ActivationStatistics(
                layer: layer.name, activation: a, values: UnsafeBufferPointer(out.buffer), bins: 10,
                range: a.histogramRange)
        }
        #expect(stats(.relu, negative).verdict == .dead)
        #expect(stats(.leakyReLU(slope: 0.5), negative).verdict == .healthy)
        #expect(stats(.leakyReLU(slope: 0.5), negative).saturatedFraction == 0)
        // Far below 0, SoftPlus is flat (slope < 0.01): saturated, as sigmoid's lower end is.
        let veryNegative = negative.map { $0 * 10 - 5 }
        #expect(stats(.softplus, veryNegative).verdict == .saturated)
        // The identity has no flat part however large its outputs.
        let large = negative.map { -$0 * 3 }
        #expect(stats(.identity, large).saturatedFraction == 0 && stats(.identity, large).verdict == .healthy)
    }
}
