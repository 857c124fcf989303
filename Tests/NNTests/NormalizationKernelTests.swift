import NN
import Testing

/// The BatchNorm and LayerNorm kernels (column strips, recomputed x − μ, blocked rows) against the
/// book-form loops they replaced, written out plainly in Swift: the same float and double
/// operations in the same order, so every output must match bit for bit — at widths below, at and
/// around the 16-column strip (where the last strip overlaps the one before it) and at batch sizes
/// around LayerNorm's 8-row block.
@Suite struct NormalizationKernelTests {
    static let widths = [1, 3, 15, 16, 17, 31, 33, 100, 130]
    static let batches = [1, 2, 3, 7, 9, 17, 100]

    /// Values spread over a few magnitudes per column, with a column offset, so means and variances
    /// differ between features; γ and β away from 1 and 0.
    static func values(_ count: Int, _ generator: inout SeededGenerator, scale: Float = 3) -> [Float] {
        (0..<count).map { i in (generator.nextUniform() - 0.4) * scale * Float(1 + i % 5) + Float(i % 7) * 0.25 }
    }

    /// The first index whose bits differ (or the shorter count), nil when every element matches.
    static func firstDifference(_ a: [Float], _ b: [Float]) -> Int? {
        firstDifference(a.map { UInt64($0.bitPattern) }, b.map { UInt64($0.bitPattern) })
    }

    static func firstDifference(_ a: [Double], _ b: [Double]) -> Int? {
        firstDifference(a.map(\.bitPattern), b.map(\.bitPattern))
    }

    static func firstDifference(_ a: [UInt64], _ b: [UInt64]) -> Int? {
        guard a.count == b.count else { return min(a.count, b.count) }
        return a.indices.first { a[$0] != b[$0] }
    }

    /// BatchNorm train mode as the book writes it: column sums in double row by row, xc = x − (float)μ,
    /// biased variance in double, std = (float)√(σ² + ε), xn = xc/std, out = γ·xn + β; backward
    /// dβ = Σ dout, dγ = Σ xn·dout, dstd = −Σ γ·dout·xc, /std², dvar = 0.5·dstd/std,
    /// dx = γ·dout/std + xc·(2/N)·dvar, then − Σdx/N.
    struct BatchNormReference {
        var mean: [Double], variance: [Double], std: [Float], out: [Float]
        var runningMean: [Float], runningVariance: [Float]
        var dgamma: [Float], dbeta: [Float], dx: [Float]

        init(
            x: [Float], dout: [Float], n: Int, d: Int, gamma: [Float], beta: [Float], momentum: Float,
            runningMean rm: [Float], runningVariance rv: [Float]
        ) {
            let eps = BatchNorm.epsilon
            mean = [Double](repeating: 0, count: d)
            variance = [Double](repeating: 0, count: d)
            for r in 0..<n { for j in 0..<d { mean[j] += Double(x[r * d + j]) } }
            for j in 0..<d { mean[j] /= Double(n) }
            var xc = [Float](repeating: 0, count: n * d)
            for r in 0..<n {
                for j in 0..<d {
                    let v = x[r * d + j] - Float(mean[j])
                    xc[r * d + j] = v
                    variance[j] += Double(v) * Double(v)
                }
            }
            std = [Float](repeating: 0, count: d)
            runningMean = rm
            runningVariance = rv
            for j in 0..<d {
                variance[j] /= Double(n)
                std[j] = Float((variance[j] + Double(eps)).squareRoot())
                runningMean[j] = momentum * rm[j] + (1 - momentum) * Float(mean[j])
                runningVariance[j] = momentum * rv[j] + (1 - momentum) * Float(variance[j])
            }
            var xn = [Float](repeating: 0, count: n * d)
            out = xn
            for r in 0..<n {
                for j in 0..<d {
                    let v = xc[r * d + j] / std[j]
                    xn[r * d + j] = v
                    out[r * d + j] = gamma[j] * v + beta[j]
                }
            }
            dgamma = [Float](repeating: 0, count: d)
            dbeta = dgamma
            var dstd = dgamma
            var dmu = dgamma
            var twoOverN = dgamma
            for r in 0..<n {
                for j in 0..<d {
                    let g = dout[r * d + j]
                    dbeta[j] += g
                    dgamma[j] += xn[r * d + j] * g
                    dstd[j] -= gamma[j] * g * xc[r * d + j]
                }
            }
            for j in 0..<d {
                dstd[j] /= std[j] * std[j]
                let dvar = 0.5 * dstd[j] / std[j]
                twoOverN[j] = (2 / Float(n)) * dvar
            }
            dx = [Float](repeating: 0, count: n * d)
            for r in 0..<n {
                for j in 0..<d {
                    let v = gamma[j] * dout[r * d + j] / std[j] + xc[r * d + j] * twoOverN[j]
                    dx[r * d + j] = v
                    dmu[j] += v
                }
            }
            for j in 0..<d { dmu[j] /= Float(n) }
            for i in 0..<(n * d) { dx[i] -= dmu[i % d] }
        }
    }

    static func batchNorm(features d: Int, _ generator: inout SeededGenerator) -> BatchNorm {
        let bn = BatchNorm(index: 1, features: d)
        for j in 0..<d {
            bn.gamma.value.pointer[j] = 1 + (generator.nextUniform() - 0.5) * 0.4
            bn.beta.value.pointer[j] = (generator.nextUniform() - 0.5) * 0.2
            bn.runningMean.pointer[j] = generator.nextUniform() - 0.5
            bn.runningVariance.pointer[j] = 0.5 + generator.nextUniform()
        }
        return bn
    }

    @Test(arguments: widths)
    func batchNormTrainModeMatchesTheBookLoopsBitForBit(_ d: Int) {
        var generator = SeededGenerator(seed: UInt64(d), stream: "bn-kernel")
        for n in Self.batches {
            let bn = Self.batchNorm(features: d, &generator)
            let x = Self.values(n * d, &generator)
            let dout = Self.values(n * d, &generator, scale: 1)
            let reference = BatchNormReference(
                x: x, dout: dout, n: n, d: d, gamma: bn.gamma.value.values, beta: bn.beta.value.values,
                momentum: bn.momentum, runningMean: bn.runningMean.values, runningVariance: bn.runningVariance.values)
            let input = Matrix(rows: n, cols: d, values: x)
            let out = bn.forward(input, mode: .train).values
            let dx = bn.backward(Matrix(rows: n, cols: d, values: dout)).values
            let shape = "n \(n), d \(d)"
            #expect(Self.firstDifference(out, reference.out) == nil, "out, \(shape)")
            #expect(Self.firstDifference(bn.batchMean, reference.mean) == nil, "μ, \(shape)")
            #expect(Self.firstDifference(bn.batchVariance, reference.variance) == nil, "σ², \(shape)")
            #expect(Self.firstDifference(bn.runningMean.values, reference.runningMean) == nil, "running μ, \(shape)")
            #expect(
                Self.firstDifference(bn.runningVariance.values, reference.runningVariance) == nil,
                "running σ², \(shape)")
            #expect(Self.firstDifference(bn.gamma.gradient.values, reference.dgamma) == nil, "dγ, \(shape)")
            #expect(Self.firstDifference(bn.beta.gradient.values, reference.dbeta) == nil, "dβ, \(shape)")
            #expect(Self.firstDifference(dx, reference.dx) == nil, "dx, \(shape)")
            #expect(input.values == x, "the input is read, not written, \(shape)")
        }
    }

    /// Eval mode: out = γ·((x − running μ)·(1/√(running σ² + ε))) + β, the scale in float, and the
    /// same numbers on a second call (the scale lives in the layer's scratch, reused).
    @Test(arguments: widths)
    func batchNormEvalModeMatchesTheBookLoopBitForBit(_ d: Int) {
        var generator = SeededGenerator(seed: UInt64(d), stream: "bn-eval")
        for n in Self.batches {
            let bn = Self.batchNorm(features: d, &generator)
            let x = Self.values(n * d, &generator)
            let g = bn.gamma.value.values
            let b = bn.beta.value.values
            let rm = bn.runningMean.values
            let rv = bn.runningVariance.values
            let scale = rv.map { 1 / ($0 + BatchNorm.epsilon).squareRoot() }
            let expected = (0..<(n * d)).map { i in
                let j = i % d
                return g[j] * ((x[i] - rm[j]) * scale[j]) + b[j]
            }
            let first = bn.forward(Matrix(rows: n, cols: d, values: x), mode: .eval).values
            #expect(Self.firstDifference(first, expected) == nil, "n \(n), d \(d)")
            let again = bn.forward(Matrix(rows: n, cols: d, values: x), mode: .eval).values
            #expect(Self.firstDifference(again, expected) == nil, "second call, n \(n), d \(d)")
            #expect(bn.runningMean.values == rm && bn.runningVariance.values == rv, "eval mode moves nothing")
        }
    }

    /// LayerNorm as the kernel's comment states it: per row, sums and squares in 8 interleaved double
    /// lanes added up in order, σ² = Σx²/d − μ² (clamped at 0), inv = (float)(1/√(σ² + ε)),
    /// xn = (x − (float)μ)·inv; backward dγ, dβ down the columns, mean(γ·dout) and mean(γ·dout·xn)
    /// in lanes, dx = (γ·dout − mean − xn·mean₂)·inv.
    @Test(arguments: widths)
    func layerNormMatchesTheRowLoopsBitForBit(_ d: Int) {
        var generator = SeededGenerator(seed: UInt64(d), stream: "ln-kernel")
        let lanes = 8
        func total(_ l: [Double]) -> Double { l.reduce(0, +) }
        for n in Self.batches {
            let ln = LayerNorm(index: 1, features: d)
            for j in 0..<d {
                ln.gamma.value.pointer[j] = 1 + (generator.nextUniform() - 0.5) * 0.4
                ln.beta.value.pointer[j] = (generator.nextUniform() - 0.5) * 0.2
            }
            let g = ln.gamma.value.values
            let b = ln.beta.value.values
            let x = Self.values(n * d, &generator)
            let dout = Self.values(n * d, &generator, scale: 1)
            var out = [Float](repeating: 0, count: n * d)
            var xn = out
            var dx = out
            var inv = [Float](repeating: 0, count: n)
            var dgamma = [Float](repeating: 0, count: d)
            var dbeta = dgamma
            for r in 0..<n {
                var sums = [Double](repeating: 0, count: lanes)
                var squares = sums
                for j in 0..<d {
                    let v = Double(x[r * d + j])
                    sums[j % lanes] += v
                    squares[j % lanes] += v * v
                }
                let mean = total(sums) / Double(d)
                let variance = max(0, total(squares) / Double(d) - mean * mean)
                inv[r] = Float(1.0 / (variance + Double(LayerNorm.epsilon)).squareRoot())
                for j in 0..<d {
                    let z = (x[r * d + j] - Float(mean)) * inv[r]
                    xn[r * d + j] = z
                    out[r * d + j] = g[j] * z + b[j]
                }
                var a = [Double](repeating: 0, count: lanes)
                var c = a
                for j in 0..<d {
                    let o = dout[r * d + j]
                    let z = xn[r * d + j]
                    dbeta[j] += o
                    dgamma[j] += z * o
                    let gg = g[j] * o
                    a[j % lanes] += Double(gg)
                    c[j % lanes] += Double(gg * z)
                }
                let meanG = Float(total(a) / Double(d))
                let meanGZ = Float(total(c) / Double(d))
                for j in 0..<d { dx[r * d + j] = (g[j] * dout[r * d + j] - meanG - xn[r * d + j] * meanGZ) * inv[r] }
            }
            let shape = "n \(n), d \(d)"
            let train = ln.forward(Matrix(rows: n, cols: d, values: x), mode: .train).values
            #expect(Self.firstDifference(train, out) == nil, "out, \(shape)")
            let back = ln.backward(Matrix(rows: n, cols: d, values: dout)).values
            #expect(Self.firstDifference(back, dx) == nil, "dx, \(shape)")
            #expect(Self.firstDifference(ln.gamma.gradient.values, dgamma) == nil, "dγ, \(shape)")
            #expect(Self.firstDifference(ln.beta.gradient.values, dbeta) == nil, "dβ, \(shape)")
            let eval = ln.forward(Matrix(rows: n, cols: d, values: x), mode: .eval).values
            #expect(Self.firstDifference(eval, out) == nil, "eval, \(shape)")
        }
    }
}
