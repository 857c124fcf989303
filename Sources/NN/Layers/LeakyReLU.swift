/// `out = x` where `x > 0`, `slope · x` elsewhere; backward passes the gradient where the output is
/// positive and scales it by `slope` elsewhere. With 0 < slope the output has the input's sign, so
/// the output is all backward needs (at exactly 0 the slope is used, as ReLU's mask `x <= 0` does).
/// No unit can die: a negative input still carries `slope` of the gradient.
public final class LeakyReLU: ActivationLayer, FusableActivation {
    public let index: Int
    public let slope: Float
    public var name: String { "LeakyReLU\(index)" }
    public let output = Matrix(rows: 0, cols: 0)
    public var activation: Activation { .leakyReLU(slope: slope) }

    public init(index: Int, slope: Float = Activation.defaultLeakySlope) {
        precondition(slope > 0 && slope < 1, "Leaky ReLU slope must be in (0, 1)")
        self.index = index
        self.slope = slope
    }

    public func forward(_ x: Matrix, mode: Mode) -> Matrix {
        output.resize(rows: x.rows, cols: x.cols)
        let src = x.pointer
        let dst = output.pointer
        let a = slope
        // Branch-free, so the compiler vectorizes it: max(v, 0) + a·min(v, 0).
        for i in 0..<x.count {
            let v = src[i]
            dst[i] = max(v, 0) + a * min(v, 0)
        }
        return output
    }

    /// Updates `dout` in place.
    public func backward(_ dout: Matrix) -> Matrix {
        let g = dout.pointer
        let y = output.pointer
        let a = slope
        for i in 0..<dout.count { g[i] *= y[i] > 0 ? 1 : a }
        DeliberateFault.corrupt(dout, in: .leakyReLU)
        return dout
    }

    var fusedKernel: FusedKernel { .leakyReLU(slope: slope) }

    public func clone() -> any Layer { LeakyReLU(index: index, slope: slope) }
}
