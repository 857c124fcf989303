/// The optimizers' own constants, each used by the optimizers that have it: Momentum's and
/// Nesterov's momentum, RMSprop's decay ρ, Adam's β1 and β2, and the ε that AdaGrad, RMSprop and
/// Adam add to √h (Adam's to the *uncorrected* √v, as the book does). `book` holds the book's
/// values; the course's Adam uses ε = 1e-8 and RMSprop β2 = 0.999.
public struct OptimizerParameters: Sendable, Hashable {
    public var momentum: Float
    public var beta1: Float
    public var beta2: Float
    public var rho: Float
    public var epsilon: Float

    public init(
        momentum: Float = 0.9, beta1: Float = 0.9, beta2: Float = 0.999, rho: Float = 0.99, epsilon: Float = 1e-7
    ) {
        self.momentum = momentum
        self.beta1 = beta1
        self.beta2 = beta2
        self.rho = rho
        self.epsilon = epsilon
    }

    /// The book's `common/optimizer.py`: momentum 0.9, β1 0.9, β2 0.999, RMSprop decay 0.99, ε 1e-7.
    public static let book = OptimizerParameters()

    /// The parameters `kind` uses, in its update rule's order (for status lines and titles).
    public static func used(by kind: OptimizerKind) -> [WritableKeyPath<OptimizerParameters, Float>] {
        switch kind {
        case .sgd: []
        case .momentum, .nesterov: [\.momentum]
        case .adagrad: [\.epsilon]
        case .rmsprop: [\.rho, \.epsilon]
        case .adam: [\.beta1, \.beta2, \.epsilon]
        }
    }

    /// The symbol a status line gives a parameter: `β`, `β1`, `β2`, `ρ`, `ε`.
    public static func symbol(_ parameter: WritableKeyPath<OptimizerParameters, Float>) -> String {
        switch parameter {
        case \.momentum: "β"
        case \.beta1: "β1"
        case \.beta2: "β2"
        case \.rho: "ρ"
        default: "ε"
        }
    }

    /// Throws a `ConfigError` naming the first value out of range: the decays in [0, 1), ε positive
    /// and finite.
    public func validate() throws(ConfigError) {
        let decays: [(ConfigError.Setting, Float)] = [
            (.momentum, momentum), (.beta1, beta1), (.beta2, beta2), (.rho, rho),
        ]
        for (setting, v) in decays where !(v >= 0 && v < 1) {
            throw ConfigError(setting, "must be in [0, 1), got \(v)")
        }
        if !(epsilon > 0 && epsilon.isFinite) {
            throw ConfigError(.epsilon, "must be a positive finite number, got \(epsilon)")
        }
    }
}

/// In a record's configuration: every field, and a field left out (a record of a later dlboard
/// that drops one) reads as the book's value.
extension OptimizerParameters: Codable {
    enum CodingKeys: String, CodingKey {
        case momentum, beta1, beta2, rho, epsilon
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let book = Self.book
        self.init(
            momentum: try c.decodeIfPresent(Float.self, forKey: .momentum) ?? book.momentum,
            beta1: try c.decodeIfPresent(Float.self, forKey: .beta1) ?? book.beta1,
            beta2: try c.decodeIfPresent(Float.self, forKey: .beta2) ?? book.beta2,
            rho: try c.decodeIfPresent(Float.self, forKey: .rho) ?? book.rho,
            epsilon: try c.decodeIfPresent(Float.self, forKey: .epsilon) ?? book.epsilon)
    }
}
