import Foundation
import Testing

@testable import NN

/// Successive halving's ladder and cutoffs and population-based training's exploit and explore,
/// against values worked out by hand.
@Suite struct SchedulerDecisionTests {
    @Test func theLadderGrowsByEtaAndEndsAtTheFullBudget() throws {
        #expect(try SuccessiveHalving(eta: 3, minimum: 1, maximum: 27).budgets == [1, 3, 9, 27])
        #expect(try SuccessiveHalving(eta: 3, minimum: 1, maximum: 10).budgets == [1, 3, 9, 10])
        #expect(try SuccessiveHalving(eta: 2, minimum: 5, maximum: 5).budgets == [5])
        let sh = try SuccessiveHalving(eta: 3, minimum: 1, maximum: 27)
        #expect(sh.rungSizes(trials: 27) == [27, 9, 3, 1])
        #expect(sh.rungSizes(trials: 10) == [10, 3, 1, 1])
        // 27 trials × 1 epoch, 9 × 2 more, 3 × 6 more, 1 × 18 more = 81 epochs, against 27 × 27 = 729.
        #expect(sh.budgetSpent(trials: 27) == 81)
    }

    @Test func badLaddersAreRefused() {
        #expect(throws: SearchError("η must be at least 2, got 1")) {
            try SuccessiveHalving(eta: 1, minimum: 1, maximum: 9)
        }
        #expect(throws: SearchError("budgets must satisfy 1 ≤ minimum ≤ maximum, got 4 and 2")) {
            try SuccessiveHalving(eta: 3, minimum: 4, maximum: 2)
        }
    }

    @Test func aRungPromotesExactlyItsBestThird() throws {
        let sh = try SuccessiveHalving(eta: 3, minimum: 1, maximum: 9)
        let scores: [(trial: Int, score: Double)] = [
            (0, 0.5), (1, 0.9), (2, .nan), (3, 0.7), (4, 0.9), (5, 0.1), (6, 0.8),
        ]
        let d = sh.decide(rung: 0, scores: scores)
        // ⌊7/3⌋ = 2 go on: 0.9 (trial 1, the lower number of the tie) and 0.9 (trial 4).
        #expect(d.promoted == [1, 4] && d.budget == 1)
        #expect(d.cutoff == 0.9)
        #expect(d.ranked.map(\.trial) == [1, 4, 6, 3, 0, 5, 2], "the diverged trial ranks last")
        #expect(d.pruned == [6, 3, 0, 5, 2])
        #expect(sh.decide(rung: 1, scores: [(1, 0.9), (4, 0.8)]).promoted == [1], "at least one goes on")
        let last = sh.decide(rung: 2, scores: [(1, 0.95)])
        #expect(last.promoted.isEmpty && last.cutoff == nil && last.budget == 9)
    }

    @Test func regretCountsPrunedTrialsThatWouldHaveDisplacedATopFinisher() {
        let finals: [Int: Double] = [0: 0.97, 1: 0.95, 2: 0.99, 3: 0.90, 4: 0.96, 5: 0.80]
        // Finishers 0–3; their top 3 are 0.99, 0.97, 0.95. Kept alive: 4 (0.96 beats 0.95, a miss)
        // and 5 (0.80, not).
        let r = SuccessiveHalving.pruningRegret(finalScores: finals, pruned: [4, 5])
        #expect(r?.missed == 1 && r?.kept == 2)
        #expect(SuccessiveHalving.pruningRegret(finalScores: finals, pruned: []) == nil)
        // A tie with the weakest of the top 3 does not push it out.
        #expect(
            SuccessiveHalving.pruningRegret(finalScores: [0: 0.9, 1: 0.8, 2: 0.7, 3: 0.7], pruned: [3])?.missed == 0)
    }

    @Test func withFewFinishersAKeptTrialMustBeatTheWeakestOfThem() {
        // Two finishers and one kept trial: top min(3, 2) = both finishers, so the kept trial must beat
        // 0.90 — being among the "top 3" of three trials is not enough.
        let finals: [Int: Double] = [0: 0.95, 1: 0.90, 2: 0.85]
        #expect(SuccessiveHalving.pruningRegret(finalScores: finals, pruned: [2])?.missed == 0)
        #expect(SuccessiveHalving.pruningRegret(finalScores: [0: 0.95, 1: 0.90, 2: 0.93], pruned: [2])?.missed == 1)
        // One finisher: beating it is a miss.
        #expect(SuccessiveHalving.pruningRegret(finalScores: [0: 0.9, 1: 0.91], pruned: [1])?.missed == 1)
    }

    @Test func aDivergedKeptTrialIsNeverAMissButADivergedFinisherIsBeaten() {
        // Kept trial 2 diverged (NaN): counted as kept, never as missed, however few finishers.
        let r = SuccessiveHalving.pruningRegret(finalScores: [0: 0.9, 1: 0.8, 2: .nan], pruned: [2])
        #expect(r?.missed == 0 && r?.kept == 1)
        // A kept trial with no final score at all is no miss either.
        #expect(SuccessiveHalving.pruningRegret(finalScores: [0: 0.9], pruned: [5])?.missed == 0)
        // Finisher 1 diverged: a finite kept trial beats it, even a poor one.
        let s = SuccessiveHalving.pruningRegret(finalScores: [0: 0.9, 1: .nan, 2: 0.2], pruned: [2])
        #expect(s?.missed == 1 && s?.kept == 1)
        #expect(
            SuccessiveHalving.pruningRegret(finalScores: [2: 0.9], pruned: [2])?.missed == 0, "no finisher to displace")
    }

    @Test func theBottomQuarterCopiesFromTheTopQuarter() throws {
        let pbt = try PopulationBasedTraining()
        let scores = [0.90, 0.50, 0.95, 0.70, .nan, 0.60, 0.99, 0.80]
        var seen = Set<Int>()
        for seed in 0..<50 as Range<UInt64> {
            var g = SeededGenerator(seed: seed)
            let e = pbt.exploits(scores: scores, using: &g)
            // ⌈8 × 0.25⌉ = 2: the two lowest (member 4, diverged, and member 1 at 0.50) copy from
            // the two highest (6 at 0.99, 2 at 0.95).
            #expect(e.map(\.member) == [1, 4])
            #expect(e.allSatisfy { [6, 2].contains($0.donor) })
            for x in e { seen.insert(x.donor) }
        }
        #expect(seen == [2, 6], "both donors get drawn")
        var g = SeededGenerator(seed: 1)
        #expect(pbt.exploits(scores: [0.3, 0.4], using: &g) == [.init(member: 0, donor: 1)])
        #expect(pbt.exploits(scores: [0.3], using: &g).isEmpty)
        var a = SeededGenerator(seed: 9)
        var b = SeededGenerator(seed: 9)
        #expect(pbt.exploits(scores: scores, using: &a) == pbt.exploits(scores: scores, using: &b), "seeded")
    }

    @Test func settingsThatWouldTrapAreRefused() {
        #expect(throws: SearchError("explore needs at least one positive factor, got []")) {
            try PopulationBasedTraining(factors: [])
        }
        #expect(throws: SearchError.self) { try PopulationBasedTraining(quantile: .nan) }
        #expect(throws: SearchError.self) { try PopulationBasedTraining(quantile: 0.75) }
        #expect(throws: SearchError.self) { try SearchDimension(spec: "int:0,9223372036854775807") }
        let huge = try? SuccessiveHalving(eta: 2, minimum: 1, maximum: .max)
        #expect(huge?.budgetSpent(trials: .max) == .max, "saturates, no trap")
    }

    @Test func exploreMultipliesByAFactorOrResamples() throws {
        var g = SeededGenerator(seed: 2)
        let pbt = try PopulationBasedTraining()
        var factors = Set<Double>()
        for _ in 0..<100 {
            let (v, f) = pbt.explore(0.01, dimension: nil, using: &g)
            #expect(f != nil && v == 0.01 * f!)
            factors.insert(f!)
        }
        #expect(factors == [0.8, 1.2])
        let always = try PopulationBasedTraining(resampleProbability: 1)
        let lr = try SearchDimension(spec: "log:-4,-2")
        for _ in 0..<100 {
            let (v, f) = always.explore(0.5, dimension: lr, using: &g)
            #expect(f == nil && v >= 1e-4 && v < 1e-2)
        }
    }
}
