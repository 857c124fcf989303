import Foundation

/// Trains one network on one dataset, a mini-batch at a time.
///
/// One epoch is `max(1, trainCount / batchSize)` steps (the book's `iter_per_epoch`). The loss each
/// step reports is the train-mode batch loss (cross-entropy + ½λΣW²) from the forward pass that
/// computed the gradient, i.e. before the update — the book's `Trainer` instead re-runs the batch in
/// inference mode after the update, which costs a third more work and shows the same trend.
/// `step(indices:)` lets a driver feed several trainers the same batches (lock-step comparison).
public final class Trainer {
    public let network: Network
    /// The optimizer, and with it the learning rate: the one place both live (see `config`).
    public private(set) var optimizer: any Optimizer
    public let data: Dataset
    /// The base rate α0 (what `config` states and `setLearningRate` sets) and how it follows the
    /// epochs; `step` gives the optimizer the rate of each step, keeping its state.
    public private(set) var baseLearningRate: Float
    public private(set) var schedule: LearningRateSchedule
    /// The β, ρ and ε every optimizer this trainer makes gets.
    public let optimizerParameters: OptimizerParameters
    /// The settings no switch changes; the others live in `network` and `optimizer`.
    private let batchSize: Int
    private let epochs: Int
    private let seed: UInt64
    private let sampling: BatchSampler.Policy
    public private(set) var sampler: BatchSampler
    public private(set) var steps = 0
    /// The training-image indices of the last step's batch (what lock-step runs must agree on).
    public private(set) var lastBatch: [Int] = []

    /// Collect per-layer statistics on every `statisticsInterval`-th step (steps 1·N, 2·N, …);
    /// 0 (the default) never. A step that does not collect costs exactly what it did without them.
    public var statisticsInterval = 0 {
        didSet { precondition(statisticsInterval >= 0, "statistics interval must be ≥ 0") }
    }
    /// The per-Affine statistics of the last step that collected them (empty until one did), and
    /// the step number (`steps` after it) they belong to.
    public private(set) var lastLayerStatistics: [LayerStatistics] = []
    public private(set) var lastLayerStatisticsStep = 0
    /// Copies of each W taken just before a collecting step's update, reused across steps.
    private var weightsBefore: [Matrix] = []

    private let batch = Matrix(rows: 0, cols: 0)
    private var batchLabels: [Int32] = []
    private let evalChunk = Matrix(rows: 0, cols: 0)
    private var evalLabels: [Int32] = []

    public var stepsPerEpoch: Int { max(1, data.train.count / batchSize) }

    /// The configuration now, read from what trains: the network's structure and regularization as
    /// switched, the optimizer's kind, the base learning rate and its schedule. The rate is stated as a
    /// `TrainingConfig` states a default — nil when it is the optimizer's default — so a run that
    /// was never given one reads back as it was configured.
    public var config: TrainingConfig {
        TrainingConfig(
            network: network.config, optimizer: optimizer.kind,
            learningRate: TrainingConfig.statedLearningRate(baseLearningRate, for: optimizer.kind),
            batchSize: batchSize, epochs: epochs, seed: seed, sampling: sampling,
            optimizerParameters: optimizerParameters, schedule: schedule)
    }

    /// The rate the next step trains with (the schedule at that step's epoch).
    public var currentLearningRate: Float {
        schedule.rate(base: baseLearningRate, step: steps + 1, stepsPerEpoch: stepsPerEpoch)
    }

    /// The network's input follows the data: `config.network.inputSize` is replaced by the width
    /// of an image of `data` (callers need not know the image size). Precondition: `config` is
    /// valid (see `TrainingConfig.validate()`) and there is at least one training image.
    public init(config: TrainingConfig, data: Dataset) {
        var config = config
        config.network.inputSize = data.train.features
        precondition((try? config.validate()) != nil, "invalid TrainingConfig")
        self.batchSize = config.batchSize
        self.epochs = config.epochs
        self.seed = config.seed
        self.sampling = config.sampling
        self.data = data
        self.network = Network(config: config.network, seed: config.seed)
        self.baseLearningRate = config.effectiveLearningRate
        self.schedule = config.schedule
        self.optimizerParameters = config.optimizerParameters
        self.optimizer = config.optimizer.make(
            learningRate: config.effectiveLearningRate, parameters: config.optimizerParameters)
        self.sampler = BatchSampler(
            count: data.train.count, batchSize: config.batchSize,
            policy: config.sampling, seed: config.seed)
    }

    private init(forking other: Trainer) {
        batchSize = other.batchSize
        epochs = other.epochs
        seed = other.seed
        sampling = other.sampling
        data = other.data
        baseLearningRate = other.baseLearningRate
        schedule = other.schedule
        optimizerParameters = other.optimizerParameters
        network = other.network.clone()
        optimizer = other.optimizer.clone()
        sampler = other.sampler
        steps = other.steps
        lastBatch = other.lastBatch
        statisticsInterval = other.statisticsInterval
        lastLayerStatistics = other.lastLayerStatistics
        lastLayerStatisticsStep = other.lastLayerStatisticsStep
    }

    /// An independent copy that goes on exactly where this one stands: the same weights, BatchNorm
    /// running statistics, optimizer state and position in the batch sequence. Trained on, the fork
    /// and the original stay identical until one of them is switched.
    public func fork() -> Trainer { Trainer(forking: self) }

    /// Replaces the optimizer with a fresh one (all state restarts at 0), at the base rate
    /// `learningRate` or the kind's default (under the same schedule). Weights are kept.
    public func setOptimizer(_ kind: OptimizerKind, learningRate: Float? = nil) {
        baseLearningRate = learningRate ?? kind.defaultLearningRate
        optimizer = kind.make(learningRate: currentLearningRate, parameters: optimizerParameters)
    }

    /// Draws new weights from `initializer` and starts a fresh optimizer (stale momentum or Adam
    /// moments would only fight the new weights) at the same learning rate. The step count goes on.
    public func reinitialize(_ initializer: Initializer) {
        network.reinitialize(initializer)
        optimizer = optimizer.kind.make(learningRate: currentLearningRate, parameters: optimizerParameters)
    }

    /// Replaces the activation and re-initializes (weights scaled for one activation are wrong for
    /// another), with a fresh optimizer.
    public func setActivation(_ activation: Activation) {
        network.setActivation(activation)
        reinitialize(network.config.initializer)
    }

    /// Changes the base learning rate α0 (the schedule scales it from the next step on), keeping
    /// the optimizer's state.
    public func setLearningRate(_ lr: Float) {
        checkLearningRate(lr)
        baseLearningRate = lr
        optimizer.learningRate = currentLearningRate
    }

    /// Replaces the schedule: the next step trains at the new schedule's rate for its epoch (the
    /// step count goes on), and the optimizer's state is kept.
    public func setSchedule(_ schedule: LearningRateSchedule) {
        precondition((try? schedule.validate()) != nil, "invalid learning-rate schedule")
        self.schedule = schedule
        optimizer.learningRate = currentLearningRate
    }

    /// One step on the next batch of this trainer's own sampler. Returns the batch loss.
    @discardableResult
    public func step() -> Double {
        step(indices: sampler.next())
    }

    /// One step on the training images at `indices`. Returns the batch loss (may be NaN or infinite
    /// if training diverged; the caller decides what to do). `collectingStatistics` overrides
    /// `statisticsInterval` for this step; collecting fills `lastLayerStatistics` and changes no
    /// weight, loss or random stream.
    @discardableResult
    public func step(indices: [Int], collectingStatistics: Bool? = nil) -> Double {
        let collect =
            collectingStatistics ?? (statisticsInterval > 0 && (steps + 1) % statisticsInterval == 0)
        lastBatch = indices
        data.train.gather(indices, into: batch, labels: &batchLabels)
        let loss = network.gradient(batch, labels: batchLabels)
        if collect { copyWeightsBefore() }
        optimizer.learningRate = currentLearningRate
        optimizer.update(network.parameters)
        steps += 1
        if collect {
            lastLayerStatistics = network.layerStatistics(weightsBefore: weightsBefore)
            lastLayerStatisticsStep = steps
        }
        return loss
    }

    /// One step on the next batch of this trainer's own sampler, collecting statistics or not.
    @discardableResult
    public func step(collectingStatistics: Bool) -> Double {
        step(indices: sampler.next(), collectingStatistics: collectingStatistics)
    }

    private func copyWeightsBefore() {
        let affines = network.affines
        if weightsBefore.count != affines.count {
            weightsBefore = affines.map { _ in Matrix(rows: 0, cols: 0) }
        }
        for (copy, a) in zip(weightsBefore, affines) {
            copy.assign(a.weight.value)
        }
    }

    /// Fraction of `images` classified correctly (eval mode), at most the first `limit` of them.
    public func accuracy(on images: LabeledImages, limit: Int? = nil, chunk: Int = 1000) -> Double {
        let n = min(images.count, limit ?? images.count)
        guard n > 0 else { return 0 }
        var correct = 0
        var start = 0
        while start < n {
            let end = min(n, start + chunk)
            images.gather(range: start..<end, into: evalChunk, labels: &evalLabels)
            correct += network.correctCount(evalChunk, labels: evalLabels)
            start = end
        }
        return Double(correct) / Double(n)
    }
}
