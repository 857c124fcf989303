/// AdaGrad (Duchi et al. 2011): `h += g²; p −= lr·g / (√h + 1e-7)`, h starting at 0.
public final class AdaGrad: Optimizer {
    public var kind: OptimizerKind { .adagrad }
    public var learningRate: Float { didSet { checkLearningRate(learningRate) } }
    var state = OptimizerSlots(perParameter: 1)

    public init(learningRate: Float = 0.01) {
        checkLearningRate(learningRate)
        self.learningRate = learningRate
    }

    public func update(_ parameters: [Parameter]) {
        state.prune(keeping: parameters)
        let lr = learningRate
        for p in parameters {
            let h = state.buffers(for: p)[0].pointer, w = p.value.pointer, g = p.gradient.pointer
            for i in 0..<p.value.count {
                let gi = g[i]
                let nh = h[i] + gi * gi
                h[i] = nh
                w[i] -= lr * gi / (nh.squareRoot() + 1e-7)
            }
        }
    }

    public func clone() -> any Optimizer {
        let c = AdaGrad(learningRate: learningRate)
        c.state = state.copy()
        return c
    }
}
