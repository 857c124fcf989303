import CKernels

/// Momentum SGD (Qian 1999): `v = a·v − lr·g; p += v`, with a = 0.9 and v starting at 0.
public final class Momentum: Optimizer {
    public var kind: OptimizerKind { .momentum }
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
            dlboard_momentum_update(
                p.value.pointer, p.gradient.pointer, state.buffers(for: p)[0].pointer, p.value.count, a, lr)
        }
    }

    public func digest(into d: inout StateDigest) { state.digest(into: &d) }

    public func clone() -> any Optimizer {
        let c = Momentum(learningRate: learningRate, momentum: momentum)
        c.state = state.copy()
        return c
    }
}
