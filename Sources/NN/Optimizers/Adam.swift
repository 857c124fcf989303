import CKernels
import Foundation

/// Adam (Kingma & Ba, arXiv 1412.6980v8) in the book's form: bias correction folded into one
/// per-step scalar, `lr_t = lr·√(1−b2^t)/(1−b1^t)`, then `m += (1−b1)(g−m)`, `v += (1−b2)(g²−v)`,
/// `p −= lr_t·m/(√v + ε)` — ε is added to the *uncorrected* √v. b1 = 0.9, b2 = 0.999, ε = 1e-7.
/// The step count `t` is shared by all parameters and restarts at 0 with a new optimizer.
public final class Adam: Optimizer {
    public var kind: OptimizerKind { .adam }
    public var learningRate: Float { didSet { checkLearningRate(learningRate) } }
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public private(set) var step = 0
    var state = OptimizerSlots(perParameter: 2)

    public init(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7) {
        checkLearningRate(learningRate)
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    public func update(_ parameters: [Parameter]) {
        state.prune(keeping: parameters)
        step += 1
        let t = Double(step)
        let lrT = Float(Double(learningRate) * (1 - pow(Double(beta2), t)).squareRoot() / (1 - pow(Double(beta1), t)))
        let c1 = 1 - beta1
        let c2 = 1 - beta2
        for p in parameters {
            let s = state.buffers(for: p)
            dlboard_adam_update(
                p.value.pointer, p.gradient.pointer, s[0].pointer, s[1].pointer, p.value.count, c1, c2, lrT, epsilon)
        }
    }

    public func digest(into d: inout StateDigest) {
        d.add(step)
        state.digest(into: &d)
    }

    public func clone() -> any Optimizer {
        let c = Adam(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon)
        c.state = state.copy()
        c.step = step
        return c
    }
}

extension Adam {
    /// Continues from a stored step count (a checkpoint's); the moments are restored through `state`.
    func restoreStep(_ step: Int) {
        precondition(step >= 0, "Adam's step count must be ≥ 0")
        self.step = step
    }
}
