import CKernels

/// Nesterov's accelerated gradient in the reformulation of Bengio et al. (arXiv 1212.0901), as the
/// book's code has it since its 2021 fix: `p += a²·v_old; p −= (1+a)·lr·g; v = a·v_old − lr·g`.
public final class Nesterov: Optimizer {
    public var kind: OptimizerKind { .nesterov }
    public var learningRate: Float { didSet { checkLearningRate(learningRate) } }
    public let momentum: Float
    var state = OptimizerSlots(perParameter: 1)

    public init(learningRate: Float = 0.01, momentum: Float = 0.9) {
        checkLearningRate(learningRate)
        self.learningRate = learningRate
        self.momentum = momentum
    }

    public func update(_ parameters: [Parameter]) {
        state.prune(keeping: parameters)
        let a = momentum
        let lr = learningRate
        for p in parameters {
            dlboard_nesterov_update(
                p.value.pointer, p.gradient.pointer, state.buffers(for: p)[0].pointer, p.value.count, a, lr)
        }
    }

    public func digest(into d: inout StateDigest) { state.digest(into: &d) }

    public func clone() -> any Optimizer {
        let c = Nesterov(learningRate: learningRate, momentum: momentum)
        c.state = state.copy()
        return c
    }
}
