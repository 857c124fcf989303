import CKernels

/// `out = max(x, 0)`; backward passes the gradient where `x > 0` and zeroes it elsewhere
/// (the book's mask is `x <= 0`, so the gradient at exactly 0 is 0).
public final class ReLU: ActivationLayer, FusableActivation {
    public let index: Int
    public var name: String { "ReLU\(index)" }
    public let output = Matrix(rows: 0, cols: 0)
    public var activation: Activation { .relu }

    public init(index: Int) { self.index = index }

    public func forward(_ x: Matrix, mode: Mode) -> Matrix {
        output.resize(rows: x.rows, cols: x.cols)
        dlboard_relu_forward(x.pointer, output.pointer, x.count)
        return output
    }

    /// Updates `dout` in place.
    public func backward(_ dout: Matrix) -> Matrix {
        dlboard_relu_backward(dout.pointer, output.pointer, dout.count)
        DeliberateFault.corrupt(dout, in: .relu)
        return dout
    }

    var fusedKernel: FusedKernel { .relu }

    public func clone() -> any Layer { ReLU(index: index) }
}
