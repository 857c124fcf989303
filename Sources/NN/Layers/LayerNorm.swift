import CKernels

/// Layer normalization (Ba, Kiros & Hinton 2016): each sample normalized over its own features,
/// `xn = (x − μ_row) / √(σ²_row + ε)` with the biased variance (÷d) and BatchNorm's ε, then `γ·xn + β`
/// with a γ and β per feature (γ starts at 1, β at 0). Nothing depends on the other rows of the
/// batch and nothing runs: train and eval mode compute the same, for a batch of one as for 1,000.
///
/// Backward, per row (dxn = γ·dout): dγ = Σ_rows xn·dout, dβ = Σ_rows dout,
/// dx = (dxn − mean(dxn) − xn·mean(dxn·xn)) / √(σ² + ε).
///
/// Before a ReLU, Leaky ReLU or identity the network runs it fused with that activation
/// (`ActivationFusing`): the same numbers, one pass over the batch less each way.
public final class LayerNorm: Layer, ActivationFusing {
    public static let epsilon: Float = BatchNorm.epsilon
    public let index: Int
    public var name: String { "LayerNorm\(index)" }
    /// Named apart from BatchNorm's `gamma1`/`beta1`: optimizer state is keyed by name, and a switch
    /// from BatchNorm to LayerNorm starts fresh parameters with fresh state.
    public let gamma: Parameter
    public let beta: Parameter

    /// The last train-mode pass's normalized input and each row's 1/√(σ² + ε), for backward.
    private let xn = Matrix(rows: 0, cols: 0)
    private let inverseStd = Matrix(rows: 0, cols: 0)
    private let out = Matrix(rows: 0, cols: 0)
    private let dx = Matrix(rows: 0, cols: 0)

    public var features: Int { gamma.value.cols }

    public init(index: Int, features: Int) {
        self.index = index
        let g = Matrix(rows: 1, cols: features)
        g.fill(1)
        gamma = Parameter(name: "lnGamma\(index)", value: g, isDecayed: false)
        beta = Parameter(name: "lnBeta\(index)", value: Matrix(rows: 1, cols: features), isDecayed: false)
    }

    private init(copying o: LayerNorm) {
        index = o.index
        gamma = o.gamma.copy()
        beta = o.beta.copy()
    }

    public var parameters: [Parameter] { [gamma, beta] }

    public func forward(_ x: Matrix, mode: Mode) -> Matrix {
        normalize(x, mode: mode, into: out, applying: .identity)
        return out
    }

    func forward(_ x: Matrix, mode: Mode, through activation: any FusableActivation) -> Matrix {
        normalize(x, mode: mode, into: activation.output, applying: activation.fusedKernel)
        return activation.output
    }

    /// activation(γ·xn + β) into `output`, resized to the batch.
    private func normalize(_ x: Matrix, mode: Mode, into output: Matrix, applying activation: FusedKernel) {
        let n = x.rows
        let d = x.cols
        precondition(d == features, "\(name): input has \(d) columns, expected \(features)")
        output.resize(rows: n, cols: d)
        switch mode {
        case .train:
            xn.resize(rows: n, cols: d)
            inverseStd.resize(rows: n, cols: 1)
            dlboard_layernorm_forward(
                x.pointer, n, d, gamma.value.pointer, beta.value.pointer, Self.epsilon, xn.pointer,
                inverseStd.pointer, output.pointer, activation.kind, activation.slope)
        case .eval:
            // The same numbers; only the train-mode pass's caches are left for its backward.
            dlboard_layernorm_forward(
                x.pointer, n, d, gamma.value.pointer, beta.value.pointer, Self.epsilon, nil, nil, output.pointer,
                activation.kind, activation.slope)
        }
    }

    public func backward(_ dout: Matrix) -> Matrix {
        backward(dout, activationOutput: nil, applying: .identity)
    }

    func backward(_ dout: Matrix, through activation: any FusableActivation) -> Matrix {
        backward(dout, activationOutput: activation.output, applying: activation.fusedKernel)
    }

    /// `y` is the fused forward's output (nil when none was fused), whose rule `activation` gives.
    private func backward(_ dout: Matrix, activationOutput y: Matrix?, applying activation: FusedKernel) -> Matrix {
        let n = dout.rows
        let d = dout.cols
        precondition(n == xn.rows && d == xn.cols, "\(name): backward shape differs from the last train-mode forward")
        precondition(y.map { $0.rows == n && $0.cols == d } ?? true, "\(name): activation output has another shape")
        dx.resize(rows: n, cols: d)
        dlboard_layernorm_backward(
            dout.pointer, y?.pointer, n, d, xn.pointer, inverseStd.pointer, gamma.value.pointer,
            gamma.gradient.pointer, beta.gradient.pointer, dx.pointer, activation.kind, activation.slope)
        DeliberateFault.corrupt(dx, in: .layerNorm)
        return dx
    }

    public func clone() -> any Layer { LayerNorm(copying: self) }
}
