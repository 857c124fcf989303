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
    public private(set) var optimizer: any Optimizer
    public let data: Dataset
    private var baseConfig: TrainingConfig
    /// The configuration now — including BatchNorm, Dropout and weight decay switched on the network.
    public var config: TrainingConfig {
        get {
            var c = baseConfig
            c.network = network.config
            return c
        }
        set { baseConfig = newValue }
    }
    public private(set) var sampler: BatchSampler
    public private(set) var steps = 0
    /// The training-image indices of the last step's batch (what lock-step runs must agree on).
    public private(set) var lastBatch: [Int] = []

    private let batch = Matrix(rows: 0, cols: 0)
    private var batchLabels: [Int32] = []
    private let evalChunk = Matrix(rows: 0, cols: 0)
    private var evalLabels: [Int32] = []

    public var stepsPerEpoch: Int { max(1, data.train.count / config.batchSize) }

    /// The network's input follows the data: `config.network.inputSize` is replaced by the width
    /// of an image of `data` (callers need not know the image size). Precondition: `config` is
    /// valid (see `TrainingConfig.validate()`) and there is at least one training image.
    public init(config: TrainingConfig, data: Dataset) {
        var config = config
        config.network.inputSize = data.train.features
        precondition((try? config.validate()) != nil, "invalid TrainingConfig")
        self.baseConfig = config
        self.data = data
        self.network = Network(config: config.network, seed: config.seed)
        self.optimizer = config.optimizer.make(learningRate: config.effectiveLearningRate)
        self.sampler = BatchSampler(
            count: data.train.count, batchSize: config.batchSize,
            policy: config.sampling, seed: config.seed)
    }

    private init(forking other: Trainer) {
        baseConfig = other.baseConfig
        data = other.data
        network = other.network.clone()
        optimizer = other.optimizer.clone()
        sampler = other.sampler
        steps = other.steps
        lastBatch = other.lastBatch
    }

    /// An independent copy that goes on exactly where this one stands: the same weights, BatchNorm
    /// running statistics, optimizer state and position in the batch sequence. Trained on, the fork
    /// and the original stay identical until one of them is switched.
    public func fork() -> Trainer { Trainer(forking: self) }

    /// Replaces the optimizer with a fresh one (all state restarts at 0). Weights are kept.
    public func setOptimizer(_ kind: OptimizerKind, learningRate: Float? = nil) {
        config.optimizer = kind
        config.learningRate = learningRate
        optimizer = kind.make(learningRate: config.effectiveLearningRate)
    }

    /// Draws new weights from `initializer` and starts a fresh optimizer (stale momentum or Adam
    /// moments would only fight the new weights). The step count goes on.
    public func reinitialize(_ initializer: Initializer) {
        config.network.initializer = initializer
        network.reinitialize(initializer)
        optimizer = config.optimizer.make(learningRate: optimizer.learningRate)
    }

    /// Replaces the activation and re-initializes (weights scaled for one activation are wrong for
    /// another), with a fresh optimizer.
    public func setActivation(_ activation: Activation) {
        config.network.activation = activation
        network.setActivation(activation)
        reinitialize(config.network.initializer)
    }

    /// Changes the learning rate of the current optimizer, keeping its state.
    public func setLearningRate(_ lr: Float) {
        config.learningRate = lr
        optimizer.learningRate = lr
    }

    /// One step on the next batch of this trainer's own sampler. Returns the batch loss.
    @discardableResult
    public func step() -> Double {
        step(indices: sampler.next())
    }

    /// One step on the training images at `indices`. Returns the batch loss (may be NaN or infinite
    /// if training diverged; the caller decides what to do).
    @discardableResult
    public func step(indices: [Int]) -> Double {
        lastBatch = indices
        data.train.gather(indices, into: batch, labels: &batchLabels)
        let loss = network.gradient(batch, labels: batchLabels)
        optimizer.update(network.parameters)
        steps += 1
        return loss
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
