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

    /// Which product of a layer a shape is.
    public enum Product: String, Sendable, CaseIterable {
        case forward = "X·W"
        case weightGradient = "Xᵀ·dY"
        case inputGradient = "dY·Wᵀ"
    }

    /// One product of a step: its shape, its Affine layer (1 = the first) and what it computes.
    public struct Role: Sendable {
        public var shape: Shape
        public var layer: Int
        public var product: Product
    }

    /// The products of one step of `config` on a batch of `batch`, in the order a step runs them
    /// per layer: the forward X·W, the weight gradient Xᵀ·dY and (except the first layer, whose
    /// input gradient nobody uses) the input gradient dY·Wᵀ, which `Affine` runs as a plain product
    /// of its copy of Wᵀ (the copy is not a product, so the bound leaves it out like the bias).
    public static func roles(of config: NetworkConfig, batch: Int) -> [Role] {
        let sizes = config.sizes
        var roles: [Role] = []
        for l in 0..<(sizes.count - 1) {
            let inSize = sizes[l]
            let outSize = sizes[l + 1]
            roles.append(
                Role(
                    shape: Shape(m: batch, n: outSize, k: inSize, transposeA: false, transposeB: false), layer: l + 1,
                    product: .forward))
            roles.append(
                Role(
                    shape: Shape(m: inSize, n: outSize, k: batch, transposeA: true, transposeB: false), layer: l + 1,
                    product: .weightGradient))
            if l > 0 {
                roles.append(
                    Role(
                        shape: Shape(m: batch, n: inSize, k: outSize, transposeA: false, transposeB: false),
                        layer: l + 1, product: .inputGradient))
            }
        }
        return roles
    }

    public static func shapes(of config: NetworkConfig, batch: Int) -> [Shape] {
        roles(of: config, batch: batch).map(\.shape)
    }

    /// The distinct shapes of a step in first-use order, each with every role it plays (the four
    /// 100×100 hidden layers share theirs).
    public static func distinctShapes(of config: NetworkConfig, batch: Int) -> [(shape: Shape, roles: [Role])] {
        var order: [Shape] = []
        var byShape: [Shape: [Role]] = [:]
        for r in roles(of: config, batch: batch) {
            if byShape[r.shape] == nil { order.append(r.shape) }
            byShape[r.shape, default: []].append(r)
        }
        return order.map { ($0, byShape[$0]!) }
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
        measureSeconds(of: shapes(of: config, batch: batch), repeats: repeats, rounds: rounds)
    }

    /// Seconds one `shape` takes alone, best of `rounds` rounds of `repeats` calls, its operands hot in
    /// cache as in a step (a step's operands all fit in L2).
    public static func measureSeconds(of shape: Shape, repeats: Int = 200, rounds: Int = 5) -> Double {
        measureSeconds(of: [shape], repeats: repeats, rounds: rounds)
    }

    static func measureSeconds(of shapes: [Shape], repeats: Int, rounds: Int) -> Double {
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
