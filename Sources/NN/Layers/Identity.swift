/// `out = x`; backward passes `dout` unchanged. The output is a copy (the histograms read it after
/// later layers have reused the input's buffer). A network of identity layers is one linear map:
/// the baseline that shows what the non-linearities add.
public final class Identity: ActivationLayer, FusableActivation {
    public let index: Int
    public var name: String { "Identity\(index)" }
    public let output = Matrix(rows: 0, cols: 0)
    public var activation: Activation { .identity }

    public init(index: Int) { self.index = index }

    public func forward(_ x: Matrix, mode: Mode) -> Matrix {
        output.assign(x)
        return output
    }

    /// Returns `dout` as it is.
    public func backward(_ dout: Matrix) -> Matrix {
        DeliberateFault.corrupt(dout, in: .identity)
        return dout
    }

    var fusedKernel: FusedKernel { .identity }

    public func clone() -> any Layer { Identity(index: index) }
}
