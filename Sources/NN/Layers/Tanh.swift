import Foundation

/// `out = tanh(x)`; backward `dout · (1 - y²)`.
public final class Tanh: ActivationLayer {
    public let index: Int
    public var name: String { "Tanh\(index)" }
    public let output = Matrix(rows: 0, cols: 0)
    public var activation: Activation { .tanh }

    public init(index: Int) { self.index = index }

    public func forward(_ x: Matrix, mode: Mode) -> Matrix {
        output.resize(rows: x.rows, cols: x.cols)
        let src = x.pointer
        let dst = output.pointer
        for i in 0..<x.count { dst[i] = tanhf(src[i]) }
        return output
    }

    /// Updates `dout` in place.
    public func backward(_ dout: Matrix) -> Matrix {
        let g = dout.pointer
        let y = output.pointer
        for i in 0..<dout.count { g[i] *= 1 - y[i] * y[i] }
        DeliberateFault.corrupt(dout, in: .tanh)
        return dout
    }

    public func clone() -> any Layer { Tanh(index: index) }
}
