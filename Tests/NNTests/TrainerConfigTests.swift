import NN
import Testing

/// `Trainer.config` is read from what trains — the network and the optimizer — so a setting changed
/// by any switch reads back at once, and nothing else keeps a copy that could go stale.
@Suite struct TrainerConfigTests {
    @Test func theLearningRateIsTheOptimizers() {
        let t = Trainer(config: Synthetic.config(optimizer: .momentum), data: Synthetic.dataset())
        #expect(t.config.learningRate == 0.1 && t.optimizer.learningRate == 0.1)
        t.setLearningRate(0.32)
        #expect(t.optimizer.learningRate == 0.32 && t.config.learningRate == 0.32)
        t.reinitialize(.xavier)
        #expect(t.optimizer.learningRate == 0.32, "re-initializing keeps the learning rate")
        #expect(t.config.learningRate == 0.32 && t.config.network.initializer == .xavier)
        t.setActivation(.tanh)
        #expect(t.config.learningRate == 0.32 && t.config.network.activation == .tanh)
        t.setOptimizer(.adam)
        #expect(t.optimizer.kind == .adam && t.optimizer.learningRate == 0.001)
        #expect(t.config.optimizer == .adam && t.config.effectiveLearningRate == 0.001)
        #expect(t.config.learningRate == nil, "the default stated as a config states it")
        t.setOptimizer(.sgd, learningRate: 0.5)
        #expect(t.config.optimizer == .sgd && t.config.learningRate == 0.5)
    }

    @Test func networkSwitchesReadBackAndTheRestIsAsConfigured() {
        var c = Synthetic.config(optimizer: .adam, seed: 5)
        c.learningRate = nil
        c.epochs = 4
        c.sampling = .shuffledEpochs
        let t = Trainer(config: c, data: Synthetic.dataset())
        #expect(t.config == c, "a config with the default learning rate reads back as given")
        t.network.setBatchNorm(true)
        t.network.setDropout(0.3)
        t.network.weightDecay = 0.01
        var expected = c
        expected.network.batchNorm = true
        expected.network.dropout = 0.3
        expected.network.weightDecay = 0.01
        #expect(t.config == expected)
        #expect(t.fork().config == expected, "a fork starts with the same settings")
    }
}
