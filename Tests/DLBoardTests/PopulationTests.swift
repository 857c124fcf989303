import Foundation
import NN
import Testing

@testable import dlboard

/// Population-based training's engine, in process: every exploit copies the donor's exact state,
/// explores from the donor's values by the recorded factor, and the best member's schedule re-trains
/// as one run with bit-identical losses.
@Suite struct PopulationTests {
    static func base(epochs: Int = 6) -> TrainingConfig {
        TrainingConfig(
            network: NetworkConfig(inputSize: 16, hidden: [12, 12], outputSize: 4, normalization: .batch),
            optimizer: .momentum, batchSize: 20, epochs: epochs, seed: 3)
    }

    static func population(
        members: Int = 4, epochs: Int = 6, exploitEvery: Int? = nil, resample: Double = 0,
        lr: String = "lr=log:-3,0"
    ) throws -> Population {
        let data = try SessionTests.dataset().restricted(trainSize: nil, validationFraction: 0.2, seed: 1)
        let space = try SearchSpace(parsing: [lr, "wd=log:-6,-2"])
        let scheduler = try PopulationBasedTraining(quantile: 0.25, resampleProbability: resample)
        return Population(
            dataset: data, base: base(epochs: epochs),
            settings: .init(members: members, exploitEvery: exploitEvery, scheduler: scheduler, space: space))
    }

    static func trained(_ p: Population) -> Population.Snapshot {
        p.start()
        p.waitUntilDone()
        return p.snapshot()
    }

    /// The state a member's history produces at `step`, re-trained on its own from the start: its
    /// lineage up to there as one run, without any copy.
    static func retrainedDigest(of member: Int, at step: Int, _ s: Population.Snapshot, _ p: Population)
        -> StateDigest
    {
        let lineage = PopulationLineage.trace(member: member, upTo: step, exploits: s.exploits, members: s.members)
        var config = p.base
        config.learningRate = lineage.rootLearningRate
        config.network.weightDecay = lineage.rootWeightDecay
        var driver = RunDriver(
            id: 0, trainer: Trainer(config: config, data: p.dataset), title: "", paused: false,
            histogramInterval: .infinity)
        var changes = lineage.changes[...]
        while driver.trainer.steps < step {
            driver.trainOneStep()
            while let c = changes.first, c.step == driver.trainer.steps, c.step < step {
                changes.removeFirst()
                driver.apply(.setLearningRate(c.learningRate))
                driver.apply(.setWeightDecay(c.weightDecay))
            }
        }
        return driver.trainer.stateDigest()
    }

    @Test(arguments: [nil, 5] as [Int?])
    func everyExploitCopiesTheDonorsStateAndExploresFromItsValues(exploitEvery: Int?) throws {
        let p = try Self.population(exploitEvery: exploitEvery)
        let s = Self.trained(p)
        // 160 training images / batch 20 = 8 steps an epoch, 6 epochs.
        #expect(s.finished && s.step == 48 && s.totalSteps == 48)
        let every = exploitEvery ?? 8
        #expect(s.generations.dropFirst().map(\.step) == Array(stride(from: every, to: 48, by: every)))
        // 4 members, quantile 0.25: one exploit a generation.
        #expect(s.exploits.count == s.generations.count - 1)
        for e in s.exploits {
            #expect(e.digest == e.donorDigest, "m\(e.member) took m\(e.donor)'s state at step \(e.step)")
            #expect(
                Self.retrainedDigest(of: e.donor, at: e.step, s, p) == e.donorDigest,
                "the donor's state at step \(e.step) is what its own history gives")
            let before = s.generations[e.generation - 1]
            #expect(
                e.learningRateFrom == before.learningRates[e.donor] && e.weightDecayFrom == before.weightDecays[e.donor]
            )
            let f = try #require(e.learningRateFactor)
            let w = try #require(e.weightDecayFactor)
            #expect([0.8, 1.2].contains(f) && [0.8, 1.2].contains(w))
            #expect(e.learningRateTo == Float(Double(e.learningRateFrom) * f))
            #expect(e.weightDecayTo == Float(Double(e.weightDecayFrom) * w))
            let after = s.generations[e.generation]
            #expect(
                after.learningRates[e.member] == e.learningRateTo && after.weightDecays[e.member] == e.weightDecayTo)
            #expect(after.donors[e.member] == e.donor)
            #expect(e.score <= e.donorScore, "the bottom copies the top")
            // The member's events at that step: the exploit, then its explored lr and weight decay.
            let events = s.members[e.member].events.filter { $0.step == e.step }
            #expect(events.map(\.kind) == [.exploit, .learningRate, .weightDecay])
            #expect(events.first?.label == "←\(e.donor + 1)" && events.first?.from == String(e.donor))
            #expect(events.dropFirst().first?.to == "\(e.learningRateTo)")
        }
        // The members that never exploited kept their drawn values.
        for m in s.members where !s.exploits.contains(where: { $0.member == m.id }) {
            #expect(m.learningRate == m.initialLearningRate && m.weightDecay == m.initialWeightDecay)
        }
    }

    @Test func theBestMembersScheduleReplaysAsOneRunBitForBit() throws {
        let p = try Self.population(members: 6)
        var s = Self.trained(p)
        let lineage = try #require(s.bestLineage)
        #expect(lineage.segments.first?.steps.lowerBound == 1 && lineage.segments.last?.steps.upperBound == 48)
        #expect(
            zip(lineage.segments, lineage.segments.dropFirst()).allSatisfy {
                $0.steps.upperBound + 1 == $1.steps.lowerBound
            },
            "the segments cover every step once")
        #expect(p.replayBestLineage())
        p.waitUntilDone()
        s = p.snapshot()
        let replay = try #require(s.replay)
        #expect(replay.identical && replay.steps == 48, "\(replay.summary)")
        #expect(replay.digestsChecked == lineage.changes.count)
        #expect(replay.summary.hasPrefix("replayed as one run: 48 steps, losses bit-identical"))

        // Every member's schedule replays so, those that went through exploits among them.
        let lineages = s.members.map {
            PopulationLineage.trace(member: $0.id, upTo: 48, exploits: s.exploits, members: s.members)
        }
        #expect(lineages.filter { !$0.changes.isEmpty }.count >= 2)
        for l in lineages {
            let recorded = PopulationLineage.losses(of: l, members: s.members)
            let r = PopulationReplay.run(l, base: p.base, dataset: p.dataset, recordedLoss: { recorded[$0] })
            #expect(r.identical && r.digestsChecked == l.changes.count, "m\(l.member + 1): \(r.summary)")
        }

        // The check can fail: a schedule without its last change parts from the recorded losses
        // right after that step.
        let changed = try #require(lineages.first { !$0.changes.isEmpty })
        var wrong = changed
        let dropped = try #require(changed.changes.last)
        wrong.changes.removeLast()
        let recorded = PopulationLineage.losses(of: changed, members: s.members)
        let off = PopulationReplay.run(wrong, base: p.base, dataset: p.dataset, recordedLoss: { recorded[$0] })
        #expect(off.firstDifference == dropped.step + 1, "\(off.summary)")
        #expect(!off.identical && off.summary.contains("losses differ from step \(dropped.step + 1)"))
    }

    @Test func aDivergedMemberRanksLastAndIsRevivedByItsExploit() throws {
        // lr up to 10^4 with Momentum: some members' losses overflow in the first epoch.
        let s = Self.trained(try Self.population(members: 8, lr: "lr=log:-2,4"))
        let first = try #require(s.generations.dropFirst().first)
        let diverged = first.scores.indices.filter { first.scores[$0].isNaN }
        try #require(!diverged.isEmpty, "\(first.scores)")
        let exploited = s.exploits.filter { $0.generation == 1 }.map(\.member)
        // Two exploit (8 × 0.25); the diverged rank lowest, so they are among them.
        #expect(Set(diverged.prefix(2)).isSubset(of: Set(exploited)), "\(diverged) \(exploited)")
        for m in diverged.prefix(2) {
            #expect(
                s.members[m].losses.contains { $0.step == first.step + 1 && $0.loss.isFinite },
                "m\(m + 1) trains on from the donor's state")
        }
        #expect(s.best.map { !s.members[$0].diverged } ?? false, "the best member is a live one")
    }

    @Test func resamplingDrawsFromTheSpaceAndSaysSo() throws {
        let s = Self.trained(try Self.population(resample: 1))
        #expect(!s.exploits.isEmpty)
        for e in s.exploits {
            #expect(e.learningRateFactor == nil && e.weightDecayFactor == nil, "every knob redrawn")
            #expect(e.learningRateTo >= 1e-3 && e.learningRateTo <= 1, "within lr=log:-3,0")
            #expect(e.weightDecayTo >= 1e-6 && e.weightDecayTo <= 1e-2, "within wd=log:-6,-2")
        }
    }

    @Test func aTraceFollowsTheDonorBackToTheRoot() throws {
        func exploit(_ step: Int, _ member: Int, _ donor: Int, lr: Float) -> Population.Exploit {
            Population.Exploit(
                step: step, generation: step / 10, member: member, donor: donor, score: 0, donorScore: 1,
                learningRateFrom: 1, learningRateTo: lr, learningRateFactor: 1.2, weightDecayFrom: 0,
                weightDecayTo: 0, weightDecayFactor: 0.8, digest: StateDigest(), donorDigest: StateDigest())
        }
        let members = (0..<3).map {
            Population.Member(
                id: $0, values: [:], initialLearningRate: Float($0 + 1), initialWeightDecay: 0, learningRate: 0,
                weightDecay: 0)
        }
        // m0 ← m1 at 10, m2 ← m0 at 20, m1 ← m2 at 30 (after m1 gave its state at 10).
        let exploits = [exploit(10, 0, 1, lr: 5), exploit(20, 2, 0, lr: 6), exploit(30, 1, 2, lr: 7)]
        let l = PopulationLineage.trace(member: 1, upTo: 40, exploits: exploits, members: members)
        #expect(l.root == 1 && l.rootLearningRate == 2)
        #expect(l.path == [1, 0, 2, 1])
        #expect(l.segments.map(\.steps) == [1...10, 11...20, 21...30, 31...40])
        #expect(l.changes.map(\.step) == [10, 20, 30] && l.changes.map(\.learningRate) == [5, 6, 7])
        #expect(l.member(atStep: 15) == 0 && l.member(afterStep: 30) == 1 && l.member(afterStep: 40) == 1)
    }

    @Test func anExploitRecordOutOfRangeIsRefusedOnRead() throws {
        let good = try RecordEncoder.line(
            ExploitRecord(
                member: 1, step: 8, generation: 1, donor: 0, score: 0.5, donorScore: 0.75, learningRateFrom: 0.1,
                learningRateTo: 0.12, learningRateFactor: 1.2, weightDecayFrom: 1e-4, weightDecayTo: 8e-5,
                weightDecayFactor: 0.8, digest: "0123456789abcdef", donorDigest: "0123456789abcdef"))
        #expect(throws: Never.self) { try JSONDecoder().decode(DecodedRecord.self, from: Data(good.utf8)) }
        for (field, bad) in [
            ("\"score\":0.5", "\"score\":1.5"), ("\"step\":8", "\"step\":-8"), ("\"lr_to\":0.12", "\"lr_to\":0"),
            ("\"wd_to\":8e-05", "\"wd_to\":-1"), ("\"lr_factor\":1.2", "\"lr_factor\":-1.2"),
            ("\"wd_factor\":0.8,", "\"wd_factor\":null,\"wd_clamped\":true,"),
        ] {
            #expect(good.contains(field), "\(good)")
            let line = good.replacingOccurrences(of: field, with: bad)
            #expect(throws: RecordProblem.self, "\(bad)") {
                try JSONDecoder().decode(DecodedRecord.self, from: Data(line.utf8))
            }
        }
    }

    @Test func exploreStaysInsideTheSpaceAndAFiniteFloat() throws {
        let space = try SearchSpace(parsing: ["lr=log:-2,-1", "wd=log:-6,-2"])
        let lr = space.dimension(of: .learningRate)
        // Inside: untouched, as donor × factor rounds to Float.
        #expect(Population.bounded(0.05 * 1.2, in: lr) == (Float(0.05 * 1.2), false))
        // Past either edge: that edge.
        #expect(Population.bounded(0.1 * 1.2, in: lr) == (Float(0.1), true))
        #expect(Population.bounded(0.01 * 0.8, in: lr) == (Float(0.01), true))
        // With no bounds to keep: still a positive, finite Float.
        #expect(Population.bounded(1e300, in: nil) == (.greatestFiniteMagnitude, true))
        #expect(Population.bounded(1e-300, in: nil) == (.leastNormalMagnitude, true))
    }

    @Test func theFinalRankingPutsADivergedMemberLastSoRankOneIsTheBest() {
        func member(_ id: Int, _ score: Double, diverged: Bool = false) -> Population.Member {
            var m = Population.Member(
                id: id, values: [:], initialLearningRate: 0.1, initialWeightDecay: 0, learningRate: 0.1,
                weightDecay: 0)
            m.evaluations = [
                SessionOutput.Evaluation(
                    step: 8, epoch: 1, meanLoss: nil, trainAccuracy: score, testAccuracy: nil,
                    validationAccuracy: score, trainSeconds: 0, samplesPerSecond: 0)
            ]
            m.diverged = diverged
            return m
        }
        // Member 0 diverged after a good evaluation: its 0.9 is stale.
        let members = [member(0, 0.9, diverged: true), member(1, 0.5), member(2, 0.7), member(3, 0.7)]
        #expect(Population.ranking(members).map(\.id) == [2, 3, 1, 0])
        var s = Population.Snapshot()
        s.members = members
        #expect(s.best == Population.ranking(members).first?.id)
    }
}
