import NN
import Testing

/// Backprop of each layer against central differences (tolerance in `GradientCheck`).
/// Each layer is checked through the scalar loss Σ layer(x) ⊙ R for a fixed random R, so the
/// upstream gradient is R and both ∂/∂x and ∂/∂parameters are checked.
@Suite struct LayerGradientTests {
    /// Checks ∂/∂x and ∂/∂(each parameter) of `layer` at input `x`.
    func check(
        _ layer: any Layer, input x: Matrix, outputCols: Int, seed: UInt64 = 99,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let probe = GradientCheck.random(x.rows, outputCols, seed: seed)
        let loss = { GradientCheck.project(layer.forward(x, mode: .train), probe) }
        _ = layer.forward(x, mode: .train)
        let dout = probe.copy()
        let dx = layer.backward(dout).values
        let params = layer.parameters.map { ($0.name, $0.gradient.values, $0.value) }
        GradientCheck.expectClose(
            dx, GradientCheck.numerical(of: x, loss: loss), "\(layer.name) dx",
            sourceLocation: sourceLocation)
        for (name, analytic, value) in params {
            GradientCheck.expectClose(
                analytic, GradientCheck.numerical(of: value, loss: loss), "\(layer.name) d\(name)",
                sourceLocation: sourceLocation)
        }
    }

    @Test func affine() {
        let layer = Affine(
            index: 1, weight: GradientCheck.random(5, 4, seed: 1), bias: GradientCheck.random(1, 4, seed: 2))
        check(layer, input: GradientCheck.random(3, 5, seed: 3), outputCols: 4)
    }

    @Test func relu() {
        // Inputs kept away from the kink at 0 (|x| ≥ 0.1 > h), where the derivative is undefined.
        let x = GradientCheck.random(4, 6, seed: 4)
        for i in 0..<x.count where abs(x.pointer[i]) < 0.1 { x.pointer[i] = x.pointer[i] < 0 ? -0.3 : 0.3 }
        check(ReLU(index: 1), input: x, outputCols: 6)
    }

    @Test func sigmoid() {
        check(Sigmoid(index: 1), input: GradientCheck.random(4, 6, seed: 5), outputCols: 6)
    }

    @Test func tanh() {
        check(Tanh(index: 1), input: GradientCheck.random(4, 6, seed: 6), outputCols: 6)
    }

    /// Batch 2 is excluded on purpose: with two rows every normalized value is ±1 whatever x is, so
    /// ∂out/∂x is 0 and the check would prove nothing.
    @Test(arguments: [3, 6])
    func batchNorm(batch: Int) {
        let bn = BatchNorm(index: 1, features: 4)
        // Non-trivial γ and β, so their gradients and the γ path of dx are exercised.
        let g = GradientCheck.random(1, 4, seed: 7, std: 0.5)
        for j in 0..<4 {
            bn.gamma.value.pointer[j] = 1 + g.pointer[j]
            bn.beta.value.pointer[j] = g.pointer[j]
        }
        check(bn, input: GradientCheck.random(batch, 4, seed: 8, std: 2), outputCols: 4)
    }

    /// Batch 1 and 2 included: unlike BatchNorm's, LayerNorm's output moves with its input at any
    /// batch size.
    @Test(arguments: [1, 2, 5])
    func layerNorm(batch: Int) {
        let ln = LayerNorm(index: 1, features: 5)
        let g = GradientCheck.random(1, 5, seed: 12, std: 0.5)
        for j in 0..<5 {
            ln.gamma.value.pointer[j] = 1 + g.pointer[j]
            ln.beta.value.pointer[j] = g.pointer[j]
        }
        check(ln, input: GradientCheck.random(batch, 5, seed: 13, std: 2), outputCols: 5)
    }

    @Test func dropoutWithFixedMask() {
        let d = Dropout(index: 1, ratio: 0.5, generator: SeededGenerator(seed: 9))
        let x = GradientCheck.random(4, 6, seed: 10)
        _ = d.forward(x, mode: .train)
        d.freezesMask = true
        #expect(
            d.mask.values.contains(0) && d.mask.values.contains(1), "the mask should drop some units and keep others")
        check(d, input: x, outputCols: 6)
    }

    @Test func invertedDropoutWithFixedMask() {
        let d = Dropout(index: 1, ratio: 0.4, generator: SeededGenerator(seed: 9), style: .inverted)
        let x = GradientCheck.random(4, 6, seed: 10)
        _ = d.forward(x, mode: .train)
        d.freezesMask = true
        #expect(Set(d.mask.values) == [0, 1 / Float(0.6)], "dropped units 0, kept ones scaled by 1/keep")
        check(d, input: x, outputCols: 6)
    }

    @Test func softmaxWithLoss() {
        let x = GradientCheck.random(3, 10, seed: 11, std: 2)
        let labels: [Int32] = [3, 0, 9]
        let layer = SoftmaxWithLoss()
        _ = layer.forward(x, labels: labels)
        let analytic = layer.backward().values
        let numeric = GradientCheck.numerical(of: x) { SoftmaxWithLoss().forward(x, labels: labels) }
        GradientCheck.expectClose(analytic, numeric, "SoftmaxWithLoss dx")
    }
}

@Suite struct GradientCheckerTests {
    /// The tolerance rule must be tight enough to catch a 5 % error in a gradient, or the gradient
    /// tests above could pass with a wrong backprop.
    @Test func rejectsAGradientOffByFivePercent() {
        let layer = Affine(index: 1, weight: GradientCheck.random(5, 4, seed: 1))
        let x = GradientCheck.random(3, 5, seed: 3)
        let probe = GradientCheck.random(3, 4, seed: 99)
        _ = layer.forward(x, mode: .train)
        _ = layer.backward(probe)
        let numeric = GradientCheck.numerical(of: layer.weight.value) {
            GradientCheck.project(layer.forward(x, mode: .train), probe)
        }
        let analytic = layer.weight.gradient.values
        #expect(GradientCheck.mismatch(analytic, numeric) == nil)
        #expect(GradientCheck.mismatch(analytic.map { $0 * 1.05 }, numeric) != nil)
        var oneWrong = analytic
        oneWrong[7] += 0.05 * (numeric.map(abs).max() ?? 0)
        #expect(GradientCheck.mismatch(oneWrong, numeric) != nil)
    }
}
