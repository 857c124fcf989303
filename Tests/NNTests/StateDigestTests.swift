import NN
import Testing

@Suite struct StateDigestTests {
    func trainer(_ optimizer: OptimizerKind, batchNorm: Bool = true, dropout: Float = 0.2) -> Trainer {
        Trainer(
            config: Synthetic.config(optimizer: optimizer, seed: 5, batchNorm: batchNorm, dropout: dropout),
            data: Synthetic.dataset())
    }

    @Test(arguments: OptimizerKind.allCases)
    func aForkHasTheSameDigestAndOneStepChangesIt(kind: OptimizerKind) {
        let t = trainer(kind)
        for _ in 0..<7 { t.step() }
        let fork = t.fork()
        #expect(fork.stateDigest() == t.stateDigest(), "a fork is the same state")
        let before = t.stateDigest()
        t.step()
        #expect(t.stateDigest() != before, "a step changes the state")
        #expect(fork.stateDigest() == before, "the fork did not move")
        fork.step()
        #expect(fork.stateDigest() == t.stateDigest(), "the same step on the same state: the same state")
    }

    @Test func oneChangedWeightChangesTheDigest() {
        let t = trainer(.momentum)
        t.step()
        let before = t.stateDigest()
        let w = t.network.affines[1].weight.value
        let old = w.pointer[3]
        w.pointer[3] = old.nextUp
        #expect(t.stateDigest() != before, "one ulp of one weight")
        w.pointer[3] = old
        #expect(t.stateDigest() == before)
    }

    @Test func batchNormStatisticsAndOptimizerStateCount() {
        let t = trainer(.adam)
        t.step()
        let before = t.stateDigest()
        for (m, what) in [
            (t.network.batchNorms[0].runningMean, "a BatchNorm running mean"),
            (t.network.batchNorms[1].runningVariance, "a BatchNorm running variance"),
            (t.network.batchNorms[0].gamma.value, "a BatchNorm γ"),
        ] {
            let old = m.pointer[0]
            m.pointer[0] = old + 1
            #expect(t.stateDigest() != before, "\(what)")
            m.pointer[0] = old
        }
        #expect(t.stateDigest() == before)
        // A fresh optimizer of the same kind: the same weights, no moments, step 0.
        t.setOptimizer(.adam, learningRate: t.baseLearningRate)
        #expect(t.stateDigest() != before, "Adam's moments and step count")
    }

    @Test func hyperparametersAreNotState() {
        let t = trainer(.momentum)
        t.step()
        let before = t.stateDigest()
        t.setLearningRate(t.baseLearningRate * 2)
        t.network.weightDecay = 0.01
        #expect(t.stateDigest() == before, "lr and weight decay are what explore changes, not state")
    }

    @Test func layerNormParametersCount() {
        var c = Synthetic.config(optimizer: .sgd, seed: 5)
        c.network.normalization = .layer
        let t = Trainer(config: c, data: Synthetic.dataset())
        t.step()
        let before = t.stateDigest()
        t.network.layerNorms[0].beta.value.pointer[0] += 1
        #expect(t.stateDigest() != before)
    }

    @Test func theDigestIsSixteenHexDigits() {
        var d = StateDigest()
        d.add(Float(0))
        #expect(d.hex.count == 16 && d.hex.allSatisfy(\.isHexDigit))
        var e = StateDigest()
        e.add(Float(-0.0))
        #expect(d != e, "bits, not values: 0 and −0 differ")
    }
}
