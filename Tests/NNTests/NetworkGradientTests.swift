import NN
import Testing

/// Whole-network backprop against central differences: every parameter of a 3-hidden-layer net,
/// for each activation, with BatchNorm, Dropout (mask fixed) and weight decay.
@Suite struct NetworkGradientTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var activation: Activation
        var batchNorm = false
        var dropout: Float = 0
        var weightDecay: Float = 0
        var seed: UInt64 = 21
        var testDescription: String { "\(activation) bn=\(batchNorm) dropout=\(dropout) wd=\(weightDecay)" }
    }

    static let cases: [Case] = [
        Case(activation: .relu),
        Case(activation: .sigmoid),
        Case(activation: .tanh),
        Case(activation: .relu, weightDecay: 0.1),
        Case(activation: .tanh, batchNorm: true),
        Case(activation: .sigmoid, dropout: 0.3),
        Case(activation: .relu, batchNorm: true, dropout: 0.2, weightDecay: 0.05, seed: 54),
    ]

    @Test(arguments: cases)
    func threeHiddenLayers(_ c: Case) {
        let config = NetworkConfig(
            inputSize: 6, hidden: [5, 4, 5], outputSize: 3, activation: c.activation,
            initializer: .std(0.8), batchNorm: c.batchNorm, dropout: c.dropout,
            weightDecay: c.weightDecay)
        let net = Network(config: config, seed: c.seed)
        // Non-zero biases and BatchNorm β/γ, so every term of every gradient is exercised.
        for (i, p) in net.parameters.enumerated() where !p.isDecayed {
            let r = GradientCheck.random(p.value.rows, p.value.cols, seed: UInt64(100 + i), std: 0.3)
            for j in 0..<p.value.count { p.value.pointer[j] += r.pointer[j] }
        }
        let x = GradientCheck.random(4, 6, seed: 22)
        let labels: [Int32] = [0, 2, 1, 2]
        _ = net.loss(x, labels: labels, mode: .train)  // draws the dropout masks
        net.freezeDropoutMasks(true)
        if c.activation == .relu {
            #expect(Self.smallestReLUInput(net, x) > 0.05, "a ReLU input lies near its kink: pick another seed")
        }
        net.gradient(x, labels: labels)
        let analytic = net.parameters.map { ($0.name, $0.gradient.values, $0.value) }
        let hiddenBiases = Set((1...config.hidden.count).map { "b\($0)" })
        for (name, grad, value) in analytic {
            let loss = { net.loss(x, labels: labels, mode: .train) }
            let numeric = GradientCheck.numerical(of: value, loss: loss)
            // A ReLU input within h of 0 makes a central difference meaningless (the kink). Such a
            // point shows as disagreement between two step sizes; the seeds here avoid them.
            let halfStep = GradientCheck.numerical(of: value, step: GradientCheck.step / 2, loss: loss)
            #expect(
                GradientCheck.mismatch(halfStep, numeric) == nil,
                "\(c.testDescription) d\(name): non-smooth point, pick another seed")
            // A bias followed by BatchNorm has no effect on the output: its gradient is exactly 0.
            let zeroByMath = config.batchNorm && hiddenBiases.contains(name)
            GradientCheck.expectClose(grad, numeric, "\(c.testDescription) d\(name)", expectNonZero: !zeroByMath)
        }
    }

    /// The smallest |input| any ReLU sees in a train-mode pass (distance to the kink).
    static func smallestReLUInput(_ net: Network, _ x: Matrix) -> Float {
        var h = x
        var smallest = Float.infinity
        for layer in net.layers {
            if layer is ReLU { smallest = min(smallest, h.values.map(abs).min() ?? .infinity) }
            h = layer.forward(h, mode: .train)
        }
        return smallest
    }

    @Test func weightDecayAddsLambdaWToWeightsOnly() {
        let config = NetworkConfig(inputSize: 3, hidden: [4], outputSize: 2, initializer: .std(0.5), batchNorm: true)
        let a = Network(config: config, seed: 5)
        var decayed = config
        decayed.weightDecay = 0.25
        let b = Network(config: decayed, seed: 5)
        let x = GradientCheck.random(3, 3, seed: 6)
        let la = a.gradient(x, labels: [0, 1, 1])
        let lb = b.gradient(x, labels: [0, 1, 1])
        // loss grows by ½λΣW²
        let sumSq = b.affines.reduce(0.0) { $0 + $1.weight.value.sumOfSquares() }
        #expect(abs((lb - la) - 0.5 * 0.25 * sumSq) < 1e-6)
        for (pa, pb) in zip(a.parameters, b.parameters) {
            for i in 0..<pa.gradient.count {
                let expected = pa.gradient.pointer[i] + (pa.isDecayed ? 0.25 * pa.value.pointer[i] : 0)
                #expect(abs(pb.gradient.pointer[i] - expected) < 1e-6, "\(pa.name)[\(i)]")
            }
        }
    }
}
