import NN

/// `lr-decay` (the course, week 2): one base rate α0, held constant or decayed per epoch by the
/// inverse-time, exponential and staircase rules. α0 is large, so a constant rate keeps the loss
/// jumping about late in training, where the decayed rates let it settle.
extension Preset {
    static let lrDecaySchedules: [LearningRateSchedule] = [
        .constant, .inverse(k: 0.5), .exponential(rate: 0.8), .step(every: 3, factor: 0.5),
    ]
    static let lrDecaySummary =
        "SGD α0 1: constant vs inverse:0.5 vs exp:0.8 vs step:3:0.5, 784-100×2-10 ReLU He, batch 100, 5,000 images, 15 epochs"

    static func lrDecayTraining(_ o: Overrides) -> Training {
        let runs = lrDecaySchedules.map { s in
            var c = mlpConfig(depth: 2, lr: 1, batch: 100, epochs: o.epochs ?? 15, seed: o.seed)
            c.schedule = s
            return TrainingSession.RunSpec(config: c, title: "lr \(s.argument)")
        }
        return Training(runs: runs, trainSize: o.trainSize ?? 5000, verdict: .learningRates)
    }
}
