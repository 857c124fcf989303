/// Everything that determines a training run, as a value: with the same data, the same
/// `TrainingConfig` gives the same loss sequence.
public struct TrainingConfig: Sendable, Equatable, Codable {
    public var network: NetworkConfig
    public var optimizer: OptimizerKind
    /// nil means the book's default for the optimizer (0.001 Adam, 0.01 otherwise).
    public var learningRate: Float?
    public var batchSize: Int
    public var epochs: Int
    public var seed: UInt64
    public var sampling: BatchSampler.Policy

    public init(
        network: NetworkConfig = NetworkConfig(), optimizer: OptimizerKind = .sgd, learningRate: Float? = nil,
        batchSize: Int = 100, epochs: Int = 5, seed: UInt64 = 0, sampling: BatchSampler.Policy = .withReplacement
    ) {
        self.network = network
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.batchSize = batchSize
        self.epochs = epochs
        self.seed = seed
        self.sampling = sampling
    }

    public var effectiveLearningRate: Float { learningRate ?? optimizer.defaultLearningRate }

    /// `lr` as a configuration states it for `optimizer`: nil when it is that optimizer's default.
    /// Configurations that train alike then compare equal, however the rate was reached.
    public static func statedLearningRate(_ lr: Float, for optimizer: OptimizerKind) -> Float? {
        lr == optimizer.defaultLearningRate ? nil : lr
    }

    /// Throws a `ConfigError` naming the first invalid value.
    public func validate() throws(ConfigError) {
        try network.validate()
        if let lr = learningRate, !(lr > 0 && lr.isFinite) {
            throw ConfigError(.learningRate, "must be a positive number, got \(lr)")
        }
        if batchSize < 1 { throw ConfigError(.batchSize, "must be at least 1, got \(batchSize)") }
        if epochs < 1 { throw ConfigError(.epochs, "must be at least 1, got \(epochs)") }
    }
}

extension TrainingConfig {
    /// Why this configuration cannot train as it looks, or nil: BatchNorm over a batch of one image
    /// subtracts that image's own mean, so every normalized output is 0 (β alone goes on) and the
    /// layers before it get no gradient through it.
    public var batchNormWarning: String? {
        guard network.batchNorm && batchSize == 1 else { return nil }
        return "BatchNorm with batch 1: every normalized output is 0 (a batch of one has no variance)"
    }

    /// This configuration for `data`: the network's input is as wide as an image of the data,
    /// and a batch larger than the training set is clamped to it (every step then sees as many
    /// images as there are; with replacement, as drawn).
    public func fitted(to data: Dataset) -> TrainingConfig {
        var c = self
        c.network.inputSize = data.train.features
        c.batchSize = min(batchSize, max(1, data.train.count))
        return c
    }
}
