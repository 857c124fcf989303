import ArgumentParser
import Foundation
import NN

/// The options every training command shares: network, optimizer, data, logging. BatchNorm, Dropout
/// and weight decay are `RegularizationOptions` (single values) or `VariationOptions` (lists, compare).
struct RunOptions: ParsableArguments {
    @Option(help: "Optimizer (the book's update rules and defaults).")
    var optimizer: OptimizerKind = .sgd

    @Option(parsing: .unconditional, help: "Learning rate (default: the book's, 0.001 for adam and 0.01 otherwise).")
    var lr: Float?

    @Option(
        name: .customLong("lr-schedule"),
        help:
            "Learning-rate schedule over the epochs e = 1, 2, …: constant, inverse:K (lr/(1+K·e)), exp:R (lr·R^e), isqrt:K (lr·K/√e), step:S:F (lr·F^⌊e/S⌋) or cosine:T."
    )
    var lrSchedule: LearningRateSchedule = .constant

    @Option(parsing: .unconditional, help: "Momentum and Nesterov: the velocity's decay (the book's 0.9).")
    var momentum: Float = OptimizerParameters.book.momentum

    @Option(parsing: .unconditional, help: "Adam: β1, the first moment's decay (the book's 0.9).")
    var beta1: Float = OptimizerParameters.book.beta1

    @Option(parsing: .unconditional, help: "Adam: β2, the second moment's decay (the book's 0.999).")
    var beta2: Float = OptimizerParameters.book.beta2

    @Option(parsing: .unconditional, help: "RMSprop: ρ, the squared gradients' decay (the book's 0.99).")
    var rho: Float = OptimizerParameters.book.rho

    @Option(
        name: .customLong("eps"), parsing: .unconditional,
        help: "AdaGrad, RMSprop and Adam: ε added to √h (the book's 1e-7; the course's Adam uses 1e-8).")
    var epsilon: Float = OptimizerParameters.book.epsilon

    @Option(
        name: .customLong("init"), parsing: .unconditional,
        help: "Weight initializer: he, xavier, a standard deviation such as 0.01, 0 (all zeros) or constant:C.")
    var initializer: InitializerArgument = InitializerArgument(argument: "he")!

    @Option(help: "Hidden-layer activation; leaky-relu:A sets the slope (default 0.01).")
    var activation: Activation = .relu

    @Option(help: "Loss on the softmax outputs: cross-entropy (the book's) or mse (½Σ(y − t)², mean over the batch).")
    var loss: Loss = .crossEntropy

    @Option(
        name: .customLong("dropout-style"),
        help:
            "Dropout's form: book (train × mask, test × (1 − ratio)) or inverted (train × mask/(1 − ratio), test unchanged)."
    )
    var dropoutStyle: DropoutStyle = .book

    @Option(parsing: .unconditional, help: "Hidden layer widths, comma-separated; WxN is N layers of W (100x4).")
    var hidden: HiddenLayers = HiddenLayers([100, 100, 100, 100])

    @Option(
        parsing: .unconditional,
        help: "Mini-batch size; one larger than the training set is clamped to it (said on stderr).")
    var batch: Int = 100

    @Option(
        parsing: .unconditional,
        help: "Epochs to train (an epoch is train-size / batch steps); default 5 for train, 20 for the dashboard.")
    var epochs: Int?

    @Option(
        name: .customLong("train-size"), parsing: .unconditional,
        help: "Use only the first N training images (the book's overfitting runs use 300).")
    var trainSize: Int?

    @Option(parsing: .unconditional, help: "Fraction of the training images held out for validation (e.g. 0.2).")
    var validation: Double = 0

    @Option(
        help:
            "Network inputs: unit (the book's pixel/255), raw (0…255), or standardize ((x − μ)/σ per pixel, from the training images)."
    )
    var inputs: InputScaling = .unit

    @Option(
        parsing: .unconditional,
        help:
            "Augment training batches (never evaluation): any of shift:K (±K pixels), rotate:D (±D degrees), noise:S (Gaussian std S of the pixel range), e.g. shift:2,rotate:10,noise:0.1; or none."
    )
    var augment: Augmentation = .none

    @OptionGroup var source: DataOptions

    @Option(help: "Mini-batch sampling: with replacement (the book's Trainer) or a shuffled permutation per epoch.")
    var sampling: BatchSampler.Policy = .withReplacement

    @Option(help: "Named dataset: the bundled MNIST, or Fashion-MNIST from Debian's dataset-fashion-mnist.")
    var dataset: DatasetName?

    @OptionGroup var record: RecordOptions

    @Option(parsing: .unconditional, help: "OpenBLAS threads.")
    var threads: Int = 1

    /// The run configuration; `defaultEpochs` applies when `--epochs` is not given.
    func trainingConfig(
        defaultEpochs: Int = 5, normalization: Normalization = .none, dropout: Float = 0, weightDecay: Float = 0
    ) -> TrainingConfig {
        TrainingConfig(
            network: NetworkConfig(
                hidden: hidden.sizes, activation: activation, initializer: initializer.value,
                dropout: dropout, weightDecay: weightDecay, loss: loss, dropoutStyle: dropoutStyle,
                normalization: normalization),
            optimizer: optimizer, learningRate: lr, batchSize: batch, epochs: epochs ?? defaultEpochs,
            seed: source.seed,
            sampling: sampling, optimizerParameters: optimizerParameters, schedule: lrSchedule, inputs: inputs,
            augmentation: augment)
    }

    var optimizerParameters: OptimizerParameters {
        OptimizerParameters(momentum: momentum, beta1: beta1, beta2: beta2, rho: rho, epsilon: epsilon)
    }

    func validate() throws {
        do { try trainingConfig().validate() } catch { throw ValidationError(error.flagMessage) }
        if let n = trainSize, n < 1 { throw ValidationError("--train-size: must be at least 1, got \(n)") }
        if !(validation >= 0 && validation < 1) {
            throw ValidationError("--validation: must be in [0, 1), got \(validation)")
        }
        if !(1...64).contains(threads) { throw ValidationError("--threads: must be in 1…64, got \(threads)") }
        if source.data != nil && dataset != nil { throw ValidationError("--data and --dataset: give only one of them") }
    }

    var logEvery: Int { record.logEvery }

    /// Opens the metrics log (first, so an unwritable path fails before any work), loads and
    /// restricts the data, fits `configs` to it (refusing what cannot fit in memory; see
    /// `DataLocator.load`), and sets the BLAS threads. Returns the fitted configs.
    func prepare(name: String, configs: [TrainingConfig]) throws
        -> (dataset: Dataset, directory: String, log: MetricsLog?, configs: [TrainingConfig])
    {
        let log = try record.open(name: name)
        let (restricted, directory, fitted) = try DataLocator.load(
            data: source.data, dataset: dataset, trainSize: trainSize.map { .flag($0) },
            validation: validation, seed: source.seed, configs: configs)
        BLASThreads.set(threads)
        return (restricted, directory, log, fitted)
    }
}
