/// The six optimizers of the book's chapter 6, with its default hyperparameters.
public enum OptimizerKind: String, Sendable, CaseIterable, Codable {
    case sgd, momentum, nesterov, adagrad, rmsprop, adam

    /// The book's defaults: 0.001 for Adam, 0.01 for the others.
    public var defaultLearningRate: Float { self == .adam ? 0.001 : 0.01 }

    public var displayName: String {
        switch self {
        case .sgd: "SGD"
        case .momentum: "Momentum"
        case .nesterov: "Nesterov"
        case .adagrad: "AdaGrad"
        case .rmsprop: "RMSprop"
        case .adam: "Adam"
        }
    }

    /// A fresh optimizer (empty state) of this kind, with the `parameters` it uses.
    public func make(learningRate: Float? = nil, parameters p: OptimizerParameters = .book) -> any Optimizer {
        let lr = learningRate ?? defaultLearningRate
        switch self {
        case .sgd: return SGD(learningRate: lr)
        case .momentum: return Momentum(learningRate: lr, momentum: p.momentum)
        case .nesterov: return Nesterov(learningRate: lr, momentum: p.momentum)
        case .adagrad: return AdaGrad(learningRate: lr, epsilon: p.epsilon)
        case .rmsprop: return RMSprop(learningRate: lr, decay: p.rho, epsilon: p.epsilon)
        case .adam: return Adam(learningRate: lr, beta1: p.beta1, beta2: p.beta2, epsilon: p.epsilon)
        }
    }
}

func checkLearningRate(_ lr: Float) {
    precondition(lr > 0 && lr.isFinite, "learning rate must be a positive finite number, got \(lr)")
}
