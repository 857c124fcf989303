import NN
import Testing

/// Lock-step runs on one core gather each batch once: a trainer steps on another's inputs when they
/// are made exactly as its own would be, and only then; either way it trains bit for bit as alone.
@Suite struct SharedInputsTests {
    /// Trains `configs` in turn step by step, each offered the ones before it as donors, and each
    /// config alone; returns whether each shared at each step, and checks losses and state digests.
    func lockStep(_ configs: [TrainingConfig], steps: Int = 25) -> [[Bool]] {
        let data = Synthetic.dataset(train: 120, test: 16)
        let together = configs.map { Trainer(config: $0, data: data) }
        let alone = configs.map { Trainer(config: $0, data: data) }
        var shared = configs.map { _ in [Bool]() }
        var lossesTogether = configs.map { _ in [UInt64]() }
        var lossesAlone = configs.map { _ in [UInt64]() }
        for _ in 0..<steps {
            for (k, t) in together.enumerated() {
                lossesTogether[k].append(
                    t.step(collectingStatistics: nil, sharingInputsWith: together[..<k]).bitPattern)
                shared[k].append(t.lastStepSharedInputs)
            }
            for (k, t) in alone.enumerated() {
                lossesAlone[k].append(t.step().bitPattern)
                #expect(!t.lastStepSharedInputs)
            }
        }
        for k in configs.indices {
            #expect(lossesTogether[k] == lossesAlone[k], "run \(k): losses bit for bit as alone")
            #expect(together[k].stateDigest() == alone[k].stateDigest(), "run \(k): weights and state as alone")
            #expect(together[k].lastInputs == alone[k].lastInputs)
        }
        return shared
    }

    @Test func runsDifferingOnlyAfterTheInputsShareEveryBatch() {
        let sgd = Synthetic.config()
        var adam = Synthetic.config(optimizer: .adam)
        adam.seed = sgd.seed
        var dropout = sgd
        dropout.network.dropout = 0.3
        var faster = sgd
        faster.learningRate = 0.3
        let shared = lockStep([sgd, adam, dropout, faster])
        #expect(shared[0].allSatisfy { !$0 }, "the first run gathers")
        for k in 1..<4 { #expect(shared[k].allSatisfy { $0 }, "run \(k) reads the first run's batch every step") }
    }

    @Test func augmentedRunsShareOnlyWithTheSameAugmentationAndSeed() {
        var shifted = Synthetic.config()
        shifted.augmentation = Augmentation(shift: 1, noise: 0.05)
        var sameShift = shifted
        sameShift.optimizer = .momentum
        let plain = Synthetic.config()
        var otherNoise = shifted
        otherNoise.augmentation = Augmentation(shift: 1, noise: 0.1)
        let shared = lockStep([plain, shifted, sameShift, otherNoise])
        #expect(shared[1].allSatisfy { !$0 }, "augmented inputs are not the plain run's")
        #expect(shared[2].allSatisfy { $0 }, "the same augmentation of the same samples is shared")
        #expect(shared[3].allSatisfy { !$0 }, "another augmentation is not")
    }

    @Test func anotherSamplerPositionScalingOrBatchSizeGathersItsOwn() {
        let base = Synthetic.config()
        var otherSeed = base
        otherSeed.seed = base.seed + 1
        var standardized = base
        standardized.inputs = .standardize
        var larger = base
        larger.batchSize = base.batchSize * 2
        var shuffled = base
        shuffled.sampling = .shuffledEpochs
        let shared = lockStep([base, otherSeed, standardized, larger, shuffled])
        for k in 1..<5 { #expect(shared[k].allSatisfy { !$0 }, "run \(k) draws other images or scales them otherwise") }
    }

    /// A run that fell behind (paused, then resumed) draws other batches than the run it is offered.
    @Test func aRunBehindInTheSequenceGathersItsOwn() {
        let data = Synthetic.dataset(train: 120, test: 16)
        let ahead = Trainer(config: Synthetic.config(), data: data)
        let behind = Trainer(config: Synthetic.config(), data: data)
        let alone = Trainer(config: Synthetic.config(), data: data)
        for _ in 0..<3 { ahead.step() }
        for _ in 0..<10 {
            ahead.step()
            let a = behind.step(collectingStatistics: nil, sharingInputsWith: [ahead])
            #expect(!behind.lastStepSharedInputs)
            #expect(a.bitPattern == alone.step().bitPattern)
        }
        // A trainer that read a donor's inputs lends nothing on: its own buffer does not hold them.
        let third = Trainer(config: Synthetic.config(), data: data)
        let fourth = Trainer(config: Synthetic.config(), data: data)
        for _ in 0..<3 {
            third.step()
            fourth.step()
        }
        let x = Trainer(config: Synthetic.config(), data: data)
        for _ in 0..<3 { x.step() }
        x.step()
        third.step(collectingStatistics: nil, sharingInputsWith: [x])
        #expect(third.lastStepSharedInputs)
        fourth.step(collectingStatistics: nil, sharingInputsWith: [third])
        #expect(!fourth.lastStepSharedInputs)
        #expect(fourth.lastInputs == x.lastInputs)
    }
}
