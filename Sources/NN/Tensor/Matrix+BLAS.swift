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

/// Process-wide OpenBLAS thread count. Two threads hardly help this network's small GEMMs on two
/// cores and their workers spin, so the trainer defaults to one.
public enum BLASThreads {
    public static func set(_ n: Int) { openblas_set_num_threads(Int32(max(1, n))) }
    public static var current: Int { Int(openblas_get_num_threads()) }
    public static var coreName: String {
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }
}

/// Which OpenBLAS kernel family suits a CPU, from its /proc/cpuinfo flags.
///
/// Why: Debian's OpenBLAS 0.3.21 (DYNAMIC_ARCH) identifies cores by model, and on CPUs it does not
/// know (seen here: a VM reporting "Intel(R) Xeon(R) Processor" with AVX-512 and AVX512-FP16) it
/// falls back to `Prescott`, an SSE3 kernel about 4× slower. `OPENBLAS_CORETYPE` overrides the
/// choice, but only if set before the library initialises, i.e. before the process starts.
public enum BLASKernel {
    /// The best kernel the flags support, or nil when OpenBLAS's own choice should stand.
    public static func preferredCoreType(flags: Set<String>) -> String? {
        let avx512 = ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"].allSatisfy(flags.contains)
        if avx512 && flags.contains("avx512_bf16") { return "Cooperlake" }
        if avx512 { return "SkylakeX" }
        if flags.contains("avx2") && flags.contains("fma") { return "Haswell" }
        return nil
    }

    /// The flags of the first CPU in /proc/cpuinfo (empty if unreadable).
    public static func cpuFlags(cpuinfo: String? = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))
        -> Set<String>
    {
        guard let text = cpuinfo,
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
            let colon = line.firstIndex(of: ":")
        else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }

    /// Kernels that are a fallback rather than a match for a modern x86-64 CPU.
    public static let fallbackCores: Set<String> = [
        "Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom", "Katmai", "Northwood",
    ]
}
