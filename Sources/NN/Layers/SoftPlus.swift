import Foundation

/// `out = ln(1 + e^x)`, a smooth ReLU, computed as `max(x, 0) + ln(1 + e^−|x|)` so that no `e^x`
/// overflows; backward `dout · sigmoid(x)`, which is `1 − e^−y` of the output y (so the input need
/// not be kept).
public final class SoftPlus: ActivationLayer {
    public let index: Int
    public var name: String { "SoftPlus\(index)" }
    public let output = Matrix(rows: 0, cols: 0)
    public var activation: Activation { .softplus }

    public init(index: Int) { self.index = index }

    public func forward(_ x: Matrix, mode: Mode) -> Matrix {
        output.resize(rows: x.rows, cols: x.cols)
        let src = x.pointer
        let dst = output.pointer
        for i in 0..<x.count {
            let v = src[i]
            dst[i] = max(v, 0) + log1pf(expf(-abs(v)))
        }
        return output
    }

    /// Updates `dout` in place.
    public func backward(_ dout: Matrix) -> Matrix {
        let g = dout.pointer
        let y = output.pointer
        // 1 − e^−y without cancellation for small y (where sigmoid(x) ≈ y).
        for i in 0..<dout.count { g[i] *= -expm1f(-y[i]) }
        DeliberateFault.corrupt(dout, in: .softplus)
        return dout
    }

    public func clone() -> any Layer { SoftPlus(index: index) }
}
