import Foundation
import NN

/// The experiments of "Deep Learning from Scratch", chapter 6, each one command away
/// (`dlboard preset NAME`), with the book's configuration for each of its experiments E1–E9 (the
/// figures' optimizers, learning rates, initializers, sizes and iteration counts).
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
    /// Beyond the book: layer normalization against BatchNorm at small batches.
    case normalization

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
        case .normalization: "beyond the book: layer normalization (Ba, Kiros & Hinton 2016)"
        }
    }

    var summary: String {
        switch self {
        case .optimizerPaths:
            "SGD, Momentum, AdaGrad, Adam on the bowl x²/20 + y² from (-7, 2), 30 steps, over a contour"
        case .optimizerRace:
            "the four optimizers on MNIST, 784-100×4-10 ReLU He, batch 128, 2,000 iterations, same batches"
        case .activationHistograms:
            "activations of 5 layers (1000×100 normal input, no training): std 1 / 0.01 / Xavier / He, zeros / all 0.1"
        case .initCompare: "std 0.01 vs Xavier vs He, 784-100×4-10 ReLU, SGD 0.01, batch 128, 2,000 iterations"
        case .weightSymmetry:
            "zeros vs constant 0.01 vs std 0.01 vs He, 784-100×4-10 ReLU, SGD 0.1, 300 steps: only biases learn"
        case .batchnormGrid: "BatchNorm vs none across 16 init scales 1…1e-4, 1,000 images, 20 epochs, 784-100×5-10"
        case .overfitWeightDecay: "300 images, 784-100×6-10, 201 epochs: weight decay 0 vs 0.1 (train vs test accuracy)"
        case .overfitDropout: "300 images, 784-100×6-10, 301 epochs: dropout 0 vs 0.2 (train vs test accuracy)"
        case .randomSearch:
            "100 trials, lr 10^U(-6,-2), weight decay 10^U(-8,-4), 400 train / 100 validation, 50 epochs"
        case .normalization:
            "none vs BatchNorm vs LayerNorm at batch 2, 8 and 100, 1,000 images, 10 epochs, 784-100×4-10, SGD 0.01"
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
    }

    /// The initializers `weight-symmetry` compares, and its length: a few hundred steps are enough
    /// for He to pass 90 % while the others stay where they are.
    static let weightSymmetryInits: [Initializer] = [.zeros, .constant(0.01), .std(0.01), .he]
    static let weightSymmetrySteps = 300

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
                TrainingSession.RunSpec(
                    config: config(hidden: 4, batch: 128, optimizer: kind), title: kind.displayName, stepTarget: steps)
            }
            return Training(runs: runs, trainSize: o.trainSize)
        case .initCompare:
            let steps = o.steps ?? 2000
            let runs = [Initializer.std(0.01), .xavier, .he].map { i in
                TrainingSession.RunSpec(
                    config: config(hidden: 4, batch: 128, lr: 0.01, initializer: i),
                    title: "init \(i.displayName)", stepTarget: steps)
            }
            return Training(runs: runs, trainSize: o.trainSize)
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
        case .normalization:
            return NormalizationPreset.training(o)
        case .optimizerPaths, .activationHistograms, .randomSearch:
            return nil
        }
    }
}
