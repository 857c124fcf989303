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
        let aa = a * a
        let step = (1 + a) * lr
        for p in parameters {
            let v = state.buffers(for: p)[0].pointer
            let w = p.value.pointer
            let g = p.gradient.pointer
            for i in 0..<p.value.count {
                let old = v[i]
                let gi = g[i]
                w[i] += aa * old
                w[i] -= step * gi
                v[i] = a * old - lr * gi
            }
        }
    }

    public func digest(into d: inout StateDigest) { state.digest(into: &d) }

    public func clone() -> any Optimizer {
        let c = Nesterov(learningRate: learningRate, momentum: momentum)
        c.state = state.copy()
        return c
    }
}
