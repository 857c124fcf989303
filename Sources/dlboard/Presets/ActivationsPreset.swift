import NN

/// `activations` (the Q&A text's activation functions): E4's deep network with each hidden
/// activation and its matched init — Xavier for the S-shaped sigmoid and tanh, He for the ReLU
/// family. Tanh is zero-centred and its slope at 0 is 1 (sigmoid's is ¼), so it trains faster.
extension Preset {
    static let activationRuns: [(Activation, Initializer)] = [
        (.sigmoid, .xavier), (.tanh, .xavier), (.relu, .he), (.leakyReLU(slope: Activation.defaultLeakySlope), .he),
        (.softplus, .he),
    ]
    static let activationsSummary =
        "sigmoid, tanh (Xavier) vs ReLU, Leaky ReLU, SoftPlus (He), 784-100×4-10, SGD 0.1, batch 128, 1,000 iterations"

    static func activationsTraining(_ o: Overrides) -> Training {
        let steps = o.steps ?? 1000
        let runs = activationRuns.map { a, i in
            TrainingSession.RunSpec(
                config: mlpConfig(
                    depth: 4, activation: a, initializer: i, lr: 0.1, batch: 128, epochs: o.epochs ?? 1, seed: o.seed),
                title: "\(a.displayName) \(i.displayName)", stepTarget: steps)
        }
        return Training(runs: runs, trainSize: o.trainSize, verdict: .lossCheckpoints)
    }
}
