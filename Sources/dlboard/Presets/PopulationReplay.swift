import NN

/// The best member's schedule, re-trained as a single run: the lineage's root configuration (the
/// same seed, so the same initial weights and batches), and at each exploit step of the lineage
/// its lr and weight decay set through `RunDriver.apply`, as a user's keys would set them. Every
/// step's loss must equal, bit for bit, the loss the lineage's members recorded for that step, and
/// at each exploit step the single run's state digest must equal the one the exploit recorded:
/// the population's copies changed nothing but what the schedule says.
enum PopulationReplay {
    struct Result: Sendable, Equatable {
        var steps: Int
        /// The first step whose loss differs from the recorded one (or has none recorded).
        var firstDifference: Int?
        /// Exploit steps whose digest was compared, and the first that differed.
        var digestsChecked: Int
        var digestMismatch: Int?
        var stopped = false

        var identical: Bool { firstDifference == nil && digestMismatch == nil && !stopped }

        /// The verdict line: "replayed as one run: N steps, losses bit-identical" or where it parts.
        var summary: String {
            if stopped { return "replay stopped before its end" }
            var parts = ["replayed as one run: \(steps) steps"]
            if let d = firstDifference {
                parts.append("losses differ from step \(d)")
            } else {
                parts.append("losses bit-identical")
            }
            if let m = digestMismatch {
                parts.append("state digest differs at exploit step \(m)")
            } else if digestsChecked > 0 {
                parts.append("state digests equal at \(digestsChecked) exploit step\(digestsChecked == 1 ? "" : "s")")
            }
            return parts.joined(separator: ", ")
        }
    }

    /// `recordedLoss(k)`: the lineage's loss of step k as recorded (nil: none).
    static func run(
        _ lineage: PopulationLineage, base: TrainingConfig, dataset: Dataset, recordedLoss: (Int) -> Float?,
        stop: () -> Bool = { false }
    ) -> Result {
        var config = base
        config.learningRate = lineage.rootLearningRate
        config.network.weightDecay = lineage.rootWeightDecay
        var driver = RunDriver(
            id: 0, trainer: Trainer(config: config, data: dataset), title: "replay", paused: false,
            histogramInterval: .infinity)
        var result = Result(steps: 0, digestsChecked: 0)
        var changes = lineage.changes[...]
        while driver.trainer.steps < lineage.steps {
            if stop() {
                result.stopped = true
                break
            }
            driver.trainOneStep()
            _ = driver.takeOutput()
            let k = driver.trainer.steps
            result.steps = k
            let loss = driver.lastLoss
            if result.firstDifference == nil {
                let same = recordedLoss(k).map { $0.bitPattern == loss.bitPattern || ($0.isNaN && loss.isNaN) } ?? false
                if !same { result.firstDifference = k }
            }
            while let change = changes.first, change.step == k {
                changes.removeFirst()
                result.digestsChecked += 1
                if driver.trainer.stateDigest() != change.exploit.digest, result.digestMismatch == nil {
                    result.digestMismatch = k
                }
                driver.apply(.setLearningRate(change.learningRate))
                driver.apply(.setWeightDecay(change.weightDecay))
            }
        }
        return result
    }
}
