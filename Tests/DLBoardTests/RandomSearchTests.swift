import Foundation
import NN
import Testing

@testable import dlboard

/// The random search's trials are runs of the one driver: what they report per epoch is what a
/// session's run reports.
@Suite struct RandomSearchTests {
    static func search(epochs: Int = 3, trials: Int = 4) throws -> RandomSearch {
        let data = try SessionTests.dataset().restricted(trainSize: nil, validationFraction: 0.2, seed: 1)
        let base = TrainingConfig(
            network: NetworkConfig(inputSize: 16, hidden: [8, 8], outputSize: 4), optimizer: .sgd,
            batchSize: 20, epochs: epochs, seed: 4)
        return RandomSearch(dataset: data, base: base, trialsPerRound: trials)
    }

    @Test func everyEpochOfATrialIsADriverEvaluation() throws {
        let search = try Self.search()
        search.startRound(try SearchSpace(parsing: ["lr=log:-2,-1", "wd=log:-8,-4"]))
        search.waitForRound()
        let trials = search.snapshot().trials
        #expect(trials.count == 4 && trials.allSatisfy(\.done))
        for t in trials {
            // 160 training images / batch 20 = 8 steps an epoch.
            #expect(t.evaluations.map(\.step) == [8, 16, 24] && t.evaluations.map(\.epoch) == [1, 2, 3])
            #expect(
                t.evaluations.allSatisfy { ($0.meanLoss ?? .nan).isFinite && ($0.meanLoss ?? 0) > 0 },
                "the epoch's mean loss")
            #expect(t.evaluations.allSatisfy { $0.trainSeconds > 0 && $0.samplesPerSecond > 0 }, "timed")
            #expect(t.evaluations.allSatisfy { $0.testAccuracy == nil }, "the search never sees the test set")
            #expect(t.validationAccuracy.count == 3 && t.finalValidation == t.evaluations.last?.validationAccuracy)
        }
    }

    @Test func aDivergingTrialStopsAtItsFirstNonFiniteLoss() throws {
        let search = try Self.search(epochs: 5, trials: 2)
        // lr 10^25…10^29: the first update overflows the weights, and the loss is not finite.
        search.startRound(try SearchSpace(parsing: ["lr=log:25,29", "wd=log:-8,-4"]))
        search.waitForRound()
        let trials = search.snapshot().trials
        #expect(trials.allSatisfy { $0.done && $0.diverged }, "\(trials.map(\.diverged))")
        #expect(trials.allSatisfy { $0.evaluations.count < 5 }, "no evaluation after the divergence")
        #expect(search.narrowed() == nil, "diverged trials are not narrowed around")
    }

    /// E9's space draws what E9's script drew before spaces: per round a stream, weight decay then
    /// lr from one Float uniform each, as Floats; so E9's records and verdicts stay as they were.
    @Test func theBooksSpaceDrawsE9sTrials() throws {
        let search = try Self.search(epochs: 1, trials: 5)
        search.startRound(.book)
        search.waitForRound()
        var g = SeededGenerator(seed: search.base.seed, stream: "random-search/round 1")
        for t in search.snapshot().trials {
            let wd = pow(10, -8 + Double(g.nextUniform()) * 4)
            let lr = pow(10, -6 + Double(g.nextUniform()) * 4)
            #expect(t.learningRate == Float(lr) && t.weightDecay == Float(wd))
            #expect(t.config.learningRate == Float(lr) && t.config.network.weightDecay == Float(wd))
            #expect(t.point == [.learningRate: .number(Double(Float(lr))), .weightDecay: .number(Double(Float(wd)))])
            #expect(t.seed == search.seed(ofTrial: t.id), "each trial its own init, as before")
        }
    }

    @Test func aTrialTheEngineRefusesIsDoneWithoutTraining() throws {
        let search = try Self.search(epochs: 1, trials: 2)
        // 160 training images: batch 500 would be more than there are; 10 trains.
        search.startRound(points: [[.batchSize: .integer(500)], [.batchSize: .integer(10)]], in: .book)
        search.waitForRound()
        let trials = search.snapshot().trials
        #expect(trials[0].refusal == "a batch of 500 is more than the 160 training images")
        #expect(trials[0].done && trials[0].evaluations.isEmpty)
        #expect(trials[1].refusal == nil && trials[1].evaluations.count == 1)
        #expect(
            RandomSearchRun.leaderboardLines(trials, space: .book).last?.contains("not trained: a batch of 500") == true
        )
    }
}
