import Foundation

/// Adam (Kingma & Ba, arXiv 1412.6980v8) in the book's form: bias correction folded into one
/// per-step scalar, `lr_t = lr·√(1−b2^t)/(1−b1^t)`, then `m += (1−b1)(g−m)`, `v += (1−b2)(g²−v)`,
/// `p −= lr_t·m/(√v + 1e-7)` — ε is added to the *uncorrected* √v. b1 = 0.9, b2 = 0.999.
/// The step count `t` is shared by all parameters and restarts at 0 with a new optimizer.
public final class Adam: Optimizer {
    public var kind: OptimizerKind { .adam }
    public var learningRate: Float { didSet { checkLearningRate(learningRate) } }
    public let beta1: Float
    public let beta2: Float
    public private(set) var step = 0
    var state = OptimizerSlots(perParameter: 2)

    public init(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999) {
        checkLearningRate(learningRate)
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
    }

    public func update(_ parameters: [Parameter]) {
        state.prune(keeping: parameters)
        step += 1
        let t = Double(step)
        let lrT = Float(Double(learningRate) * (1 - pow(Double(beta2), t)).squareRoot() / (1 - pow(Double(beta1), t)))
        let c1 = 1 - beta1, c2 = 1 - beta2
        for p in parameters {
            let s = state.buffers(for: p)
            let m = s[0].pointer, v = s[1].pointer, w = p.value.pointer, g = p.gradient.pointer
            let n = p.value.count
            let c1v = SIMD8<Float>(repeating: c1), c2v = SIMD8<Float>(repeating: c2)
            let lrTv = SIMD8<Float>(repeating: lrT), eps = SIMD8<Float>(repeating: 1e-7)
            var i = 0
            while i < vectorEnd(n) {
                let gi = load8(g, i), mi = load8(m, i), vi = load8(v, i)
                let nm = mi + c1v * (gi - mi)
                let nv = vi + c2v * (gi * gi - vi)
                store8(nm, m, i)
                store8(nv, v, i)
                store8(load8(w, i) - lrTv * nm / (nv.squareRoot() + eps), w, i)
                i += 8
            }
            for i in vectorEnd(n)..<n {
                let gi = g[i]
                let nm = m[i] + c1 * (gi - m[i])
                let nv = v[i] + c2 * (gi * gi - v[i])
                m[i] = nm
                v[i] = nv
                w[i] -= lrT * nm / (nv.squareRoot() + 1e-7)
            }
        }
    }

    public func clone() -> any Optimizer {
        let c = Adam(learningRate: learningRate, beta1: beta1, beta2: beta2)
        c.state = state.copy()
        c.step = step
        return c
    }
}
