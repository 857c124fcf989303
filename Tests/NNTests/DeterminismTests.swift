import NN
import Testing

@Suite struct DeterminismTests {
    func losses(_ config: TrainingConfig, steps: Int = 40) -> [Double] {
        let t = Trainer(config: config, data: Synthetic.dataset())
        return (0..<steps).map { _ in t.step() }
    }

    @Test(arguments: [false, true])
    func oneSeedGivesIdenticalLosses(regularized: Bool) {
        let c = Synthetic.config(optimizer: .adam, seed: 11, batchNorm: regularized, dropout: regularized ? 0.3 : 0)
        let a = losses(c)
        let b = losses(c)
        #expect(a == b)
        #expect(a.allSatisfy { $0.isFinite })
    }

    @Test func differentSeedsGiveDifferentLosses() {
        let a = losses(Synthetic.config(seed: 1))
        let b = losses(Synthetic.config(seed: 2))
        #expect(a != b)
        #expect(zip(a, b).filter { $0 != $1 }.count > 30, "seeds should differ at almost every step")
    }

    @Test func trainingLearnsTheSyntheticTask() {
        let t = Trainer(config: Synthetic.config(optimizer: .adam), data: Synthetic.dataset())
        let before = t.accuracy(on: t.data.test)
        #expect(t.stepsPerEpoch == 10, "an epoch is train/batch = 200/20 steps")
        for _ in 0..<(3 * t.stepsPerEpoch) { t.step() }
        #expect(t.steps == 30)
        #expect(t.accuracy(on: t.data.test) > max(0.6, before + 0.2))
    }

    @Test func samplersWithOneSeedDrawTheSameBatchesWhateverTheNetwork() {
        var a = BatchSampler(count: 1000, batchSize: 10, seed: 5)
        var b = BatchSampler(count: 1000, batchSize: 10, seed: 5)
        for _ in 0..<20 { #expect(a.next() == b.next()) }
        // Changing the optimizer or the network does not change the batch sequence.
        let t1 = Trainer(config: Synthetic.config(optimizer: .sgd, seed: 3), data: Synthetic.dataset())
        let t2 = Trainer(
            config: Synthetic.config(optimizer: .adam, seed: 3, batchNorm: true), data: Synthetic.dataset())
        var s1 = t1.sampler
        var s2 = t2.sampler
        for _ in 0..<10 { #expect(s1.next() == s2.next()) }
    }

    @Test func shuffledEpochsVisitEveryImageOncePerEpoch() {
        var s = BatchSampler(count: 100, batchSize: 10, policy: .shuffledEpochs, seed: 9)
        let epoch1 = (0..<10).flatMap { _ in s.next() }
        let epoch2 = (0..<10).flatMap { _ in s.next() }
        #expect(Set(epoch1).count == 100 && Set(epoch2).count == 100)
        #expect(epoch1 != epoch2)
    }

    @Test func withReplacementDrawsRepeatsLikeTheBooksTrainer() {
        var s = BatchSampler(count: 50, batchSize: 50, seed: 4)
        let batch = s.next()
        #expect(batch.allSatisfy { (0..<50).contains($0) })
        #expect(Set(batch).count < 50, "50 draws from 50 with replacement repeat some index (p ≈ 1 − 50!/50⁵⁰)")
    }

    @Test func lockStepTrainersOnSharedBatchesMatchExactly() {
        let c = Synthetic.config(optimizer: .momentum, seed: 8, dropout: 0.2)
        let a = Trainer(config: c, data: Synthetic.dataset())
        let b = Trainer(config: c, data: Synthetic.dataset())
        var shared = BatchSampler(count: 200, batchSize: 20, seed: 99)
        for _ in 0..<15 {
            let batch = shared.next()
            #expect(a.step(indices: batch) == b.step(indices: batch))
        }
    }

    @Test func cloneTrainsIdenticallyToTheOriginal() {
        let t = Trainer(
            config: Synthetic.config(optimizer: .adam, seed: 4, batchNorm: true, dropout: 0.2),
            data: Synthetic.dataset())
        for _ in 0..<5 { t.step() }
        let net = t.network.clone()
        let opt = t.optimizer.clone()
        var s = BatchSampler(count: 200, batchSize: 20, seed: 1)
        let x = Matrix(rows: 0, cols: 0)
        var labels: [Int32] = []
        for _ in 0..<5 {
            let batch = s.next()
            let l1 = t.step(indices: batch)
            t.data.train.gather(batch, into: x, labels: &labels)
            let l2 = net.gradient(x, labels: labels)
            opt.update(net.parameters)
            #expect(l1 == l2)
        }
    }
}
