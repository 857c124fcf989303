import Foundation
import NN

/// The experiments of "Deep Learning from Scratch", chapter 6, each one command away
/// (`dlboard preset NAME`), with the book's configuration for each of its experiments E1–E9 (the
/// figures' optimizers, learning rates, initializers, sizes and iteration counts) — and, beyond
/// them, experiments on what the book's other chapters, the course and the Q&A text teach.
enum Preset: String, CaseIterable, Sendable {
    case optimizerPaths = "optimizer-paths"
    case optimizerRace = "optimizer-race"
    case activationHistograms = "activation-histograms"
    case initCompare = "init-compare"
    case weightSymmetry = "weight-symmetry"
    case batchnormGrid = "batchnorm-grid"
    case overfitWeightDecay = "overfit-weight-decay"
    case overfitDropout = "overfit-dropout"
    case randomSearch = "random-search"
    // Beyond chapter 6: batch size, learning-rate decay, activations, losses.
    case batchSize = "batch-size"
    case lrDecay = "lr-decay"
    case activations = "activations"
    case lossFunctions = "loss-functions"
    // Beyond the book: augmentation, the third remedy for overfitting.
    case augmentation = "augmentation"
    /// Beyond the book: layer normalization against BatchNorm at small batches.
    case normalization
    // Beyond the book: the course's search (grid vs random) and the tools' schedulers.
    case gridVsRandom = "grid-vs-random"
    case successiveHalving = "successive-halving"
    case population

    /// Where an experiment comes from, the heading `preset --list` groups it under.
    enum Source: CaseIterable {
        case bookChapter6
        case beyond

        var heading: String {
            switch self {
            case .bookChapter6: "The book's chapter 6 (experiments E1–E9, its scripts):"
            case .beyond: "Beyond chapter 6 (the book's chapters 1–5, the course, the Q&A text):"
            }
        }
    }

    /// The book's chapter-6 experiments are a closed set; every other preset is beyond it.
    var source: Source {
        switch self {
        case .optimizerPaths, .optimizerRace, .activationHistograms, .initCompare, .weightSymmetry, .batchnormGrid,
            .overfitWeightDecay, .overfitDropout, .randomSearch:
            .bookChapter6
        default: .beyond
        }
    }

    /// The book's experiment number and script.
    var experiment: String {
        switch self {
        case .optimizerPaths: "E1 optimizer_compare_naive.py"
        case .optimizerRace: "E2 optimizer_compare_mnist.py"
        case .activationHistograms: "E3 weight_init_activation_histogram.py"
        case .initCompare: "E4 weight_init_compare.py"
        case .weightSymmetry: "§6.2.1 weights of 0 (E4's network)"
        case .batchnormGrid: "E6 batch_norm_test.py"
        case .overfitWeightDecay: "E7 overfit_weight_decay.py"
        case .overfitDropout: "E8 overfit_dropout.py"
        case .randomSearch: "E9 hyperparameter_optimization.py"
        case .batchSize: "Q&A text §3.5, batch size"
        case .lrDecay: "course week 2, learning-rate decay"
        case .activations: "Q&A text, activation functions"
        case .lossFunctions: "book chapter 4, MSE vs cross-entropy"
        case .augmentation: "E7/E8's overfitting set, augmented (Q&A text §3.13)"
        case .normalization: "layer normalization (Ba, Kiros & Hinton 2016) vs BatchNorm at small batches"
        case .gridVsRandom: "course 2 week 3, grid vs random search (Bergstra & Bengio 2012)"
        case .successiveHalving: "successive halving (Jamieson & Talwalkar 2016), the rule under ASHA and Hyperband"
        case .population: "population-based training (Jaderberg et al. 2017), in lock-step"
        }
    }

    var summary: String {
        switch self {
        case .optimizerPaths:
            "SGD, Momentum, AdaGrad, Adam on the bowl x²/20 + y² from (-7, 2), 30 steps, over a contour"
        case .optimizerRace:
            "the four optimizers on MNIST, 784-100×4-10 ReLU He, batch 128, 2,000 iterations, same batches, the book's loss"
        case .activationHistograms:
            "activations of 5 layers (1000×100 normal input, no training): std 1 / 0.01 / Xavier / He, zeros / all 0.1"
        case .initCompare:
            "std 0.01 vs Xavier vs He, 784-100×4-10 ReLU, SGD 0.01, batch 128, 2,000 iterations, the book's loss"
        case .weightSymmetry:
            "zeros vs constant 0.01 vs std 0.01 vs He, 784-100×4-10 ReLU, SGD 0.1, 300 steps: only biases learn"
        case .batchnormGrid: "BatchNorm vs none across 16 init scales 1…1e-4, 1,000 images, 20 epochs, 784-100×5-10"
        case .overfitWeightDecay: "300 images, 784-100×6-10, 201 epochs: weight decay 0 vs 0.1 (train vs test accuracy)"
        case .overfitDropout: "300 images, 784-100×6-10, 301 epochs: dropout 0 vs 0.2 (train vs test accuracy)"
        case .randomSearch:
            "100 trials, lr 10^U(-6,-2), weight decay 10^U(-8,-4), 400 train / 100 validation, 50 epochs"
        case .batchSize: Self.batchSizeSummary
        case .lrDecay: Self.lrDecaySummary
        case .activations: Self.activationsSummary
        case .lossFunctions: Self.lossFunctionsSummary
        case .augmentation:
            "300 images, 784-100×6-10, 201 epochs: shift ±2, rotate ±10°, noise 0.1 vs none (train vs test accuracy)"
        case .normalization:
            "none vs BatchNorm vs LayerNorm at batch 2, 8 and 100, 1,000 images, 10 epochs, 784-100×4-10, SGD 0.01"
        case .gridVsRandom:
            "16 trials as a 4×4 grid vs 16 random, lr (matters) × weight decay (does not), E9's data and network"
        case .successiveHalving:
            "27 trials from the search space, rungs at 1, 3, 9 epochs, the best 1/3 go on (η = 3); vs random search"
        case .population:
            "8 members in lock-step, every epoch the bottom quarter copies a top member and perturbs lr and weight decay"
        }
    }

    /// What a user may shrink for a quick look (and the tests do).
    struct Overrides: Sendable {
        var steps: Int?
        var epochs: Int?
        var trainSize: Int?
        var testSize: Int?
        var scales: Int?
        var trials: Int?
        var seed: UInt64 = 0
    }

    /// A preset that trains networks on MNIST as a comparison session.
    struct Training {
        var runs: [TrainingSession.RunSpec]
        var trainSize: Int?
        var validationFraction: Double = 0
        /// The book's experiment judges on training accuracy only: no test set is loaded.
        var usesTestSet = true
        /// Panes drawn as small multiples of this many runs each (BatchNorm grid: pairs).
        var groupSize: Int?
        /// What the headless report adds after the lock-step lines: the numbers the verdict rests on.
        var verdict: PresetVerdict?
    }

    /// The initializers `weight-symmetry` compares, and its length: a few hundred steps are enough
    /// for He to pass 90 % while the others stay where they are.
    static let weightSymmetryInits: [Initializer] = [.zeros, .constant(0.01), .std(0.01), .he]
    static let weightSymmetrySteps = 300

    /// What the `augmentation` preset does to each training image.
    static let augmentationUsed = Augmentation(shift: 2, rotate: 10, noise: 0.1)

    /// The 16 init scales of E6: logspace(0, -4, 16).
    static let batchNormScales: [Float] = (0..<16).map { Float(pow(10, -4 * Double($0) / 15)) }

    /// The runs of a training preset (nil for the presets that are not MNIST comparisons).
    func training(_ o: Overrides) -> Training? {
        func config(
            hidden: Int, batch: Int, optimizer: OptimizerKind = .sgd, lr: Float? = nil,
            initializer: Initializer = .he, epochs: Int = 1
        ) -> TrainingConfig {
            TrainingConfig(
                network: NetworkConfig(
                    hidden: Array(repeating: 100, count: hidden), activation: .relu, initializer: initializer),
                optimizer: optimizer, learningRate: lr, batchSize: batch, epochs: o.epochs ?? epochs, seed: o.seed)
        }
        switch self {
        case .optimizerRace:
            let steps = o.steps ?? 2000
            let runs = [OptimizerKind.sgd, .momentum, .adagrad, .adam].map { kind in
                var c = config(hidden: 4, batch: 128, optimizer: kind)
                c.lossRecording = .postUpdateInference
                return TrainingSession.RunSpec(config: c, title: kind.displayName, stepTarget: steps)
            }
            return Training(runs: runs, trainSize: o.trainSize, verdict: .lossCheckpoints)
        case .initCompare:
            let steps = o.steps ?? 2000
            let runs = [Initializer.std(0.01), .xavier, .he].map { i in
                var c = config(hidden: 4, batch: 128, lr: 0.01, initializer: i)
                c.lossRecording = .postUpdateInference
                return TrainingSession.RunSpec(config: c, title: "init \(i.displayName)", stepTarget: steps)
            }
            return Training(runs: runs, trainSize: o.trainSize, verdict: .lossCheckpoints)
        case .weightSymmetry:
            // Zeros: every ReLU is dead and only the output biases learn (the class frequencies).
            // Constant 0.01 keeps the signal at scale 1 through 784 pixels and 100-unit layers
            // (0.01·Σx ≈ 1), so it trains — as one unit per layer. Std 0.01 vanishes; He learns.
            let steps = o.steps ?? Self.weightSymmetrySteps
            let runs = Self.weightSymmetryInits.map { i in
                TrainingSession.RunSpec(
                    config: config(hidden: 4, batch: 100, lr: 0.1, initializer: i), title: "init \(i.displayName)",
                    stepTarget: steps)
            }
            return Training(runs: runs, trainSize: o.trainSize)
        case .batchnormGrid:
            var scales = Self.batchNormScales
            if let n = o.scales, n >= 1, n < scales.count {
                // Evenly spread over the 16, always keeping both ends.
                scales = n == 1 ? [scales[0]] : (0..<n).map { scales[Int((Double($0) * 15 / Double(n - 1)).rounded())] }
            }
            var runs: [TrainingSession.RunSpec] = []
            for s in scales {
                for bn in [true, false] {
                    var c = config(hidden: 5, batch: 100, lr: 0.01, initializer: .std(s), epochs: 20)
                    c.network.batchNorm = bn
                    runs.append(.init(config: c, title: "std \(String(format: "%.2g", s)) \(bn ? "BN" : "no BN")"))
                }
            }
            return Training(
                runs: runs, trainSize: o.trainSize ?? 1000, usesTestSet: false, groupSize: 2)
        case .overfitWeightDecay:
            let runs = [Float(0), 0.1].map { wd in
                var c = config(hidden: 6, batch: 100, lr: 0.01, epochs: 201)
                c.network.weightDecay = wd
                return TrainingSession.RunSpec(
                    config: c, title: wd > 0 ? "weight decay \(Format.number(wd))" : "no weight decay")
            }
            return Training(runs: runs, trainSize: o.trainSize ?? 300)
        case .overfitDropout:
            let runs = [Float(0), 0.2].map { r in
                var c = config(hidden: 6, batch: 100, lr: 0.01, epochs: 301)
                c.network.dropout = r
                return TrainingSession.RunSpec(config: c, title: r > 0 ? "dropout \(Format.number(r))" : "no dropout")
            }
            return Training(runs: runs, trainSize: o.trainSize ?? 300)
        case .batchSize: return Self.batchSizeTraining(o)
        case .lrDecay: return Self.lrDecayTraining(o)
        case .activations: return Self.activationsTraining(o)
        case .lossFunctions: return Self.lossFunctionsTraining(o)
        case .augmentation:
            // E7/E8's network and data, the changes made to every training batch instead of to the
            // weights: the network cannot learn the 300 images by heart as they are, so the train
            // accuracy stays nearer the test accuracy.
            let runs = [Augmentation.none, Self.augmentationUsed].map { a in
                var c = config(hidden: 6, batch: 100, lr: 0.01, epochs: 201)
                c.augmentation = a
                return TrainingSession.RunSpec(config: c, title: a.displayName)
            }
            return Training(runs: runs, trainSize: o.trainSize ?? 300)
        case .normalization:
            return NormalizationPreset.training(o)
        case .optimizerPaths, .activationHistograms, .randomSearch, .gridVsRandom, .successiveHalving, .population:
            return nil
        }
    }
}
