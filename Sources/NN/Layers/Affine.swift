import CKernels

/// Fully connected layer: `out = x·W + b`.
///
/// Backward gives `dW = xᵀ·dout`, `db = Σ_rows dout`, `dx = dout·Wᵀ` (through a copy of Wᵀ). The network's first Affine
/// skips `dx` (`computesInputGradient == false`): nothing consumes the gradient of the pixels, and it
/// would cost as much as the layer's forward product.
public final class Affine: Layer {
    public let name: String
    public let weight: Parameter
    public let bias: Parameter
    public var computesInputGradient: Bool

    private var input: Matrix?
    /// The `dout` of the last `backward`: dL/d(out), the backward signal arriving from above. It is
    /// a buffer of the layer above (or the loss layer), valid until the next pass; statistics read it.
    public private(set) var outputGradient: Matrix?
    private let out = Matrix(rows: 0, cols: 0)
    private let dx = Matrix(rows: 0, cols: 0)
    /// Wᵀ, refreshed by every `backward` (the optimizer changes W in between).
    private let weightTransposed = Matrix(rows: 0, cols: 0)

    public var inputSize: Int { weight.value.rows }
    public var outputSize: Int { weight.value.cols }

    /// `index` is the 1-based position used in names (`W1`, `b1`).
    public init(index: Int, weight: Matrix, bias: Matrix? = nil, computesInputGradient: Bool = true) {
        self.name = "Affine\(index)"
        self.weight = Parameter(name: "W\(index)", value: weight, isDecayed: true)
        self.bias = Parameter(name: "b\(index)", value: bias ?? Matrix(rows: 1, cols: weight.cols), isDecayed: false)
        precondition(
            self.bias.value.rows == 1 && self.bias.value.cols == weight.cols, "Affine bias must be 1x\(weight.cols)")
        self.computesInputGradient = computesInputGradient
    }

    private init(copying other: Affine) {
        name = other.name
        weight = other.weight.copy()
        bias = other.bias.copy()
        computesInputGradient = other.computesInputGradient
    }

    public var parameters: [Parameter] { [weight, bias] }

    public func forward(_ x: Matrix, mode: Mode) -> Matrix {
        precondition(x.cols == inputSize, "\(name): input has \(x.cols) columns, expected \(inputSize)")
        input = x
        let n = x.rows
        let d = outputSize
        out.resize(rows: n, cols: d)
        // Broadcast the bias into every row, then accumulate the product on top (one pass less).
        dlboard_broadcast_rows(bias.value.pointer, d, out.pointer, n)
        out.gemm(x, weight.value, beta: 1)
        return out
    }

    public func backward(_ dout: Matrix) -> Matrix {
        guard let x = input else { preconditionFailure("\(name): backward before forward") }
        outputGradient = dout
        weight.gradient.gemm(x, transposeA: true, dout)
        DeliberateFault.corrupt(weight.gradient, in: .affine)
        dlboard_column_sums_float(dout.pointer, dout.rows, dout.cols, bias.gradient.pointer)
        if computesInputGradient {
            // dout·Wᵀ as a plain product of a transposed copy: OpenBLAS's AVX-512 kernels
            // (SkylakeX, Cooperlake) take a small-matrix path here whose NN form is ~1.2–1.6× its NT
            // form at 100×100×100, and the 10k-value copy costs ~2–3 µs. Elsewhere (Haswell, Prescott)
            // both forms run the same code, so the bits there are what NT gave.
            let w = weight.value
            weightTransposed.resize(rows: w.cols, cols: w.rows)
            dlboard_transpose(w.pointer, w.rows, w.cols, weightTransposed.pointer)
            dx.gemm(dout, weightTransposed)
        } else {
            dx.resize(rows: 0, cols: inputSize)
        }
        return dx
    }

    public func clone() -> any Layer { Affine(copying: self) }
}
