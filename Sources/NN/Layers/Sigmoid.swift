import Foundation

/// `out = 1 / (1 + e^-x)`; backward `dout · (1 - y) · y`.
public final class Sigmoid: ActivationLayer {
    public let index: Int
    public var name: String { "Sigmoid\(index)" }
    public let output = Matrix(rows: 0, cols: 0)
    public var activation: Activation { .sigmoid }

    public init(index: Int) { self.index = index }

    public func forward(_ x: Matrix, mode: Mode) -> Matrix {
        output.resize(rows: x.rows, cols: x.cols)
        let src = x.pointer
        let dst = output.pointer
        for i in 0..<x.count { dst[i] = 1 / (1 + expf(-src[i])) }
        return output
    }

    /// Updates `dout` in place.
    public func backward(_ dout: Matrix) -> Matrix {
        let g = dout.pointer
        let y = output.pointer
        for i in 0..<dout.count { g[i] *= (1 - y[i]) * y[i] }
        DeliberateFault.corrupt(dout, in: .sigmoid)
        return dout
    }

    public func clone() -> any Layer { Sigmoid(index: index) }
}
