import Foundation
import NN
import Testing

/// LayerNorm against a hand computation, and what sets it apart from BatchNorm: each sample is
/// normalized over its own features, so the output of a row does not depend on the other rows, a
/// batch of one trains, and train and eval mode agree.
@Suite struct LayerNormTests {
    /// γ = [1, 2, 0.5], β = [0, 1, −1]. Row 1 x = [1, 2, 3]: μ 2, σ² 2/3; row 2 x = [2, 4, 6]: μ 4,
    /// σ² 8/3. Both normalize to xn = [−√1.5, 0, √1.5] (the same shape at twice the scale), so
    /// out = [−√1.5, 1, 0.5·√1.5 − 1] for each.
    static func layer() -> LayerNorm {
        let ln = LayerNorm(index: 1, features: 3)
        for (j, (g, b)) in [(Float(1), Float(0)), (2, 1), (0.5, -1)].enumerated() {
            ln.gamma.value.pointer[j] = g
            ln.beta.value.pointer[j] = b
        }
        return ln
    }

    static var x: Matrix { Matrix(rows: 2, cols: 3, values: [1, 2, 3, 2, 4, 6]) }
    static let root = Float(1.5).squareRoot()

    static func close(_ a: [Float], _ b: [Float], _ tolerance: Float = 1e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
    }

    @Test func forwardAsByHandInBothModes() {
        let ln = Self.layer()
        let row = [-Self.root, 1, 0.5 * Self.root - 1]
        let train = ln.forward(Self.x, mode: .train).values
        #expect(Self.close(train, row + row), "\(train)")
        #expect(ln.forward(Self.x, mode: .eval).values == train, "eval computes exactly what train does")
        // A row alone gives what it gave in the batch: no batch statistics, none running.
        #expect(ln.forward(Matrix(rows: 1, cols: 3, values: [2, 4, 6]), mode: .train).values == Array(train[3...]))
        #expect(ln.features == 3 && ln.name == "LayerNorm1")
        #expect(ln.parameters.map(\.name) == ["lnGamma1", "lnBeta1"])
    }

    /// dout = [[1, 0, 0], [0, 1, 1]]. dβ = Σ dout = [1, 1, 1]; dγ = Σ xn·dout = [−√1.5, 0, √1.5].
    /// Row 1: dxn = γ·dout = [1, 0, 0], mean 1/3, mean(dxn·xn) = −√1.5/3, so
    /// dx = (dxn − 1/3 + xn·√1.5/3)/√(2/3) = [1/6, −1/3, 1/6]/√(2/3).
    /// Row 2: dxn = [0, 2, 0.5], mean 5/6, mean(dxn·xn) = √1.5/6, so
    /// dx = (dxn − 5/6 − xn·√1.5/6)/√(8/3) = [−7/12, 7/6, −7/12]/√(8/3).
    @Test func backwardAsByHand() {
        let ln = Self.layer()
        _ = ln.forward(Self.x, mode: .train)
        let dx = ln.backward(Matrix(rows: 2, cols: 3, values: [1, 0, 0, 0, 1, 1])).values
        let s1 = Float(2.0 / 3).squareRoot()
        let s2 = Float(8.0 / 3).squareRoot()
        let row1: [Float] = [1.0 / 6, -1.0 / 3, 1.0 / 6].map { Float($0) / s1 }
        let row2: [Float] = [-7.0 / 12, 7.0 / 6, -7.0 / 12].map { Float($0) / s2 }
        let expected = row1 + row2
        #expect(Self.close(dx, expected), "\(dx) vs \(expected)")
        #expect(Self.close(ln.beta.gradient.values, [1, 1, 1]))
        #expect(Self.close(ln.gamma.gradient.values, [-Self.root, 0, Self.root]))
        // Each row's dx sums to 0: shifting a row's inputs together changes nothing.
        #expect(abs(dx[0..<3].reduce(0, +)) < 1e-6 && abs(dx[3..<6].reduce(0, +)) < 1e-6)
    }

    /// An eval-mode pass between a train-mode pass and its backward (an accuracy in between) leaves
    /// the backward that of the train-mode input.
    @Test func anEvalPassDoesNotDisturbTheBackward() {
        let ln = Self.layer()
        _ = ln.forward(Self.x, mode: .train)
        let dout = Matrix(rows: 2, cols: 3, values: [1, 0, 0, 0, 1, 1])
        let expected = ln.backward(dout).values
        _ = ln.forward(Self.x, mode: .train)
        _ = ln.forward(Matrix(rows: 5, cols: 3, values: (0..<15).map { Float($0 * $0) }), mode: .eval)
        #expect(ln.backward(dout).values == expected)
    }

    /// A batch of one: BatchNorm's output is β whatever the input (no variance); LayerNorm's still
    /// depends on it.
    @Test func aBatchOfOneStillCarriesTheInput() {
        let bn = BatchNorm(index: 1, features: 3)
        let ln = LayerNorm(index: 1, features: 3)
        let one = Matrix(rows: 1, cols: 3, values: [0.3, -1, 2])
        #expect(bn.forward(one, mode: .train).values.allSatisfy { $0 == 0 })
        let out = ln.forward(one, mode: .train).values
        #expect(Set(out).count == 3 && abs(out.reduce(0, +)) < 1e-5, "\(out)")
    }

    /// A constant row has no variance: it normalizes to 0 (ε keeps it finite), so the output is β.
    @Test func aConstantRowGivesBeta() {
        let ln = Self.layer()
        let out = ln.forward(Matrix(rows: 1, cols: 3, values: [5, 5, 5]), mode: .train).values
        #expect(out == [0, 1, -1])
        let dx = ln.backward(Matrix(rows: 1, cols: 3, values: [1, 2, 3])).values
        #expect(dx.allSatisfy { $0.isFinite })
    }

    /// Many features, not a multiple of the kernel's lanes, at a large offset: the row statistics
    /// match a plain double computation.
    @Test func wideRowsMatchAPlainComputation() {
        var g = SeededGenerator(seed: 5)
        let d = 101
        let values = (0..<(3 * d)).map { _ in 1000 + 3 * g.nextNormal() }
        let out = LayerNorm(index: 2, features: d).forward(Matrix(rows: 3, cols: d, values: values), mode: .eval)
        for r in 0..<3 {
            let row = values[(r * d)..<((r + 1) * d)].map(Double.init)
            let mean = row.reduce(0, +) / Double(d)
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(d)
            for j in 0..<d {
                let expected = (row[j] - mean) / (variance + 1e-6).squareRoot()
                #expect(abs(Double(out[r, j]) - expected) < 2e-3, "row \(r) unit \(j)")
            }
        }
    }
}

/// Where LayerNorm sits in the network, and the normalization as a setting.
@Suite struct LayerNormNetworkTests {
    let config = NetworkConfig(inputSize: 6, hidden: [5, 4], outputSize: 3, dropout: 0.5, normalization: .layer)

    @Test func itGoesWhereBatchNormGoes() {
        let net = Network(config: config, seed: 1)
        #expect(
            net.layers.map(\.name) == [
                "Affine1", "LayerNorm1", "ReLU1", "Dropout1", "Affine2", "LayerNorm2", "ReLU2", "Dropout2", "Affine3",
            ])
        #expect(
            net.parameters.map(\.name) == [
                "W1", "b1", "W2", "b2", "W3", "b3", "lnGamma1", "lnBeta1", "lnGamma2", "lnBeta2",
            ])
        #expect(net.batchNorms.isEmpty && net.layerNorms.map(\.features) == [5, 4])
        #expect(!net.config.batchNorm)
    }

    /// none → BatchNorm → LayerNorm → none, the dashboard's cycle: weights kept at every switch, each
    /// new normalization layer starts at γ 1, β 0, and the old one's parameters are gone.
    @Test func switchingKeepsWeightsAndStartsFreshLayers() {
        let net = Network(config: NetworkConfig(inputSize: 6, hidden: [5, 4], outputSize: 3), seed: 1)
        let w = net.affines.map { $0.weight.value.values }
        var seen: [Normalization] = []
        var n = net.config.normalization
        for _ in 0..<3 {
            n = n.next
            seen.append(n)
            net.setNormalization(n)
            #expect(net.affines.map { $0.weight.value.values } == w, "weights kept switching to \(n)")
            let gammas = net.parameters.filter { $0.name.lowercased().contains("gamma") }
            #expect(gammas.count == (n == .none ? 0 : 2))
            #expect(gammas.allSatisfy { $0.value.values.allSatisfy { $0 == 1 } })
            #expect(net.config.normalization == n)
        }
        #expect(seen == [.batch, .layer, .none])
        #expect(net.layers.map(\.name) == ["Affine1", "ReLU1", "Affine2", "ReLU2", "Affine3"])
    }

    @Test func reinitializeAndCloneCoverLayerNorm() {
        let net = Network(config: config, seed: 1)
        net.layerNorms[0].gamma.value.fill(3)
        let copy = net.clone()
        #expect(copy.layerNorms[0].gamma.value.values.allSatisfy { $0 == 3 })
        net.reinitialize(.he)
        #expect(net.layerNorms[0].gamma.value.values.allSatisfy { $0 == 1 })
        #expect(copy.layerNorms[0].gamma.value.values.allSatisfy { $0 == 3 }, "the copy is independent")
    }

    /// Batch-independent through the whole network: scores of a sample do not depend on the batch
    /// around it, in train mode too (Dropout off).
    @Test func theNetworkIsBatchIndependentInTrainMode() {
        let net = Network(
            config: NetworkConfig(inputSize: 6, hidden: [5, 4], outputSize: 3, normalization: .layer), seed: 2)
        var g = SeededGenerator(seed: 3)
        let batch = Matrix(rows: 4, cols: 6, values: (0..<24).map { _ in g.nextNormal() })
        let all = net.predict(batch, mode: .train).values
        let first = net.predict(Matrix(rows: 1, cols: 6, values: Array(batch.values[0..<6])), mode: .train).values
        #expect(first == Array(all[0..<3]))
    }

    @Test func parsesAndCycles() {
        #expect(Normalization(argument: "layer") == .layer && Normalization(argument: "BN") == .batch)
        #expect(Normalization(argument: "none") == Normalization.none && Normalization(argument: "group") == nil)
        #expect(Normalization.allCases.map(\.displayName) == ["none", "BatchNorm", "LayerNorm"])
        var c = NetworkConfig()
        c.normalization = .layer
        c.batchNorm = true
        #expect(c.normalization == .batch)
        c.batchNorm = false
        #expect(c.normalization == Normalization.none, "the book's switch off: no normalization")
    }

    /// Records from before the choice carry only `batchNorm`; new ones carry both, the switch for
    /// older readers.
    @Test func oldRecordsReadAndNewOnesCarryBoth() throws {
        func old(_ bn: Bool) -> Data {
            Data(
                #"{"inputSize":784,"hidden":[100],"outputSize":10,"activation":"relu","initializer":"he","batchNorm":\#(bn),"dropout":0,"weightDecay":0}"#
                    .utf8)
        }
        #expect(try JSONDecoder().decode(NetworkConfig.self, from: old(true)).normalization == .batch)
        #expect(try JSONDecoder().decode(NetworkConfig.self, from: old(false)).normalization == Normalization.none)
        let layer = NetworkConfig(hidden: [5], normalization: .layer)
        let data = try JSONEncoder().encode(layer)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""normalization":"layer""#) && text.contains(#""batchNorm":false"#), "\(text)")
        #expect(try JSONDecoder().decode(NetworkConfig.self, from: data) == layer)
    }

    /// The encoder is written by hand (it adds the `batchNorm` switch): every stored setting must
    /// be in it, so a setting added later cannot be left out of the records unnoticed.
    @Test func everyStoredSettingIsEncoded() throws {
        let data = try JSONEncoder().encode(NetworkConfig())
        let json = try JSONSerialization.jsonObject(with: data)
        let object = try #require(json as? [String: Any])
        for child in Mirror(reflecting: NetworkConfig()).children {
            let label = try #require(child.label)
            #expect(object[label] != nil, "\(label) is not encoded")
        }
    }
}
