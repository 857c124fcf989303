import CKernels

/// `out = ln(1 + e^x)`, a smooth ReLU, computed as `max(x, 0) + ln(1 + e^−|x|)` so that no `e^x`
/// overflows; backward `dout · sigmoid(x)`. The forward pass keeps sigmoid(x), which it has nearly
/// for free from the same e^−|x|: 1/(1 + e^−|x|) for x ≥ 0, e^−|x|/(1 + e^−|x|) below. Two scalar libm
/// calls per unit made it the slowest layer, so the kernel evaluates both with vectorized polynomials.
public final class SoftPlus: ActivationLayer {
    public let index: Int
    public var name: String { "SoftPlus\(index)" }
    public let output = Matrix(rows: 0, cols: 0)
    /// sigmoid(x) of the last forward pass: the derivative backward multiplies by.
    private let slope = Matrix(rows: 0, cols: 0)
    public var activation: Activation { .softplus }

    public init(index: Int) { self.index = index }

    public func forward(_ x: Matrix, mode: Mode) -> Matrix {
        output.resize(rows: x.rows, cols: x.cols)
        slope.resize(rows: x.rows, cols: x.cols)
        dlboard_softplus_forward(x.pointer, output.pointer, slope.pointer, x.count)
        return output
    }

    /// Updates `dout` in place.
    public func backward(_ dout: Matrix) -> Matrix {
        let g = dout.pointer
        let s = slope.pointer
        for i in 0..<dout.count { g[i] *= s[i] }
        DeliberateFault.corrupt(dout, in: .softplus)
        return dout
    }

    public func clone() -> any Layer { SoftPlus(index: index) }
}
