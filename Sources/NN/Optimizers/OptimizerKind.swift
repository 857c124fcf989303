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

    /// A fresh optimizer (empty state) of this kind.
    public func make(learningRate: Float? = nil) -> any Optimizer {
        let lr = learningRate ?? defaultLearningRate
        switch self {
        case .sgd: return SGD(learningRate: lr)
        case .momentum: return Momentum(learningRate: lr)
        case .nesterov: return Nesterov(learningRate: lr)
        case .adagrad: return AdaGrad(learningRate: lr)
        case .rmsprop: return RMSprop(learningRate: lr)
        case .adam: return Adam(learningRate: lr)
        }
    }
}

func checkLearningRate(_ lr: Float) {
    precondition(lr > 0 && lr.isFinite, "learning rate must be a positive finite number, got \(lr)")
}
