/// The book's `gradient_check.py` for a whole network: backprop against central differences.
///
/// The network is Float32, so the book's h = 1e-4 (meant for Float64) would drown in rounding: the
/// loss is summed in Double, but every activation is rounded to Float32 (relative error ~6e-8 per
/// operation, a few hundred operations deep), so a loss of order 1 carries an absolute error of
/// about 1e-6, and a central difference with step h a rounding error of about 1e-6 / (2h) — 5e-3 at
/// h = 1e-4. With h = 1e-2 that error is 5e-5, and the truncation error h²/6·|f'''| about 2e-5.
/// The rule allows ten times that: a parameter passes when every element has
/// |backprop − numerical| ≤ 5e-4 + 2 % of the parameter's largest |numerical gradient|. A backprop
/// error of 5 % in a parameter fails it (the tests prove it with a gradient scaled by 1.05).
///
/// The numerical gradient is Richardson's extrapolation of the central differences at h and h/2,
/// (4·D(h/2) − D(h)) / 3, whose truncation error is O(h⁴) instead of D(h)'s O(h²): BatchNorm on a
/// batch of 3 is curved enough for D(h) alone to miss by a few per cent. Its rounding error is about
/// three times D(h)'s (1.5e-4), still under the 5e-4 allowed.
///
/// A ReLU input within h of its kink makes a central difference meaningless there. An element that
/// fails while D(h) and D(h/2) disagree by more than the allowance, or while the forward and
/// backward differences at h do (a kink both steps cross), is such a point: it is counted
/// (`nonSmooth`) and left out of the verdict instead of failing a correct backward pass. A wrong
/// gradient where the function is smooth has estimates that agree, and fails.
///
/// Known limit: where weights or hidden signals are as small as h (`--init 0.01`: ReLU inputs of
/// order 1e-3 that a step of a bias crosses; BatchNorm, whose loss is invariant to the scale s of
/// the weights before it, so its curvature grows as 1/s²) no Float32 difference is accurate and the
/// check can fail a correct backward pass at some seeds (`dlboard gradcheck` says so when it fails).
///
/// Dropout masks are drawn once and held fixed (`Network.freezeDropoutMasks`) for every forward
/// pass of the check, then released; BatchNorm runs in train mode (batch statistics), as in training.
public enum GradientCheck {
    /// The central-difference step.
    public static let step: Float = 1e-2
    /// The absolute part of the tolerance.
    public static let absoluteTolerance: Float = 5e-4
    /// The relative part: a fraction of the parameter's largest |numerical gradient|.
    public static let relativeTolerance: Float = 0.02

    /// The rule in one line, as `dlboard gradcheck` prints it.
    public static var toleranceDescription: String {
        "h = \(step) and h/2, Richardson-extrapolated (Float32 network; the book's 1e-4 is for Float64), pass if |backprop − numerical| ≤ "
            + "\(absoluteTolerance) + \(Int(relativeTolerance * 100)) % of the parameter's largest |numerical|"
    }

    /// The comparison for one parameter tensor.
    public struct ParameterResult: Sendable, Equatable {
        public var name: String
        public var count: Int
        public var meanAbsoluteDifference: Double
        public var maxAbsoluteDifference: Double
        /// max |a − n| / max(|a|, |n|, absoluteTolerance) over the elements (the floor keeps
        /// gradients that are zero by mathematics from dividing rounding noise by zero).
        public var maxRelativeError: Double
        /// The largest |diff| the rule allows for this parameter.
        public var allowed: Double
        /// Elements left out because the function is not smooth there (a ReLU kink within h).
        public var nonSmooth: Int
        public var passed: Bool
    }

    public struct Report: Sendable, Equatable {
        public var parameters: [ParameterResult]
        public init(parameters: [ParameterResult]) { self.parameters = parameters }
        public var passed: Bool { parameters.allSatisfy(\.passed) }
    }

    /// Checks every parameter of `network` on the batch `x`, `labels`. `adjustAnalytic` may alter a
    /// parameter's backprop gradient before the comparison (tests use it to prove a wrong gradient
    /// fails). Parameter values are restored; running BatchNorm statistics advance.
    public static func check(
        _ network: Network, x: Matrix, labels: [Int32],
        adjustAnalytic: (_ name: String, _ gradient: inout [Float]) -> Void = { _, _ in }
    ) -> Report {
        _ = network.loss(x, labels: labels, mode: .train)  // draws the dropout masks
        network.freezeDropoutMasks(true)
        defer { network.freezeDropoutMasks(false) }
        network.gradient(x, labels: labels)
        let analytic = network.parameters.map { p -> (String, [Float], Matrix) in
            var g = p.gradient.values
            adjustAnalytic(p.name, &g)
            return (p.name, g, p.value)
        }
        let loss = { network.loss(x, labels: labels, mode: .train) }
        let center = loss()
        return Report(
            parameters: analytic.map { name, grad, value in
                var bend = [Float](repeating: 0, count: value.count)
                let numeric = numerical(of: value, step: step, loss: loss) { i, up, down in
                    bend[i] = Float(abs(up + down - 2 * center) / Double(step))
                }
                return compare(
                    name: name, analytic: grad, numeric: numeric,
                    halfStep: numerical(of: value, step: step / 2, loss: loss), bend: bend)
            })
    }

    /// ∂loss/∂m for every element of `m`, by central differences; `m` is left as it was.
    /// `each` sees every element's index and its two losses, at +step and −step.
    public static func numerical(
        of m: Matrix, step: Float, loss: () -> Double, each: (Int, Double, Double) -> Void = { _, _, _ in }
    ) -> [Float] {
        var g = [Float](repeating: 0, count: m.count)
        for i in 0..<m.count {
            let saved = m.pointer[i]
            m.pointer[i] = saved + step
            let up = loss()
            m.pointer[i] = saved - step
            let down = loss()
            m.pointer[i] = saved
            each(i, up, down)
            g[i] = Float((up - down) / (2 * Double(step)))
        }
        return g
    }

    /// The rule applied to one parameter: `numeric` is D(h), `halfStep` D(h/2), `bend` (optional)
    /// |f(x+h) + f(x−h) − 2f(x)| / h, the gap between the forward and backward differences —
    /// h·|f''| where f is smooth, the slope's jump where a kink lies within h.
    public static func compare(
        name: String, analytic: [Float], numeric: [Float], halfStep: [Float], bend: [Float]? = nil
    ) -> ParameterResult {
        precondition(analytic.count == numeric.count && numeric.count == halfStep.count)
        let estimate = analytic.indices.map { (4 * Double(halfStep[$0]) - Double(numeric[$0])) / 3 }
        let scale = estimate.map(abs).max() ?? 0
        let allowed = Double(absoluteTolerance) + Double(relativeTolerance) * scale
        var sum = 0.0
        var maxDiff = 0.0
        var maxRelative = 0.0
        var nonSmooth = 0
        var failed = false
        for i in analytic.indices {
            let a = Double(analytic[i])
            let n = estimate[i]
            let d = abs(a - n)
            if !(d <= allowed) {
                let gap = max(abs(Double(halfStep[i]) - Double(numeric[i])), Double(bend?[i] ?? 0))
                if gap > allowed {
                    nonSmooth += 1
                    continue
                }
                failed = true
            }
            sum += d
            maxDiff = d.isNaN ? .nan : max(maxDiff, d)
            maxRelative = max(maxRelative, d / max(abs(a), abs(n), Double(absoluteTolerance)))
        }
        let checked = analytic.count - nonSmooth
        return ParameterResult(
            name: name, count: analytic.count, meanAbsoluteDifference: checked > 0 ? sum / Double(checked) : 0,
            maxAbsoluteDifference: maxDiff, maxRelativeError: maxRelative, allowed: allowed, nonSmooth: nonSmooth,
            passed: !failed && !maxDiff.isNaN && (checked > 0 || analytic.isEmpty))
    }
}
