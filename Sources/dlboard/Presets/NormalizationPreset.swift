import NN

/// The `normalization` preset: no normalization vs BatchNorm vs LayerNorm at batch 2, 8 and 100,
/// on the same 1,000 images for the same epochs (the same samples, consumed at different rates).
/// BatchNorm's statistics over a batch of 2 are noise, and its running averages of them (what the
/// test accuracy is computed with) describe no batch the network trained on; LayerNorm normalizes
/// each image alone, so the batch size changes nothing about it.
enum NormalizationPreset {
    static let batchSizes = [2, 8, 100]
    static let normalizations: [Normalization] = [.none, .batch, .layer]
    static let defaultEpochs = 10
    static let defaultTrainSize = 1000

    static func title(batch: Int, _ n: Normalization) -> String {
        "batch \(batch) " + (n == .none ? "no norm" : n == .batch ? "BN" : "LN")
    }

    /// 784-100×4-10 ReLU He, SGD at lr 0.01; each batch size a cell of three runs.
    static func training(_ o: Preset.Overrides) -> Preset.Training {
        var runs: [TrainingSession.RunSpec] = []
        for batch in batchSizes {
            for n in normalizations {
                let config = TrainingConfig(
                    network: NetworkConfig(
                        hidden: Array(repeating: 100, count: 4), activation: .relu, initializer: .he,
                        normalization: n),
                    optimizer: .sgd, learningRate: 0.01, batchSize: batch, epochs: o.epochs ?? defaultEpochs,
                    seed: o.seed)
                runs.append(.init(config: config, title: title(batch: batch, n)))
            }
        }
        return Preset.Training(
            runs: runs, trainSize: o.trainSize ?? defaultTrainSize, groupSize: normalizations.count)
    }
}
