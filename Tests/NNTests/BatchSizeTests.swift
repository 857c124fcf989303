import NN
import Testing

/// The batch size as a switch: the sample stream does not depend on how it is cut into batches,
/// and epochs are counted in samples, across a change of size.
@Suite struct BatchSizeTests {
    func config(batch: Int, sampling: BatchSampler.Policy) -> TrainingConfig {
        var c = Synthetic.config()
        c.batchSize = batch
        c.sampling = sampling
        return c
    }

    @Test(arguments: BatchSampler.Policy.allCases)
    func runsWithBatch10And100SeeTheSameSamples(policy: BatchSampler.Policy) {
        let data = Synthetic.dataset(train: 1000)
        let a = Trainer(config: config(batch: 10, sampling: policy), data: data)
        let b = Trainer(config: config(batch: 100, sampling: policy), data: data)
        var seenA: [Int] = []
        var seenB: [Int] = []
        for _ in 0..<30 {
            a.step()
            seenA += a.lastBatch
        }
        var firstOfB: [Int] = []
        for k in 0..<3 {
            b.step()
            if k == 0 { firstOfB = b.lastBatch }
            seenB += b.lastBatch
        }
        #expect(firstOfB.count == 100)
        #expect(Array(seenA.prefix(100)) == firstOfB, "run A's first ten batches are run B's first batch")
        #expect(seenA == seenB, "300 samples in 30 batches of 10 are the 300 of 3 batches of 100")
        #expect(a.samplesSeen == 300 && b.samplesSeen == 300)
        #expect(a.epochProgress == b.epochProgress && a.epochProgress == 0.3)
    }

    @Test(arguments: BatchSampler.Policy.allCases)
    func changingTheSizeKeepsThePlaceInSamples(policy: BatchSampler.Policy) {
        let data = Synthetic.dataset(train: 1000)
        let steady = Trainer(config: config(batch: 10, sampling: policy), data: data)
        let switched = Trainer(config: config(batch: 10, sampling: policy), data: data)
        var steadySeen: [Int] = []
        for _ in 0..<40 {
            steady.step()
            steadySeen += steady.lastBatch
        }
        var switchedSeen: [Int] = []
        for _ in 0..<5 {
            switched.step()
            switchedSeen += switched.lastBatch
        }
        #expect(!switched.setBatchSize(50), "350 samples are left in the epoch: it goes on")
        for _ in 0..<7 {
            switched.step()
            switchedSeen += switched.lastBatch
        }
        #expect(switched.lastBatch.count == 50)
        #expect(switchedSeen == steadySeen, "the next batch starts at the next unseen sample")
        #expect(switched.samplesSeen == 400 && switched.steps == 12 && switched.epochProgress == 0.4)
    }

    @Test func epochsAreCountedInSamplesAcrossASwitch() {
        let data = Synthetic.dataset(train: 200)
        let t = Trainer(config: config(batch: 20, sampling: .shuffledEpochs), data: data)
        #expect(t.stepsPerEpoch == 10)
        for _ in 0..<5 { t.step() }  // 100 of 200 samples
        t.setBatchSize(50)
        #expect(t.stepsPerEpoch == 4)
        #expect(!t.nextStepEndsEpoch)
        t.step()
        #expect(t.nextStepEndsEpoch, "150 + 50 completes the 200")
        t.step()
        #expect(t.completedEpochs == 1 && t.epochSamples == 0 && t.steps == 7)
        // A permutation is walked whole: the first epoch's seven batches hold every image once.
        let fresh = Trainer(config: config(batch: 20, sampling: .shuffledEpochs), data: data)
        var seen: [Int] = []
        for _ in 0..<5 {
            fresh.step()
            seen += fresh.lastBatch
        }
        fresh.setBatchSize(50)
        for _ in 0..<2 {
            fresh.step()
            seen += fresh.lastBatch
        }
        #expect(Set(seen).count == 200 && seen.count == 200)
    }

    @Test func aLargerBatchThanTheEpochHasLeftEndsTheEpochAtTheSwitch() {
        let t = Trainer(config: config(batch: 20, sampling: .shuffledEpochs), data: Synthetic.dataset(train: 200))
        for _ in 0..<9 { t.step() }  // 180 of 200
        #expect(t.setBatchSize(50), "20 left, a batch of 50 does not fit: the epoch ends here")
        #expect(t.completedEpochs == 1 && t.epochProgress == 1)
        // A fork keeps the count.
        #expect(t.fork().epochProgress == 1 && t.fork().samplesSeen == 180)
    }

    @Test func aConstantSizeCountsEpochsAsBefore() {
        // 200 / 30: six steps an epoch, the last 20 samples of each permutation unused, as the
        // book's iter_per_epoch = train_size / batch_size has it.
        let t = Trainer(config: config(batch: 30, sampling: .shuffledEpochs), data: Synthetic.dataset(train: 200))
        var ends: [Int] = []
        for _ in 0..<18 {
            t.step()
            if t.epochSamples == 0 { ends.append(t.steps) }
        }
        #expect(ends == [6, 12, 18] && t.stepsPerEpoch == 6)
    }
}
