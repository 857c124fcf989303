import NN
import Testing

/// Central-difference numerical gradients for Float32 code, and the comparison rule.
///
/// Tolerance, justified for Float32: the loss is accumulated in Double, but each forward pass rounds
/// every activation to Float32 (relative error ~6e-8 per operation, a few hundred operations deep),
/// so a loss of order 1 carries an absolute error of roughly 1e-6. With a step h = 1e-2 the
/// central difference then has a rounding error of about 1e-6 / (2h) = 5e-5, and a truncation
/// error of h²/6·|f'''| ≈ 2e-5 for the smooth functions used here. The rule below allows
/// `atol = 5e-4` (ten times that) plus 2 % of the tensor's largest numerical gradient, per element.
/// A backprop error of 5 % or more in any tensor fails it — `GradientCheckerTests` proves that
/// the rule rejects a gradient scaled by 1.05.
enum GradientCheck {
    static let step: Float = 1e-2
    static let absoluteTolerance: Float = 5e-4
    static let relativeTolerance: Float = 0.02

    /// ∂loss/∂m for every element of `m`, by central differences.
    /// (The engine's own central differences, the loop `dlboard gradcheck` runs.)
    static func numerical(of m: Matrix, step: Float = GradientCheck.step, loss: () -> Double) -> [Float] {
        NN.GradientCheck.numerical(of: m, step: step, loss: loss)
    }

    /// Whether `analytic` matches `numeric` under the tolerance rule; a description of the worst
    /// element otherwise.
    static func mismatch(_ analytic: [Float], _ numeric: [Float]) -> String? {
        precondition(analytic.count == numeric.count)
        let scale = numeric.map(abs).max() ?? 0
        let allowed = absoluteTolerance + relativeTolerance * scale
        var worst = 0
        var worstDiff: Float = -1
        for i in analytic.indices {
            let d = abs(analytic[i] - numeric[i])
            if !(d <= worstDiff) {
                worst = i
                worstDiff = d
            }
        }
        if worstDiff.isNaN || worstDiff > allowed {
            return
                "element \(worst): backprop \(analytic[worst]) vs numerical \(numeric[worst]) (|diff| \(worstDiff) > allowed \(allowed))"
        }
        return nil
    }

    /// Records a test issue naming `what` if the gradients disagree, or if the gradient is
    /// trivially zero (a check of zeros against zeros proves nothing).
    /// `expectNonZero: false` is for gradients that are zero by mathematics (a bias feeding BatchNorm).
    static func expectClose(
        _ analytic: [Float], _ numeric: [Float], _ what: String, expectNonZero: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        if let m = mismatch(analytic, numeric) {
            Issue.record("\(what): \(m)", sourceLocation: sourceLocation)
        }
        if expectNonZero {
            #expect(
                numeric.contains { abs($0) > 1e-4 }, "\(what): numerical gradient is all zero",
                sourceLocation: sourceLocation)
        }
    }

    /// A matrix of N(0, std²) values from a fixed seed.
    static func random(_ rows: Int, _ cols: Int, seed: UInt64, std: Float = 1) -> Matrix {
        var g = SeededGenerator(seed: seed)
        let m = Matrix(rows: rows, cols: cols)
        for i in 0..<m.count { m.pointer[i] = std * g.nextNormal() }
        return m
    }

    /// Σ out ⊙ probe, in Double: a scalar loss whose gradient with respect to `out` is `probe`.
    static func project(_ out: Matrix, _ probe: Matrix) -> Double {
        precondition(out.count == probe.count)
        var s = 0.0
        for i in 0..<out.count { s += Double(out.pointer[i]) * Double(probe.pointer[i]) }
        return s
    }
}
