import CKernels
import Foundation

/// Batch normalization (Ioffe & Szegedy 2015) exactly as the book's `BatchNormalization`.
///
/// Train mode normalizes each feature with the batch mean and the biased batch variance (÷N),
/// `xn = (x − μ) / √(σ² + ε)` with ε = 1e-6 (the book's `10e-7`), outputs `γ·xn + β`, and moves the
/// running statistics `r ← 0.9·r + 0.1·batch` — starting from **zero**, not from mean 0 / var 1.
/// Eval mode uses the running statistics. γ starts at 1 and β at 0.
///
/// Backward is the book's graph-derived formula (dβ = Σ dout; dγ = Σ xn·dout; dxn = γ·dout;
/// dxc = dxn/std; dstd = −Σ dxn·xc/std²; dvar = 0.5·dstd/std; dxc += (2/N)·xc·dvar; dμ = Σ dxc;
/// dx = dxc − dμ/N).
///
/// Before a ReLU, Leaky ReLU or identity the network runs it fused with that activation
/// (`ActivationFusing`): the same numbers, one pass over the batch less each way.
public final class BatchNorm: Layer, ActivationFusing {
    public static let epsilon: Float = 1e-6
    public let index: Int
    public var name: String { "BatchNorm\(index)" }
    public let gamma: Parameter
    public let beta: Parameter
    public let momentum: Float
    public let runningMean: Matrix
    public let runningVariance: Matrix

    /// The last train-mode input, by reference as Affine keeps its own: x − μ is recomputed from it
    /// (the same float subtraction) instead of being stored, one n×d stream less each way. The
    /// layer below does not touch its output until its next forward.
    private var input: Matrix?
    private let xn = Matrix(rows: 0, cols: 0)
    private let std = Matrix(rows: 0, cols: 0)
    private let out = Matrix(rows: 0, cols: 0)
    private let dx = Matrix(rows: 0, cols: 0)
    /// Per feature, the mean and the biased variance (÷N) of the last train-mode batch — what that
    /// batch was normalized with, as the forward kernel computed them (kept, not recomputed; reused:
    /// no allocation per step). Empty before the first train-mode pass.
    public private(set) var batchMean: [Double] = []
    public private(set) var batchVariance: [Double] = []
    private let scratch = Matrix(rows: 0, cols: 0)

    public var features: Int { gamma.value.cols }

    public init(index: Int, features: Int, momentum: Float = 0.9) {
        self.index = index
        let g = Matrix(rows: 1, cols: features)
        g.fill(1)
        gamma = Parameter(name: "gamma\(index)", value: g, isDecayed: false)
        beta = Parameter(name: "beta\(index)", value: Matrix(rows: 1, cols: features), isDecayed: false)
        self.momentum = momentum
        runningMean = Matrix(rows: 1, cols: features)
        runningVariance = Matrix(rows: 1, cols: features)
    }

    private init(copying o: BatchNorm) {
        index = o.index
        gamma = o.gamma.copy()
        beta = o.beta.copy()
        momentum = o.momentum
        runningMean = o.runningMean.copy()
        runningVariance = o.runningVariance.copy()
        batchMean = o.batchMean
        batchVariance = o.batchVariance
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
        let g = gamma.value.pointer
        let b = beta.value.pointer
        let src = x.pointer
        let o = output.pointer
        switch mode {
        case .train:
            precondition(n >= 1, "\(name): empty batch")
            input = x
            xn.resize(rows: n, cols: d)
            std.resize(rows: 1, cols: d)
            if batchMean.count != d {
                batchMean = [Double](repeating: 0, count: d)
                batchVariance = [Double](repeating: 0, count: d)
            }
            // Column means and biased variances accumulated row by row in double, then
            // xn = (x − μ)/√(σ² + ε) and γ·xn + β, in strips of columns (see batchnorm.c).
            batchMean.withUnsafeMutableBufferPointer { mean in
                batchVariance.withUnsafeMutableBufferPointer { variance in
                    dlboard_bn_forward(
                        src, n, d, g, b, Self.epsilon, momentum, runningMean.pointer, runningVariance.pointer,
                        xn.pointer, std.pointer, o, mean.baseAddress!, variance.baseAddress!, activation.kind,
                        activation.slope)
                }
            }
        case .eval:
            // scale = 1/√(running σ² + ε) into the layer's own scratch: no allocation per call.
            scratch.resize(rows: 1, cols: d)
            dlboard_bn_eval(
                src, n, d, g, b, runningMean.pointer, runningVariance.pointer, Self.epsilon, scratch.pointer, o,
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
        guard let x = input, n == xn.rows && d == xn.cols && x.rows == n && x.cols == d else {
            preconditionFailure("\(name): backward shape differs from the last train-mode forward")
        }
        precondition(y.map { $0.rows == n && $0.cols == d } ?? true, "\(name): activation output has another shape")
        dx.resize(rows: n, cols: d)
        scratch.resize(rows: 4, cols: d)
        batchMean.withUnsafeBufferPointer { mean in
            dlboard_bn_backward(
                dout.pointer, y?.pointer, x.pointer, n, d, mean.baseAddress!, xn.pointer, std.pointer,
                gamma.value.pointer, gamma.gradient.pointer, beta.gradient.pointer, dx.pointer, scratch.pointer,
                activation.kind, activation.slope)
        }
        return dx
    }

    public func clone() -> any Layer { BatchNorm(copying: self) }
}
