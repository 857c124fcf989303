import Testing

@testable import NN

/// A BatchNorm or LayerNorm run fused with the activation after it (`ActivationFusing`) against the
/// two layers run one after the other: every output, gradient and statistic must match bit for bit,
/// and the activation layer must expose what its own forward would have left (its `output`, which
/// the histograms, the dead-unit count and the fused backward read). Widths below, at and around
/// BatchNorm's 16-column strip and batches around LayerNorm's 8-row block; γ of both signs and β
/// with exact ±0, so some pre-activations are exactly ±0 (a batch of one, a row of equal values) and
/// the activations' rule at 0 is exercised, which the test checks it is.
@Suite struct NormalizationFusionTests {
    static let widths = [1, 3, 15, 16, 17, 33, 100]
    static let batches = [1, 2, 3, 9, 17]
    static let activations: [Activation] = [.relu, .leakyReLU(slope: 0.1), .leakyReLU(slope: 0.01), .identity]

    static func bits(_ m: Matrix) -> [UInt32] { m.values.map(\.bitPattern) }
    static func bits(_ a: [Double]) -> [UInt64] { a.map(\.bitPattern) }

    /// γ of both signs, β with exact zeros of both signs among small values.
    static func setParameters(gamma: Matrix, beta: Matrix, _ generator: inout SeededGenerator) {
        for j in 0..<gamma.count {
            gamma.pointer[j] = (j % 3 == 2 ? -1 : 1) * (0.5 + generator.nextUniform())
            beta.pointer[j] = j % 4 == 0 ? 0 : j % 4 == 1 ? -0.0 : (generator.nextUniform() - 0.5) * 0.4
        }
    }

    /// Random values; every third row (from the second) all one value, so LayerNorm's xn is exactly 0 there.
    static func input(rows n: Int, cols d: Int, _ generator: inout SeededGenerator) -> Matrix {
        let m = Matrix(rows: n, cols: d)
        for r in 0..<n {
            let flat = r % 3 == 1
            let c = generator.nextUniform() * 2 - 1
            for j in 0..<d { m[r, j] = flat ? c : (generator.nextUniform() - 0.4) * 3 * Float(1 + j % 5) }
        }
        return m
    }

    /// A gradient with some exact zeros among values of both signs.
    static func gradient(rows n: Int, cols d: Int, _ generator: inout SeededGenerator) -> Matrix {
        let m = Matrix(rows: n, cols: d)
        for i in 0..<m.count { m.pointer[i] = i % 7 == 3 ? 0 : generator.nextUniform() - 0.5 }
        return m
    }

    static func fusable(_ activation: Activation) -> any FusableActivation {
        activation.makeLayer(index: 1) as! any FusableActivation
    }

    /// One normalization kind's layer pair, twice: run apart (`reference`) and fused (`fused`).
    struct Pair {
        var reference: any ActivationFusing
        var fused: any ActivationFusing

        init(_ normalization: Normalization, features d: Int, _ generator: inout SeededGenerator) {
            switch normalization {
            case .batch:
                let bn = BatchNorm(index: 1, features: d)
                setParameters(gamma: bn.gamma.value, beta: bn.beta.value, &generator)
                for j in 0..<d {
                    bn.runningMean.pointer[j] = generator.nextUniform() - 0.5
                    bn.runningVariance.pointer[j] = 0.5 + generator.nextUniform()
                }
                reference = bn
                fused = bn.clone() as! BatchNorm
            case .layer, .none:
                let ln = LayerNorm(index: 1, features: d)
                setParameters(gamma: ln.gamma.value, beta: ln.beta.value, &generator)
                reference = ln
                fused = ln.clone() as! LayerNorm
            }
        }
    }

    /// What a normalization layer leaves that the fused run must leave too: its parameters'
    /// gradients and, for BatchNorm, the batch and running statistics.
    static func state(_ layer: any ActivationFusing) -> [[UInt64]] {
        var s = layer.parameters.map { $0.gradient.values.map { UInt64($0.bitPattern) } }
        if let bn = layer as? BatchNorm {
            s += [bits(bn.batchMean), bits(bn.batchVariance)]
            s += [bn.runningMean, bn.runningVariance].map { $0.values.map { UInt64($0.bitPattern) } }
        }
        return s
    }

    @Test(arguments: [Normalization.batch, .layer], activations)
    func fusedLayersGiveTheBitsOfTheTwoLayers(_ normalization: Normalization, _ activation: Activation) {
        var generator = SeededGenerator(seed: 17, stream: "fusion \(normalization) \(activation.argument)")
        var zeroPreActivations = 0
        for d in Self.widths {
            for n in Self.batches {
                let shape = "\(normalization) \(activation.argument) n \(n) d \(d)"
                let pair = Pair(normalization, features: d, &generator)
                let x = Self.input(rows: n, cols: d, &generator)
                let dout = Self.gradient(rows: n, cols: d, &generator)
                let apart = Self.fusable(activation)
                let together = Self.fusable(activation)

                let pre = pair.reference.forward(x, mode: .train)
                zeroPreActivations += pre.values.filter { $0 == 0 }.count
                let expected = apart.forward(pre, mode: .train)
                let out = pair.fused.forward(x, mode: .train, through: together)
                #expect(out === together.output, "the fused forward returns the activation's output, \(shape)")
                #expect(Self.bits(together.output) == Self.bits(expected), "activation output, \(shape)")

                let doutFused = dout.copy()
                let dx = pair.reference.backward(apart.backward(dout.copy()))
                let dxFused = pair.fused.backward(doutFused, through: together)
                #expect(Self.bits(dxFused) == Self.bits(dx), "dx, \(shape)")
                #expect(Self.state(pair.fused) == Self.state(pair.reference), "dγ, dβ, statistics, \(shape)")
                #expect(Self.bits(doutFused) == Self.bits(dout), "the incoming gradient is read, not written, \(shape)")
                #expect(Self.bits(together.output) == Self.bits(expected), "backward leaves the output, \(shape)")

                let evalExpected = apart.forward(pair.reference.forward(x, mode: .eval), mode: .eval)
                let evalOut = pair.fused.forward(x, mode: .eval, through: together)
                #expect(Self.bits(evalOut) == Self.bits(evalExpected), "eval mode, \(shape)")
                #expect(Self.state(pair.fused) == Self.state(pair.reference), "eval moves nothing, \(shape)")
            }
        }
        #expect(zeroPreActivations > 0, "some pre-activations are exactly 0, so the rule at 0 is tested")
    }

    /// A network trained a few steps with and without fusion: the same losses, gradients, activation
    /// outputs (what the histograms read), layer statistics and eval scores, to the bit.
    @Test(arguments: [Normalization.batch, .layer], activations + [.sigmoid])
    func networksTrainTheSameWithAndWithoutFusion(_ normalization: Normalization, _ activation: Activation) {
        var config = NetworkConfig(
            inputSize: 13, hidden: [17, 5, 33], outputSize: 7, activation: activation, initializer: .he)
        config.normalization = normalization
        config.dropout = 0.2
        let fused = Network(config: config, seed: 3)
        let apart = Network(config: config, seed: 3)
        apart.fusesActivations = false
        let fusedStages = fused.stages.filter { if case .fused = $0 { true } else { false } }.count
        #expect(fusedStages == (activation == .sigmoid ? 0 : 3), "one fused stage per hidden layer")
        #expect(apart.stages.count == apart.layers.count, "without fusion every layer is a stage")

        var generator = SeededGenerator(seed: 4, stream: "fusion network")
        for step in 0..<3 {
            let n = [9, 1, 17][step]
            let x = Self.input(rows: n, cols: 13, &generator)
            let labels = (0..<n).map { _ in Int32(generator.nextUniform() * 7) % 7 }
            let weightsBefore = fused.affines.map { $0.weight.value.copy() }
            let loss = fused.gradient(x, labels: labels)
            #expect(loss.bitPattern == apart.gradient(x, labels: labels).bitPattern, "loss, step \(step)")
            for (p, q) in zip(fused.parameters, apart.parameters) {
                #expect(p.name == q.name && Self.bits(p.gradient) == Self.bits(q.gradient), "d\(p.name), step \(step)")
            }
            for (a, b) in zip(fused.activations, apart.activations) {
                #expect(Self.bits(a.output) == Self.bits(b.output), "\(a.name) output, step \(step)")
            }
            #expect(
                fused.displayActivationStatistics() == apart.displayActivationStatistics(),
                "activation statistics, step \(step)")
            for (p, q) in zip(fused.parameters, apart.parameters) {
                for i in 0..<p.value.count {
                    p.value.pointer[i] -= 0.1 * p.gradient.pointer[i]
                    q.value.pointer[i] -= 0.1 * q.gradient.pointer[i]
                }
            }
            let statistics = fused.layerStatistics(weightsBefore: weightsBefore)
            #expect(statistics == apart.layerStatistics(weightsBefore: weightsBefore), "layer statistics, step \(step)")
        }
        let x = Self.input(rows: 5, cols: 13, &generator)
        #expect(Self.bits(fused.predict(x)) == Self.bits(apart.predict(x)), "eval scores")
        for (a, b) in zip(fused.activations, apart.activations) {
            #expect(Self.bits(a.output) == Self.bits(b.output), "\(a.name) output after eval")
        }
        #expect(fused.clone().stages.count == fused.stages.count, "a clone fuses as the original")
        #expect(apart.clone().fusesActivations == false, "a clone keeps the setting")
    }

    /// The switches rebuild the stages: a normalization switched off or an activation switched to
    /// one that does not fuse leaves no fused stage, and switching back fuses again.
    @Test func switchesRebuildTheFusedStages() {
        var config = NetworkConfig(inputSize: 4, hidden: [6, 6], outputSize: 3, activation: .relu, initializer: .he)
        config.normalization = .batch
        let net = Network(config: config, seed: 1)
        func fusedCount() -> Int { net.stages.filter { if case .fused = $0 { true } else { false } }.count }
        #expect(fusedCount() == 2)
        net.setActivation(.tanh)
        #expect(fusedCount() == 0)
        net.setActivation(.leakyReLU(slope: 0.2))
        #expect(fusedCount() == 2)
        net.setNormalization(.none)
        #expect(fusedCount() == 0)
        net.setNormalization(.layer)
        #expect(fusedCount() == 2)
        net.fusesActivations = false
        #expect(fusedCount() == 0)
    }
}
