import CBLAS
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

    /// Sum of squares of all elements, accumulated in Double for stability.
    public func sumOfSquares() -> Double {
        var s = 0.0
        let p = pointer
        for i in 0..<count {
            let v = Double(p[i])
            s += v * v
        }
        return s
    }
}
