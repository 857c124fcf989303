import CKernels

/// RMSprop (Tieleman & Hinton 2012): `h = r·h + (1−r)·g²; p −= lr·g / (√h + ε)`, r = 0.99 and
/// ε = 1e-7 (the book's), h from 0.
public final class RMSprop: Optimizer {
    public var kind: OptimizerKind { .rmsprop }
    public var learningRate: Float { didSet { checkLearningRate(learningRate) } }
    public let decay: Float
    public let epsilon: Float
    var state = OptimizerSlots(perParameter: 1)

    public init(learningRate: Float = 0.01, decay: Float = 0.99, epsilon: Float = 1e-7) {
        checkLearningRate(learningRate)
        self.learningRate = learningRate
        self.decay = decay
        self.epsilon = epsilon
    }

    public func update(_ parameters: [Parameter]) {
        state.prune(keeping: parameters)
        let lr = learningRate
        let r = decay
        for p in parameters {
            dlboard_rmsprop_update(
                p.value.pointer, p.gradient.pointer, state.buffers(for: p)[0].pointer, p.value.count, lr, r, epsilon)
        }
    }

    public func digest(into d: inout StateDigest) { state.digest(into: &d) }

    public func clone() -> any Optimizer {
        let c = RMSprop(learningRate: learningRate, decay: decay, epsilon: epsilon)
        c.state = state.copy()
        return c
    }
}
