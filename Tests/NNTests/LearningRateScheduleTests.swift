import Foundation
import NN
import Testing

/// Every schedule's rates for the epochs 1…6 against values computed by hand from its formula
/// (α0 = 0.1, e the epoch number from 1), and what a trainer does with them.
@Suite struct LearningRateScheduleTests {
    static let hand: [(String, [Double])] = [
        ("constant", [0.1, 0.1, 0.1, 0.1, 0.1, 0.1]),
        // 0.1/(1 + 0.5e): 0.1/1.5, 0.1/2, 0.1/2.5, 0.1/3, 0.1/3.5, 0.1/4
        ("inverse:0.5", [0.0666667, 0.05, 0.04, 0.0333333, 0.0285714, 0.025]),
        // 0.1·0.9^e
        ("exp:0.9", [0.09, 0.081, 0.0729, 0.06561, 0.059049, 0.0531441]),
        // 0.1·2/√e: 0.2, 0.2/1.4142136, 0.2/1.7320508, 0.1, 0.2/2.2360680, 0.2/2.4494897
        ("isqrt:2", [0.2, 0.1414214, 0.1154701, 0.1, 0.0894427, 0.0816497]),
        // 0.1·0.5^⌊e/2⌋: ⌊e/2⌋ = 0, 1, 1, 2, 2, 3
        ("step:2:0.5", [0.1, 0.05, 0.05, 0.025, 0.025, 0.0125]),
        // 0.1·½(1 + cos(π(min(e, 4) − 1)/4)): cos 0, cos π/4, cos π/2, cos 3π/4, then held
        ("cosine:4", [0.1, 0.0853553, 0.05, 0.0146447, 0.0146447, 0.0146447]),
    ]

    @Test func everyScheduleMatchesItsHandComputedSequence() throws {
        for (text, rates) in Self.hand {
            let schedule = try #require(LearningRateSchedule(argument: text), "\(text)")
            #expect(schedule.argument == text, "spelled back as given")
            for (k, expected) in rates.enumerated() {
                let rate = Double(schedule.rate(base: 0.1, epoch: k + 1))
                #expect(abs(rate - expected) < 1e-7 + 1e-6 * expected, "\(text) epoch \(k + 1): \(rate) vs \(expected)")
            }
        }
    }

    /// The epoch of a step: steps 1…10 are epoch 1 at 10 steps an epoch, step 11 starts epoch 2.
    @Test func aStepTakesTheRateOfItsEpoch() {
        let s = LearningRateSchedule.exponential(rate: 0.5)
        #expect(s.rate(base: 1, step: 1, stepsPerEpoch: 10) == 0.5)
        #expect(s.rate(base: 1, step: 10, stepsPerEpoch: 10) == 0.5)
        #expect(s.rate(base: 1, step: 11, stepsPerEpoch: 10) == 0.25)
        #expect(s.rate(base: 1, step: 30, stepsPerEpoch: 10) == 0.125)
    }

    @Test func aRateNeverReachesZero() {
        #expect(LearningRateSchedule.exponential(rate: 0.5).rate(base: 0.01, epoch: 400) == Float.leastNormalMagnitude)
    }

    /// isqrt:K multiplies α0 by K: a huge K on a huge α0 stays a finite rate (the run diverges; a
    /// trainer handed it does not trap).
    @Test func aRateNeverOverflows() {
        let r = LearningRateSchedule.inverseSquareRoot(k: 1e38).rate(base: 10, epoch: 1)
        #expect(r == Float.greatestFiniteMagnitude)
        #expect(LearningRateSchedule.inverseSquareRoot(k: 1e9).rate(base: 1e30, epoch: 4).isFinite)
    }

    @Test func badFormsDoNotParseAndBadValuesAreRefusedByName() {
        for text in ["", "exp", "exp:", "exp:x", "step:2", "step:2.5:0.5", "cosine:1.5", "linear:3", "inverse:1:2"] {
            #expect(LearningRateSchedule(argument: text) == nil, "\(text)")
        }
        for text in ["exp:0", "exp:1.5", "inverse:-1", "isqrt:0", "step:0:0.5", "step:2:0", "step:2:2", "cosine:0"] {
            let s = LearningRateSchedule(argument: text)
            #expect(s != nil, "\(text) parses")
            do {
                try s?.validate()
                Issue.record("\(text) is valid")
            } catch {
                #expect(error.setting == .learningRateSchedule)
            }
        }
    }

    @Test func theKeyCyclesEveryFormAndBack() {
        var s = LearningRateSchedule.constant
        var seen: [String] = []
        for _ in 0..<6 {
            s = s.next(epochs: 20)
            seen.append(s.argument)
        }
        #expect(seen == ["inverse:1", "exp:0.9", "isqrt:1", "step:5:0.5", "cosine:20", "constant"])
        #expect(LearningRateSchedule.exponential(rate: 0.5).next(epochs: 20) == .inverseSquareRoot(k: 1))
    }

    /// The trainer hands each step its epoch's rate; the configuration keeps the base rate.
    @Test func theTrainerTrainsEachStepAtItsScheduledRate() {
        var c = Synthetic.config(optimizer: .sgd)  // 200 images, batch 20: 10 steps an epoch
        c.schedule = .step(every: 1, factor: 0.5)
        let t = Trainer(config: c, data: Synthetic.dataset())
        var rates: [Float] = []
        for _ in 0..<25 {
            t.step()
            rates.append(t.optimizer.learningRate)
        }
        #expect(
            rates == Array(repeating: 0.05, count: 10) + Array(repeating: 0.025, count: 10)
                + Array(repeating: 0.0125, count: 5))
        #expect(t.config.learningRate == 0.1 && t.config.schedule == c.schedule)
        #expect(t.currentLearningRate == 0.0125)
    }

    /// Switching the schedule mid-run keeps the optimizer's state and goes on from the current step:
    /// the run that switched at step 15 trains exactly like one that had the new schedule's rate
    /// from there, the same Momentum velocity included.
    @Test func switchingTheScheduleKeepsStateAndContinuesFromTheCurrentStep() throws {
        var c = Synthetic.config(optimizer: .momentum)
        c.learningRate = 0.1
        let switched = Trainer(config: c, data: Synthetic.dataset())
        for _ in 0..<15 { switched.step() }
        let reference = switched.fork()
        let optimizer = switched.optimizer
        switched.setSchedule(.exponential(rate: 0.5))
        #expect(switched.optimizer === optimizer, "the same optimizer, its velocity kept")
        #expect(switched.steps == 15, "the step count goes on")
        // Epoch 2 (steps 11…20) under exp:0.5 is 0.1·0.25: what the reference gets by hand.
        #expect(switched.currentLearningRate == Float(0.1 * 0.25))
        reference.setLearningRate(Float(0.1 * 0.25))
        for _ in 0..<5 {
            let a = switched.step()
            let b = reference.step()
            #expect(a == b)
        }
        let w1 = switched.network.affines[0].weight.value
        let w2 = reference.network.affines[0].weight.value
        #expect((0..<w1.count).allSatisfy { w1.pointer[$0] == w2.pointer[$0] })
        // Step 21 opens epoch 3: 0.1·0.125.
        #expect(switched.currentLearningRate == Float(0.1 * 0.125))
        // The keys scale α0: the next step runs at the new base times the schedule's factor.
        switched.setLearningRate(0.2)
        #expect(switched.config.learningRate == 0.2 && switched.currentLearningRate == Float(0.2 * 0.125))
    }
}
