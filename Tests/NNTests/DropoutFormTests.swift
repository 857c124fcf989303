import Foundation
import Testing

@testable import NN

/// The two Dropout forms and the input Dropout: values worked out by hand, the expectation both
/// forms keep, the book's form unchanged, the input Dropout's place in the network, and how the
/// settings are validated and read back.
///
/// The hand-worked batch: seed 41's first mask (its key the generator's first word, 0xb78a7493cb0b326e)
/// has the uniforms 0.128, 0.687, 0.105, 0.773, 0.942, 0.043, so at ratio 0.5 (keep 0.5) the keep
/// mask is [0 1 0; 1 1 0]. With
/// x = [1 −2 3; 0.5 4 −1.5] and dout = [1 2 3; 4 5 6]:
///
/// | form | train out | test out | train dx |
/// |---|---|---|---|
/// | book | [0 −2 0; 0.5 4 0] | x · 0.5 = [0.5 −1 1.5; 0.25 2 −0.75] | [0 2 0; 4 5 0] |
/// | inverted | x · mask / 0.5 = [0 −4 0; 1 8 0] | x | [0 4 0; 8 10 0] |
@Suite struct DropoutFormTests {
    static let x: [Float] = [1, -2, 3, 0.5, 4, -1.5]
    static let dout: [Float] = [1, 2, 3, 4, 5, 6]

    static func close(_ a: [Float], _ b: [Float], _ tolerance: Float = 1e-6) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
    }

    @Test func seedFortyOneDrawsTheMaskOfTheWorkedExample() {
        var g = SeededGenerator(seed: 41)
        let key = g.next()
        #expect(key == 0xb78a_7493_cb0b_326e)
        let u = (0..<6).map { DropoutMaskTests.referenceUniform(key: key, index: $0) }
        #expect(u.map { $0 > 0.5 ? 1 : 0 } == [0, 1, 0, 1, 1, 0], "\(u)")
    }

    @Test func bookFormByHand() {
        let d = Dropout(index: 1, ratio: 0.5, generator: SeededGenerator(seed: 41), style: .book)
        let x = Matrix(rows: 2, cols: 3, values: Self.x)
        #expect(d.forward(x, mode: .train).values == [0, -2, 0, 0.5, 4, 0])
        #expect(d.mask.values == [0, 1, 0, 1, 1, 0])
        #expect(d.backward(Matrix(rows: 2, cols: 3, values: Self.dout)).values == [0, 2, 0, 4, 5, 0])
        #expect(d.forward(x, mode: .eval).values == [0.5, -1, 1.5, 0.25, 2, -0.75])
        #expect(d.name == "Dropout1" && d.style == .book)
    }

    @Test func invertedFormByHand() {
        let d = Dropout(index: 1, ratio: 0.5, generator: SeededGenerator(seed: 41), style: .inverted)
        let x = Matrix(rows: 2, cols: 3, values: Self.x)
        #expect(d.forward(x, mode: .train).values == [0, -4, 0, 1, 8, 0])
        #expect(d.mask.values == [0, 2, 0, 2, 2, 0], "the mask carries the 1/keep scale")
        #expect(d.backward(Matrix(rows: 2, cols: 3, values: Self.dout)).values == [0, 4, 0, 8, 10, 0])
        let test = d.forward(x, mode: .eval)
        #expect(test.values == Self.x, "test time is the identity")
        #expect(test !== x, "a copy in the layer's own buffer, as every layer returns")
    }

    /// A keep of 0.75 is not a power of two: the kept units are × 4/3 (to Float's precision).
    @Test func invertedFormAtAQuarter() {
        let d = Dropout(index: 2, ratio: 0.25, generator: SeededGenerator(seed: 41), style: .inverted)
        let x = Matrix(rows: 2, cols: 3, values: [3, -6, 1.5, 0.75, 3, -1.5])
        // 0.128, 0.105 and 0.043 < 0.25 are dropped too: the same mask [0 1 0; 1 1 0].
        let out = d.forward(x, mode: .train).values
        #expect(Self.close(out, [0, -8, 0, 1, 4, 0]), "\(out)")
        let book = Dropout(index: 2, ratio: 0.25, generator: SeededGenerator(seed: 41), style: .book)
        #expect(Self.close(book.forward(x, mode: .eval).values, [2.25, -4.5, 1.125, 0.5625, 2.25, -1.125]))
        #expect(d.forward(x, mode: .eval).values == x.values)
    }

    /// Both forms keep a unit's expectation: the mean of the train-time outputs over many masks is
    /// the test-time output, × (1 − ratio) in the book's form and × 1 inverted. The same seed
    /// draws the same masks in both forms, so inverted's train output is the book's / keep exactly.
    @Test(arguments: DropoutStyle.allCases, [Float(0.2), 0.5])
    func trainTimeMeanIsTheTestTimeOutput(_ style: DropoutStyle, _ ratio: Float) {
        let units = 50
        let x = Matrix(rows: 1, cols: units)
        for j in 0..<units { x.pointer[j] = Float(j - 20) / 10 }
        let d = Dropout(index: 1, ratio: ratio, generator: SeededGenerator(seed: 5), style: style)
        let draws = 20_000
        var sum = [Double](repeating: 0, count: units)
        for _ in 0..<draws {
            let out = d.forward(x, mode: .train)
            for j in 0..<units { sum[j] += Double(out.pointer[j]) }
        }
        let test = d.forward(x, mode: .eval).values
        let keep = Double(1 - ratio)
        let expected = x.values.map { Double($0) * (style == .book ? keep : 1) }
        for j in 0..<units {
            // 5 standard errors of the mean of a Bernoulli(keep) × |x|·scale.
            let scale = style == .book ? 1 : 1 / keep
            let sigma = abs(Double(x.pointer[j])) * scale * (keep * (1 - keep)).squareRoot()
            let mean = sum[j] / Double(draws)
            #expect(abs(mean - Double(test[j])) <= 5 * sigma / Double(draws).squareRoot() + 1e-6, "unit \(j)")
            #expect(abs(Double(test[j]) - expected[j]) < 1e-6)
        }
        let book = Dropout(index: 1, ratio: ratio, generator: SeededGenerator(seed: 9), style: .book)
        let inverted = Dropout(index: 1, ratio: ratio, generator: SeededGenerator(seed: 9), style: .inverted)
        let b = book.forward(x, mode: .train).values
        let i = inverted.forward(x, mode: .train).values
        #expect(Self.close(i, b.map { $0 / (1 - ratio) }))
    }

    /// The book's form is the default everywhere and draws by the book's keep-test.
    @Test func theBooksFormIsTheDefaultAndUnchanged() {
        #expect(NetworkConfig().dropoutStyle == .book && NetworkConfig().inputDropout == 0)
        let a = Dropout(index: 1, ratio: 0.3, generator: SeededGenerator(seed: 4))
        let b = Dropout(index: 1, ratio: 0.3, generator: SeededGenerator(seed: 4), style: .book)
        let x = GradientCheck.random(7, 9, seed: 1)
        // The book's keep-test on a counter-based stream: one generator word per mask is the key,
        // each unit's uniform a hash of it and the unit's index, kept when above the ratio.
        var reference = SeededGenerator(seed: 4)
        var expected: [Float] = []
        for _ in 0..<2 {
            let key = reference.next()
            expected = x.values.enumerated().map {
                DropoutMaskTests.referenceUniform(key: key, index: $0.offset) > 0.3 ? $0.element : 0
            }
            #expect(a.forward(x, mode: .train).values == expected)
        }
        #expect(a.generator == reference, "the same number of draws")
        _ = b.forward(x, mode: .train)
        #expect(b.forward(x, mode: .train).values == expected)
        #expect(Set(a.mask.values) == [0, 1])
        let config = NetworkConfig(inputSize: 6, hidden: [5, 4], outputSize: 3, dropout: 0.5)
        let net = Network(config: config, seed: 1)
        #expect(net.inputDropout == nil)
        #expect(net.layers.map(\.name).first == "Affine1", "no input Dropout unless asked for")
        #expect(net.dropouts.allSatisfy { $0.style == .book })
    }

    /// The input Dropout comes first, in the configured form, and hidden Dropouts switched on live
    /// (`setDropout`) take that form too.
    @Test func inputDropoutLeadsAndTheFormReachesEveryDropout() {
        let config = NetworkConfig(
            inputSize: 6, hidden: [5, 4], outputSize: 3, dropoutStyle: .inverted, inputDropout: 0.2)
        let net = Network(config: config, seed: 1)
        #expect(net.layers.map(\.name) == ["InputDropout", "Affine1", "ReLU1", "Affine2", "ReLU2", "Affine3"])
        #expect(net.inputDropout?.style == .inverted && net.inputDropout?.ratio == 0.2)
        net.setDropout(0.3)
        #expect(net.dropouts.map(\.style) == [.inverted, .inverted])
        #expect(net.layers.map(\.name).prefix(2) == ["InputDropout", "Affine1"])
        net.setBatchNorm(true)
        #expect(net.layers.first?.name == "InputDropout", "kept through a structure change")
        let copy = net.clone()
        #expect(copy.inputDropout !== net.inputDropout && copy.inputDropout?.generator == net.inputDropout?.generator)
        net.freezeDropoutMasks(true)
        #expect(net.inputDropout?.freezesMask == true && net.dropouts.allSatisfy(\.freezesMask))
        net.freezeDropoutMasks(false)
        #expect(net.inputDropout?.freezesMask == false)
    }

    /// With an input Dropout, the network computes what the same network without it computes on
    /// the masked pixels — every gradient equal, bit for bit — and the hidden layers' masks do not
    /// move (the input Dropout draws from its own stream). At test time it sees x · keep (book) or x
    /// (inverted).
    @Test(arguments: DropoutStyle.allCases)
    func inputDropoutFeedsTheMaskedPixels(_ style: DropoutStyle) {
        let with = NetworkConfig(
            inputSize: 8, hidden: [6, 5], outputSize: 4, activation: .tanh, dropout: 0.3, dropoutStyle: style,
            inputDropout: 0.4)
        var without = with
        without.inputDropout = 0
        let a = Network(config: with, seed: 3)
        let b = Network(config: without, seed: 3)
        let x = GradientCheck.random(5, 8, seed: 4)
        let labels: [Int32] = [0, 3, 1, 2, 2]
        let lossA = a.gradient(x, labels: labels)
        let mask = try! #require(a.inputDropout).mask
        #expect(mask.values.contains(0) && mask.values.contains { $0 > 0 })
        let masked = Matrix(rows: 5, cols: 8, values: zip(x.values, mask.values).map { $0 * $1 })
        let lossB = b.gradient(masked, labels: labels)
        #expect(lossA == lossB)
        #expect(a.parameters.map(\.gradient.values) == b.parameters.map(\.gradient.values))
        #expect(zip(a.dropouts, b.dropouts).allSatisfy { $0.mask.values == $1.mask.values })
        let keep: Float = style == .book ? 0.6 : 1
        let scaled = Matrix(rows: 5, cols: 8, values: x.values.map { $0 * keep })
        #expect(Self.close(a.predict(x, mode: .eval).values, b.predict(scaled, mode: .eval).values, 1e-5))
    }

    @Test func settingsAreValidatedAndNamed() {
        #expect(throws: ConfigError(.inputDropout, "must be in [0, 1), got 1.0")) {
            try NetworkConfig(inputDropout: 1).validate()
        }
        #expect(throws: ConfigError.self) { try NetworkConfig(inputDropout: -0.1).validate() }
        #expect(throws: ConfigError.self) { try NetworkConfig(inputDropout: .nan).validate() }
        #expect(ConfigError(.inputDropout, "x").message == "input dropout ratio: x")
        #expect((try? NetworkConfig(dropout: 0.5, dropoutStyle: .inverted, inputDropout: 0.2).validate()) != nil)
    }

    /// Written as `"dropoutStyle":"inverted"`, `"inputDropout":0.2`; a configuration from before
    /// (without them) reads as the book's form and no input Dropout.
    @Test func recordsCarryTheSettingsAndOldOnesRead() throws {
        var c = TrainingConfig()
        c.network.dropout = 0.5
        c.network.dropoutStyle = .inverted
        c.network.inputDropout = 0.2
        let text = try String(decoding: JSONEncoder().encode(c), as: UTF8.self)
        #expect(text.contains("\"dropoutStyle\":\"inverted\"") && text.contains("\"inputDropout\":0.2"), "\(text)")
        #expect(try JSONDecoder().decode(TrainingConfig.self, from: Data(text.utf8)) == c)
        var old = try JSONSerialization.jsonObject(with: JSONEncoder().encode(TrainingConfig())) as! [String: Any]
        var network = old["network"] as! [String: Any]
        network["dropoutStyle"] = nil
        network["inputDropout"] = nil
        old["network"] = network
        let decoded = try JSONDecoder().decode(TrainingConfig.self, from: JSONSerialization.data(withJSONObject: old))
        #expect(decoded == TrainingConfig())
        let bad = text.replacingOccurrences(of: "\"inverted\"", with: "\"sideways\"")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TrainingConfig.self, from: Data(bad.utf8)) }
    }

    /// The input Dropout's output and mask, one value per pixel of the larger of a batch and an
    /// evaluation chunk, counted only when it is on.
    @Test func memoryEstimateCountsTheInputDropout() {
        var c = TrainingConfig(batchSize: 100)
        let off = MemoryEstimate.bytes(for: c)
        c.network.inputDropout = 0.2
        let on = MemoryEstimate.bytes(for: c)
        #expect(on - off == 4 * 2 * Double(MemoryEstimate.evaluationChunk) * 784)
        c.network.dropoutStyle = .inverted
        #expect(MemoryEstimate.bytes(for: c) == on)
    }
}
