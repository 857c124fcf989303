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
    /// The optimizers' β, ρ and ε (each optimizer uses its own; see `OptimizerParameters`).
    public var optimizerParameters: OptimizerParameters {
        get { statedOptimizerParameters ?? .book }
        set { statedOptimizerParameters = newValue == .book ? nil : newValue }
    }
    /// How the rate follows the epochs; `learningRate` is its base α0.
    public var schedule: LearningRateSchedule {
        get { statedSchedule ?? .constant }
        set { statedSchedule = newValue == .constant ? nil : newValue }
    }
    /// Which loss each step reports (`LossRecording`); it changes no weight.
    public var lossRecording: LossRecording {
        get { statedLossRecording ?? .preUpdate }
        set { statedLossRecording = newValue == .preUpdate ? nil : newValue }
    }
    /// How pixels become inputs (the book's byte / 255 by default).
    public var inputs: InputScaling {
        get { statedInputs ?? .unit }
        set { statedInputs = newValue == .unit ? nil : newValue }
    }
    /// What is done to each training batch's images (none by default); evaluation never sees it.
    public var augmentation: Augmentation {
        get { statedAugmentation ?? .none }
        set { statedAugmentation = newValue.isNone ? nil : newValue }
    }
    // Stored as nil when they are the book's, so a record of a run at the book's values is written
    // as before, and a record without them reads as the book's.
    private var statedOptimizerParameters: OptimizerParameters?
    private var statedSchedule: LearningRateSchedule?
    private var statedLossRecording: LossRecording?
    private var statedInputs: InputScaling?
    private var statedAugmentation: Augmentation?

    enum CodingKeys: String, CodingKey {
        case network, optimizer, learningRate, batchSize, epochs, seed, sampling
        case statedOptimizerParameters = "optimizerParameters"
        case statedSchedule = "schedule"
        case statedLossRecording = "lossRecording"
        case statedInputs = "inputs"
        case statedAugmentation = "augment"
    }

    public init(
        network: NetworkConfig = NetworkConfig(), optimizer: OptimizerKind = .sgd, learningRate: Float? = nil,
        batchSize: Int = 100, epochs: Int = 5, seed: UInt64 = 0, sampling: BatchSampler.Policy = .withReplacement,
        optimizerParameters: OptimizerParameters = .book, schedule: LearningRateSchedule = .constant,
        lossRecording: LossRecording = .preUpdate, inputs: InputScaling = .unit, augmentation: Augmentation = .none
    ) {
        self.network = network
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.batchSize = batchSize
        self.epochs = epochs
        self.seed = seed
        self.sampling = sampling
        self.optimizerParameters = optimizerParameters
        self.schedule = schedule
        self.lossRecording = lossRecording
        self.inputs = inputs
        self.augmentation = augmentation
    }

    /// The base rate α0: the stated one or the optimizer's default. The `+`/`-` keys step it; the
    /// schedule decays it (`learningRate(forStep:stepsPerEpoch:)`).
    public var effectiveLearningRate: Float { learningRate ?? optimizer.defaultLearningRate }

    /// The rate training step `step` (1 is the first) trains with: the schedule applied to α0.
    public func learningRate(forStep step: Int, stepsPerEpoch: Int) -> Float {
        schedule.rate(base: effectiveLearningRate, step: step, stepsPerEpoch: stepsPerEpoch)
    }

    /// `lr` as a configuration states it for `optimizer`: nil when it is that optimizer's default.
    /// Configurations that train alike then compare equal, however the rate was reached.
    public static func statedLearningRate(_ lr: Float, for optimizer: OptimizerKind) -> Float? {
        lr == optimizer.defaultLearningRate ? nil : lr
    }

    /// Throws a `ConfigError` naming the first invalid value.
    /// The most epochs a run may plan (see `validate()`).
    public static let maximumEpochs = 1_000_000

    public func validate() throws(ConfigError) {
        try network.validate()
        if let lr = learningRate, !(lr > 0 && lr.isFinite) {
            throw ConfigError(.learningRate, "must be a positive number, got \(lr)")
        }
        try optimizerParameters.validate()
        try schedule.validate()
        try augmentation.validate()
        if batchSize < 1 { throw ConfigError(.batchSize, "must be at least 1, got \(batchSize)") }
        if epochs < 1 { throw ConfigError(.epochs, "must be at least 1, got \(epochs)") }
        // A million epochs of 60,000 single-image steps is 6·10¹⁰ steps: far past any run, and
        // within what a run record may hold (10¹² steps), so every run that starts can be replayed.
        if epochs > Self.maximumEpochs {
            throw ConfigError(.epochs, "must be at most \(Self.maximumEpochs), got \(epochs)")
        }
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
