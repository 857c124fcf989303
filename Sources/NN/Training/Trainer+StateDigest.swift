extension Trainer {
    /// A digest of everything the next steps depend on besides the hyperparameters: every weight,
    /// bias and γ/β (BatchNorm's and LayerNorm's), BatchNorm's running statistics, the optimizer's
    /// state (velocities, squared-gradient sums, Adam's moments and step count), the dropout masks'
    /// random streams, the batch sampler's position and the step and sample counters. Learning
    /// rate and weight decay are left out on purpose: population-based training copies a state and
    /// then changes them, and the digest is what says the copy was exact.
    public func stateDigest() -> StateDigest {
        var d = StateDigest()
        d.add("trainer")
        d.add(steps)
        d.add(samplesSeen)
        d.add(epochSamples)
        d.add(completedEpochs)
        d.add(batchSize)
        sampler.digest(into: &d)
        network.digest(into: &d)
        d.add(optimizer.kind.rawValue)
        optimizer.digest(into: &d)
        return d
    }
}

extension Network {
    /// Parameters by name, BatchNorm running statistics, dropout streams (see `Trainer.stateDigest`).
    func digest(into d: inout StateDigest) {
        for p in parameters {
            d.add(p.name)
            d.add(p.value)
        }
        for bn in batchNorms {
            d.add(bn.name)
            d.add(bn.runningMean)
            d.add(bn.runningVariance)
        }
        for dropout in dropouts + (inputDropout.map { [$0] } ?? []) {
            d.add(dropout.name)
            dropout.generator.digest(into: &d)
        }
    }
}
