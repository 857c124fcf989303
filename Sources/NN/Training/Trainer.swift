import Foundation

/// Trains one network on one dataset, a mini-batch at a time.
///
/// One epoch is `max(1, trainCount / batchSize)` steps (the book's `iter_per_epoch`): counted in
/// samples, an epoch ends when the next batch would not fit into the rest of the training set, so
/// the count stays right when the batch size changes in mid-run (`setBatchSize`). The loss each
/// step reports is, by default, the train-mode batch loss (the loss + ½λΣW²) from the forward pass
/// that computed the gradient, i.e. before the update; with `LossRecording.postUpdateInference` it
/// re-runs the batch in inference mode after the update, as the book's scripts do, which costs a
/// third more work.
/// `step(indices:)` lets a driver feed several trainers the same batches (lock-step comparison).
public final class Trainer {
    public let network: Network
    /// The optimizer, and with it the learning rate: the one place both live (see `config`).
    public private(set) var optimizer: any Optimizer
    public let data: Dataset
    /// `data.trainingChecksum()`, computed at the first checkpoint only: the training set never
    /// changes, and a full MNIST's images are ~47 MB of CRC at every evaluation otherwise.
    lazy var trainingChecksum: UInt32 = data.trainingChecksum()
    /// The base rate α0 (what `config` states and `setLearningRate` sets) and how it follows the
    /// epochs; `step` gives the optimizer the rate of each step, keeping its state.
    public private(set) var baseLearningRate: Float
    public private(set) var schedule: LearningRateSchedule
    /// The β, ρ and ε every optimizer this trainer makes gets.
    public let optimizerParameters: OptimizerParameters
    /// Which loss `step` returns.
    public let lossRecording: LossRecording
    /// The settings no switch changes; the others live in `network` and `optimizer`.
    /// The one setting of these that a switch changes (`setBatchSize`).
    public private(set) var batchSize: Int
    private let epochs: Int
    private let seed: UInt64
    private let sampling: BatchSampler.Policy
    /// The map from unit pixels to inputs, its statistics from this trainer's training images; every
    /// gathered batch (training and evaluation) goes through it.
    public let inputTransform: InputTransform
    /// What each training batch's images get before the input scaling (`setAugmentation`).
    public private(set) var augmentation: Augmentation
    private var augmentationScratch: [Float] = []
    public private(set) var sampler: BatchSampler
    public private(set) var steps = 0
    /// Training samples drawn so far, and those of the epoch under way.
    public private(set) var samplesSeen = 0
    public private(set) var epochSamples = 0
    /// Epochs completed, counted in samples (see the type's comment).
    public private(set) var completedEpochs = 0
    /// The training-image indices of the last step's batch (what lock-step runs must agree on).
    /// The sampler draws into this one array every step, so a step allocates no index array.
    public private(set) var lastBatch: [Int] = []
    /// The stream position of the last batch's first sample (what its augmentation was drawn for)
    /// and the augmentation it got: with `lastBatch`, what the last step's inputs were made of.
    private var lastBatchPosition = 0
    private var lastBatchAugmentation = Augmentation.none
    /// Whether the last step's inputs are in this trainer's own `batch` (false: it trained on
    /// another trainer's, `step(collectingStatistics:sharingInputsWith:)`, or has not stepped).
    private var batchHoldsLastInputs = false
    /// Whether the last step read another trainer's inputs instead of gathering its own.
    public private(set) var lastStepSharedInputs = false

    /// The last step's inputs as the network saw them (augmented and scaled), row by row: what
    /// lock-step runs must agree on when they augment. A copy, made only when asked for: built
    /// again from the last batch's indices, position and augmentation, since the step may have
    /// read another trainer's copy of them.
    public var lastInputs: [Float] {
        let x = Matrix(rows: 0, cols: 0)
        var labels: [Int32] = []
        var scratch: [Float] = []
        prepare(
            lastBatch, position: lastBatchPosition, augmentation: lastBatchAugmentation, into: x,
            labels: &labels, scratch: &scratch)
        return Array(UnsafeBufferPointer(start: x.pointer, count: x.count))
    }

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

    /// Steps per epoch at the current batch size.
    public var stepsPerEpoch: Int { max(1, data.train.count / batchSize) }

    /// Epochs of training as samples seen: the completed ones plus the share of the current one.
    public var epochProgress: Double {
        Double(completedEpochs) + Double(epochSamples) / Double(max(1, data.train.count))
    }

    /// Whether the next step (at the current batch size) completes an epoch.
    public var nextStepEndsEpoch: Bool { epochEnds(after: epochSamples + batchDraw) }

    /// What one batch takes from the training set (a batch larger than it takes all of it).
    private var batchDraw: Int { min(batchSize, max(1, data.train.count)) }

    private func epochEnds(after samples: Int) -> Bool { samples + batchDraw > data.train.count }

    /// The configuration now, read from what trains: the network's structure and regularization as
    /// switched, the optimizer's kind, the base learning rate and its schedule. The rate is stated as a
    /// `TrainingConfig` states a default — nil when it is the optimizer's default — so a run that
    /// was never given one reads back as it was configured.
    public var config: TrainingConfig {
        TrainingConfig(
            network: network.config, optimizer: optimizer.kind,
            learningRate: TrainingConfig.statedLearningRate(baseLearningRate, for: optimizer.kind),
            batchSize: batchSize, epochs: epochs, seed: seed, sampling: sampling,
            optimizerParameters: optimizerParameters, schedule: schedule, lossRecording: lossRecording,
            inputs: inputTransform.scaling, augmentation: augmentation)
    }

    /// The rate the next step trains with: the schedule at that step's epoch, counted in samples
    /// (`completedEpochs`), so a batch-size switch does not move a run to another epoch's rate.
    public var currentLearningRate: Float {
        schedule.rate(base: baseLearningRate, epoch: completedEpochs + 1)
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
        self.inputTransform = InputTransform(config.inputs, train: data.train)
        self.augmentation = config.augmentation
        self.network = Network(config: config.network, seed: config.seed)
        self.baseLearningRate = config.effectiveLearningRate
        self.schedule = config.schedule
        self.optimizerParameters = config.optimizerParameters
        self.lossRecording = config.lossRecording
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
        inputTransform = other.inputTransform
        augmentation = other.augmentation
        baseLearningRate = other.baseLearningRate
        schedule = other.schedule
        optimizerParameters = other.optimizerParameters
        lossRecording = other.lossRecording
        network = other.network.clone()
        optimizer = other.optimizer.clone()
        sampler = other.sampler
        steps = other.steps
        samplesSeen = other.samplesSeen
        epochSamples = other.epochSamples
        completedEpochs = other.completedEpochs
        lastBatch = other.lastBatch
        lastBatchPosition = other.lastBatchPosition
        lastBatchAugmentation = other.lastBatchAugmentation
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

    /// Later batches hold `size` images, taken on from where the sampler stands. Returns whether
    /// that completes the current epoch: when fewer than `size` of its samples are left (the sampler
    /// starts a fresh permutation for the next batch), the epoch ends here.
    @discardableResult
    public func setBatchSize(_ size: Int) -> Bool {
        precondition(size >= 1, "batch size must be ≥ 1")
        batchSize = size
        sampler.setBatchSize(size)
        guard epochSamples > 0, epochEnds(after: epochSamples) else { return false }
        completedEpochs += 1
        epochSamples = 0
        return true
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

    /// Later training batches get `augmentation` (none: as they are); weights, optimizer state and
    /// the batch sequence go on.
    public func setAugmentation(_ augmentation: Augmentation) {
        precondition((try? augmentation.validate()) != nil, "invalid augmentation")
        self.augmentation = augmentation
    }

    /// One step on the next batch of this trainer's own sampler. Returns the batch loss.
    @discardableResult
    public func step() -> Double {
        step(collectingStatistics: nil, sharingInputsWith: [])
    }

    /// One step on the training images at `indices`. Returns the batch loss as `lossRecording` says
    /// (may be NaN or infinite
    /// if training diverged; the caller decides what to do). `collectingStatistics` overrides
    /// `statisticsInterval` for this step; collecting fills `lastLayerStatistics` and changes no
    /// weight, loss or random stream.
    @discardableResult
    public func step(indices: [Int], collectingStatistics: Bool? = nil) -> Double {
        lastBatch = indices
        return trainOnLastBatch(collectingStatistics: collectingStatistics, donor: nil)
    }

    /// One step on the next batch of this trainer's own sampler, collecting statistics or not.
    @discardableResult
    public func step(collectingStatistics: Bool) -> Double {
        step(collectingStatistics: collectingStatistics, sharingInputsWith: [])
    }

    /// One step on the next batch of this trainer's own sampler. When one of `donors` made its last
    /// step's inputs exactly as this step's would be made (the same images, the same augmentation
    /// drawn for the same sample positions, the same input scaling, checked here), the network
    /// reads that trainer's copy instead of gathering its own: lock-step runs on one core gather each
    /// batch once. The numbers are the same either way, so the loss and every later bit are too.
    ///
    /// No donor may step, nor be switched, while this step runs (the caller steps them on one thread,
    /// one after the other). A trainer whose own last step read someone else's inputs lends nothing:
    /// its batch buffer does not hold them.
    @discardableResult
    public func step(collectingStatistics: Bool?, sharingInputsWith donors: ArraySlice<Trainer>) -> Double {
        sampler.next(into: &lastBatch)
        let donor = donors.first { donor in
            donor !== self
                && donor.lastInputsMatch(
                    lastBatch, position: samplesSeen, augmentation: augmentation, seed: seed,
                    transform: inputTransform, data: data)
        }
        return trainOnLastBatch(collectingStatistics: collectingStatistics, donor: donor)
    }

    /// Whether the inputs of this trainer's last step are, number for number, the inputs a step on
    /// `indices` drawn at stream position `position` makes with `augmentation` (seeded `seed`),
    /// `transform` and the training images of `data`.
    private func lastInputsMatch(
        _ indices: [Int], position: Int, augmentation: Augmentation, seed: UInt64, transform: InputTransform,
        data other: Dataset
    ) -> Bool {
        guard batchHoldsLastInputs, lastBatch == indices, lastBatchAugmentation == augmentation,
            inputTransform == transform, data.train.sharesStorage(with: other.train)
        else { return false }
        // Unaugmented inputs depend neither on the position in the stream nor on the seed.
        return augmentation.isNone || (lastBatchPosition == position && self.seed == seed)
    }

    private func trainOnLastBatch(collectingStatistics: Bool?, donor: Trainer?) -> Double {
        let collect =
            collectingStatistics ?? (statisticsInterval > 0 && (steps + 1) % statisticsInterval == 0)
        let indices = lastBatch
        lastBatchPosition = samplesSeen
        lastBatchAugmentation = augmentation
        let inputs: Matrix
        let labels: [Int32]
        if let donor {
            inputs = donor.batch
            labels = donor.batchLabels
            batchHoldsLastInputs = false
            lastStepSharedInputs = true
        } else {
            // Each sample is augmented by its position in the stream of drawn samples, so lock-step
            // runs, whatever their batch size, give sample p the same changes.
            prepare(
                indices, position: samplesSeen, augmentation: augmentation, into: batch, labels: &batchLabels,
                scratch: &augmentationScratch)
            inputs = batch
            labels = batchLabels
            batchHoldsLastInputs = true
            lastStepSharedInputs = false
        }
        var loss = network.gradient(inputs, labels: labels)
        if collect { copyWeightsBefore() }
        optimizer.learningRate = currentLearningRate
        optimizer.update(network.parameters)
        steps += 1
        samplesSeen += indices.count
        epochSamples += indices.count
        if epochEnds(after: epochSamples) {
            completedEpochs += 1
            epochSamples = 0
        }
        if collect {
            lastLayerStatistics = network.layerStatistics(weightsBefore: weightsBefore)
            lastLayerStatisticsStep = steps
        }
        // After the statistics, which read the train-mode pass's activations and gradients. The
        // activation histograms read afterwards are then of this pass, the one the loss is of.
        if lossRecording == .postUpdateInference {
            loss = network.loss(inputs, labels: labels, mode: .eval)
        }
        return loss
    }

    /// The training images at `indices` as the network gets them: unit pixels, augmented for the
    /// stream positions from `position` on, then scaled.
    private func prepare(
        _ indices: [Int], position: Int, augmentation: Augmentation, into x: Matrix, labels: inout [Int32],
        scratch: inout [Float]
    ) {
        data.train.gather(indices, into: x, labels: &labels)
        augmentation.apply(to: x, width: data.train.width, seed: seed, firstPosition: position, scratch: &scratch)
        inputTransform.apply(to: x)
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
            inputTransform.apply(to: evalChunk)
            correct += network.correctCount(evalChunk, labels: evalLabels)
            start = end
        }
        return Double(correct) / Double(n)
    }
}

extension Trainer {
    /// Where a restored run stands (a checkpoint's counters, sampler and base rate); the network's
    /// and the optimizer's state are restored in place. The optimizer then trains at the rate of
    /// the restored epoch.
    func restorePosition(
        steps: Int, samplesSeen: Int, epochSamples: Int, completedEpochs: Int, lastBatch: [Int],
        sampler: BatchSampler, baseLearningRate: Float
    ) {
        checkLearningRate(baseLearningRate)
        self.steps = steps
        self.samplesSeen = samplesSeen
        self.epochSamples = epochSamples
        self.completedEpochs = completedEpochs
        self.lastBatch = lastBatch
        self.lastBatchPosition = samplesSeen - lastBatch.count
        self.lastBatchAugmentation = augmentation
        self.batchHoldsLastInputs = false
        self.sampler = sampler
        self.baseLearningRate = baseLearningRate
        optimizer.learningRate = currentLearningRate
    }
}
