import NN

/// `batch-size` (the Q&A text's batch-size section): the same network at batch 1, 10, 100 and
/// 1000 on one sample order, compared on the epoch axis (samples seen) and the seconds axis. Batch 1
/// learns the most per sample but pays a step's overhead for every image; batch 1000 makes few,
/// smooth steps and needs many more epochs: the time to a given accuracy is best in between.
extension Preset {
    static let batchSizes = [1, 10, 100, 1000]
    /// The train accuracy the report times each batch size to.
    static let batchSizeTarget = 0.9
    static let batchSizeSummary =
        "batch 1, 10, 100, 1000 on one sample order, 784-100×2-10 ReLU He, SGD 0.05, 5,000 images, 10 epochs: epochs, steps, seconds to 90 %"

    static func batchSizeTraining(_ o: Overrides) -> Training {
        let runs = batchSizes.map { b in
            TrainingSession.RunSpec(
                config: mlpConfig(depth: 2, lr: 0.05, batch: b, epochs: o.epochs ?? 10, seed: o.seed),
                title: "batch \(b)")
        }
        return Training(runs: runs, trainSize: o.trainSize ?? 5000, verdict: .timeToAccuracy(batchSizeTarget))
    }
}
