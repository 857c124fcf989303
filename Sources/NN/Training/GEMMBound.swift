import Foundation

/// The matrix products of one training step, and how long they alone take: the bound a step cannot
/// beat (everything else — activations, softmax, the update, the batch gather — comes on top).
public enum GEMMBound {
    /// One `sgemm` call: C(m×n) = op(A)(m×k) · op(B)(k×n).
    public struct Shape: Hashable, Sendable, CustomStringConvertible {
        public var m: Int, n: Int, k: Int
        public var transposeA: Bool, transposeB: Bool
        public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
        public var description: String { "\(m)×\(k)\(transposeA ? "ᵀ" : "")·\(k)×\(n)\(transposeB ? "ᵀ" : "")" }
    }

    /// The products of one step of `config` on a batch of `batch`: per Affine layer the forward
    /// X·W, the weight gradient Xᵀ·dY and (except the first layer) the input gradient dY·Wᵀ.
    public static func shapes(of config: NetworkConfig, batch: Int) -> [Shape] {
        let sizes = config.sizes
        var shapes: [Shape] = []
        for l in 0..<(sizes.count - 1) {
            let inSize = sizes[l]
            let outSize = sizes[l + 1]
            shapes.append(Shape(m: batch, n: outSize, k: inSize, transposeA: false, transposeB: false))
            shapes.append(Shape(m: inSize, n: outSize, k: batch, transposeA: true, transposeB: false))
            if l > 0 { shapes.append(Shape(m: batch, n: inSize, k: outSize, transposeA: false, transposeB: true)) }
        }
        return shapes
    }

    /// FLOP of one step's products per sample.
    public static func flopsPerSample(of config: NetworkConfig, batch: Int) -> Double {
        shapes(of: config, batch: batch).reduce(0) { $0 + $1.flops } / Double(batch)
    }

    /// Seconds one step's products take, measured: the whole set of shapes run `repeats` times after a
    /// warm-up, the fastest of `rounds` rounds (the machine is noisy; the bound is a best case).
    public static func measureStepSeconds(config: NetworkConfig, batch: Int, repeats: Int = 200, rounds: Int = 5)
        -> Double
    {
        let shapes = shapes(of: config, batch: batch)
        var g = SeededGenerator(seed: 7, stream: "gemm-bound")
        func random(_ r: Int, _ c: Int) -> Matrix {
            let m = Matrix(rows: r, cols: c)
            for i in 0..<m.count { m.pointer[i] = g.nextUniform() - 0.5 }
            return m
        }
        let operands = shapes.map { s in
            (
                a: s.transposeA ? random(s.k, s.m) : random(s.m, s.k),
                b: s.transposeB ? random(s.n, s.k) : random(s.k, s.n), c: Matrix(rows: s.m, cols: s.n)
            )
        }
        func once() {
            for (s, o) in zip(shapes, operands) {
                o.c.gemm(o.a, transposeA: s.transposeA, o.b, transposeB: s.transposeB)
            }
        }
        for _ in 0..<max(1, repeats / 10) { once() }
        var best = Double.infinity
        for _ in 0..<rounds {
            let t0 = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<repeats { once() }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9 / Double(repeats))
        }
        return best
    }
}
