import NN
import TUI
import Testing

@testable import dlboard

/// The status bar names the optimizer's parameters that are not the book's and, under a schedule,
/// the rate the next step takes — at 80 columns, beside the rest of the bar, and in ASCII too.
@Suite struct OptimizerStatusTests {
    static func bar(_ config: TrainingConfig, step: Int = 0, glyphs: GlyphSet = .braille) -> String {
        var pane = PaneState(datasetName: "MNIST")
        pane.status = .init(
            config: config, step: step, stepsPerEpoch: 600, epochTarget: 20, stepTarget: 12_000, paused: true,
            diverged: false, finished: false, samplesPerSecond: 0, lastLoss: 0.3)
        return PaneView(state: pane, glyphs: glyphs).render(width: 80, height: 24).line(22)
    }

    @Test func theBooksValuesAreNotRepeated() {
        #expect(Self.bar(TrainingConfig(optimizer: .adam)).hasPrefix(" Adam lr 0.001 │ init He"))
        var c = TrainingConfig(optimizer: .sgd)
        c.optimizerParameters = OptimizerParameters(momentum: 0.5, beta2: 0.99)
        #expect(Self.bar(c).hasPrefix(" SGD lr 0.01 │"), "SGD has none of them")
    }

    @Test func theCurrentOptimizersOwnParametersShowWhenChanged() {
        var c = TrainingConfig(optimizer: .adam)
        c.optimizerParameters = OptimizerParameters(momentum: 0.5, beta2: 0.99, epsilon: 1e-8)
        #expect(Self.bar(c).hasPrefix(" Adam β2 0.99 ε 1e-08 lr 0.001 │ init He"), "not Momentum's β")
        c.optimizer = .momentum
        #expect(Self.bar(c).hasPrefix(" Momentum β 0.5 lr 0.01 │"))
        c.optimizer = .rmsprop
        c.optimizerParameters.rho = 0.9
        #expect(Self.bar(c).hasPrefix(" RMSprop ρ 0.9 ε 1e-08 lr 0.01 │"))
        #expect(Self.bar(c, glyphs: .ascii).hasPrefix(" RMSprop r 0.9 e 1e-08 lr 0.01 | init He"))
    }

    /// exp:0.9 from 0.01: epoch 1 (steps 1…600) trains at 0.009, epoch 3 at 0.00729.
    @Test func aScheduleShowsTheNextStepsRateAndItsBase() {
        var c = TrainingConfig(optimizer: .sgd)
        c.schedule = .exponential(rate: 0.9)
        let first = Self.bar(c)
        #expect(first.hasPrefix(" SGD lr 0.009 (exp:0.9 of 0.01) │ init He"), "\(first)")
        #expect(Self.bar(c, step: 1200).hasPrefix(" SGD lr 0.00729 (exp:0.9 of 0.01) │"))
        #expect(first.contains("paused"), "the state still fits at 80 columns")
    }
}
