import CKernels

/// AdaGrad (Duchi et al. 2011): `h += g²; p −= lr·g / (√h + ε)`, h starting at 0, ε the book's 1e-7.
public final class AdaGrad: Optimizer {
    public var kind: OptimizerKind { .adagrad }
    public var learningRate: Float { didSet { checkLearningRate(learningRate) } }
    public let epsilon: Float
    var state = OptimizerSlots(perParameter: 1)

    public init(learningRate: Float = 0.01, epsilon: Float = 1e-7) {
        checkLearningRate(learningRate)
        self.learningRate = learningRate
        self.epsilon = epsilon
    }

    public func update(_ parameters: [Parameter]) {
        state.prune(keeping: parameters)
        let lr = learningRate
        for p in parameters {
            dlboard_adagrad_update(
                p.value.pointer, p.gradient.pointer, state.buffers(for: p)[0].pointer, p.value.count, lr, epsilon)
        }
    }

    public func digest(into d: inout StateDigest) { state.digest(into: &d) }

    public func clone() -> any Optimizer {
        let c = AdaGrad(learningRate: learningRate, epsilon: epsilon)
        c.state = state.copy()
        return c
    }
}
