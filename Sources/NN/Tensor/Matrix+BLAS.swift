import CBLAS
import CKernels
import Foundation

extension Matrix {
    /// `self = alpha * op(a) · op(b) + beta * self`, through `cblas_sgemm`.
    ///
    /// `self` is resized to the product's shape when `beta == 0`; with `beta != 0` it must already
    /// have that shape (it is accumulated into).
    public func gemm(
        _ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false,
        alpha: Float = 1, beta: Float = 0
    ) {
        let m = transposeA ? a.cols : a.rows
        let k = transposeA ? a.rows : a.cols
        let kb = transposeB ? b.cols : b.rows
        let n = transposeB ? b.rows : b.cols
        precondition(
            k == kb,
            "gemm: inner dimensions differ (\(a.shapeDescription)\(transposeA ? "ᵀ" : "") · \(b.shapeDescription)\(transposeB ? "ᵀ" : ""))"
        )
        if beta == 0 {
            resize(rows: m, cols: n)
        } else {
            precondition(rows == m && cols == n, "gemm: accumulator shape \(shapeDescription) ≠ \(m)x\(n)")
        }
        if m == 0 || n == 0 { return }
        if k == 0 {
            if beta == 0 { fill(0) } else { scale(by: beta) }
            return
        }
        cblas_sgemm(
            CblasRowMajor,
            transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k),
            alpha, a.pointer, Int32(a.cols),
            b.pointer, Int32(b.cols),
            beta, pointer, Int32(n))
    }

    /// `self += alpha * x` (shapes must match).
    public func add(_ x: Matrix, scaledBy alpha: Float = 1) {
        precondition(rows == x.rows && cols == x.cols, "add: shape \(shapeDescription) ≠ \(x.shapeDescription)")
        cblas_saxpy(Int32(count), alpha, x.pointer, 1, pointer, 1)
    }

    public func scale(by alpha: Float) {
        cblas_sscal(Int32(count), alpha, pointer, 1)
    }

    /// Sum of squares of all elements in Double, in 16 fixed interleaved lanes
    /// (`dlboard_sum_of_squares`): the same bits on every instruction set.
    public func sumOfSquares() -> Double { dlboard_sum_of_squares(pointer, count) }

    /// Weight decay's gradient term and loss sum in one pass over `w`: `self += lambda * w`, with
    /// the bits `add(w, scaledBy: lambda)` gives, and returns `w.sumOfSquares()`.
    public func addDecay(of w: Matrix, lambda: Float) -> Double {
        precondition(rows == w.rows && cols == w.cols, "addDecay: shape \(shapeDescription) ≠ \(w.shapeDescription)")
        switch Self.axpyRounding {
        case .separate: return dlboard_decay_gradient(pointer, w.pointer, count, lambda)
        case .fused: return dlboard_decay_gradient_fused(pointer, w.pointer, count, lambda)
        case .mixed:
            add(w, scaledBy: lambda)
            return w.sumOfSquares()
        }
    }

    /// How this process's `cblas_saxpy` rounds `y + α·x`: OpenBLAS's SSE kernels multiply and add
    /// (two roundings), its AVX2 and AVX-512 ones use FMA (one). The decay kernel must round as
    /// `add(_:scaledBy:)` does, so training computes the same bits whichever path runs.
    enum AxpyRounding: Sendable { case separate, fused, mixed }

    /// Measured once: α = x = 1 + 2⁻¹², y = −1, where the product's last bit (2⁻²⁴, a tie) is lost
    /// by a separate multiply and kept by an FMA, at every position of an odd length (vector body
    /// and remainder) and of a short one. Positions that disagree (never seen) give `mixed`: then
    /// the decay keeps saxpy and sums in a second pass.
    static let axpyRounding: AxpyRounding = {
        let a: Float = 1 + 0x1p-12
        var fused = 0
        var separate = 0
        for n in [1031, 5] {
            let x = [Float](repeating: a, count: n)
            var y = [Float](repeating: -1, count: n)
            cblas_saxpy(Int32(n), a, x, 1, &y, 1)
            for v in y {
                if v == 0x1p-11 + 0x1p-24 {
                    fused += 1
                } else if v == 0x1p-11 {
                    separate += 1
                }
            }
        }
        let total = 1031 + 5
        return fused == total ? .fused : separate == total ? .separate : .mixed
    }()
}
