import NN

/// `loss-functions` (the book's chapter 4): cross-entropy vs mean squared error on the softmax
/// outputs, from the same initial weights on the same batches. Through the softmax MSE's gradient
/// carries a y(1−y)-like factor, small exactly when an output is confidently wrong, so it learns
/// slower. The two losses are on different scales: the verdict is the accuracy per epoch.
extension Preset {
    static let lossFunctionsSummary =
        "cross-entropy vs MSE, same init, 784-100×4-10 ReLU He, SGD 0.1, batch 100, 10,000 images, 10 epochs"

    static func lossFunctionsTraining(_ o: Overrides) -> Training {
        let runs = [Loss.crossEntropy, .meanSquaredError].map { loss in
            var c = mlpConfig(depth: 4, lr: 0.1, batch: 100, epochs: o.epochs ?? 10, seed: o.seed)
            c.network.loss = loss
            return TrainingSession.RunSpec(config: c, title: "\(loss.displayName) loss")
        }
        return Training(runs: runs, trainSize: o.trainSize ?? 10_000, verdict: .accuracyByEpoch)
    }
}
