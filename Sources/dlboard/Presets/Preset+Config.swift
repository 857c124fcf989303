import NN

extension Preset {
    /// The MLP the presets beyond chapter 6 train: `depth` hidden layers of 100 units, SGD unless
    /// said otherwise, the run seeded from the command line.
    static func mlpConfig(
        depth: Int, activation: Activation = .relu, initializer: Initializer = .he, optimizer: OptimizerKind = .sgd,
        lr: Float?, batch: Int, epochs: Int, seed: UInt64
    ) -> TrainingConfig {
        TrainingConfig(
            network: NetworkConfig(
                hidden: Array(repeating: 100, count: depth), activation: activation, initializer: initializer),
            optimizer: optimizer, learningRate: lr, batchSize: batch, epochs: epochs, seed: seed)
    }
}
