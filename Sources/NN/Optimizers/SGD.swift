/// Stochastic gradient descent: `p −= lr·g`.
public final class SGD: Optimizer {
    public var kind: OptimizerKind { .sgd }
    public var learningRate: Float { didSet { checkLearningRate(learningRate) } }

    public init(learningRate: Float = 0.01) {
        checkLearningRate(learningRate)
        self.learningRate = learningRate
    }

    public func update(_ parameters: [Parameter]) {
        for p in parameters { p.value.add(p.gradient, scaledBy: -learningRate) }
    }

    public func clone() -> any Optimizer { SGD(learningRate: learningRate) }

    /// Plain SGD keeps no state.
    public func digest(into d: inout StateDigest) {}
}
