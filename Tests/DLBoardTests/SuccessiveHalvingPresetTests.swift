import Foundation
import NN
import Testing

@testable import dlboard

/// `preset successive-halving` headless through the binary, checked from the record it wrote: the
/// rungs' sizes follow η, each rung promoted exactly its best ⌊n/η⌋ by the scores the trials'
/// own evaluations show, the regret is what the kept-alive trials' final evaluations imply, and the
/// random search spent the ladder's budget.
@Suite(.serialized) struct SuccessiveHalvingPresetTests {
    struct Output {
        var stdout: String
        var records: [DecodedRecord]
        var log: String
    }

    /// 12 trials, η 2, rungs at 1, 2, 4 epochs on 1,000 images, two pruned trials kept alive.
    static let arguments = [
        "successive-halving", "--trials", "12", "--eta", "2", "--epochs", "4", "--train-size", "1000",
        "--keep-pruned", "2", "--seed", "3",
    ]

    static func run(_ args: [String], keep: Bool = false) throws -> Output {
        let log = NSTemporaryDirectory() + "dlboard-sh-\(UUID().uuidString).jsonl"
        let r = try BinaryRunner.run(["preset"] + args + ["--headless", "--metrics-out", log], timeout: 300)
        #expect(r.status == 0 && !r.crashed, "\(r.stderr)")
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        let records = try lines.map { try JSONDecoder().decode(DecodedRecord.self, from: Data($0.utf8)) }
        if !keep { try? FileManager.default.removeItem(atPath: log) }
        return Output(stdout: r.stdout, records: records, log: log)
    }

    @Test func theLadderPromotesTheTopOneOverEtaAndMeasuresTheRegret() throws {
        let out = try Self.run(Self.arguments, keep: true)
        defer { try? FileManager.default.removeItem(atPath: out.log) }
        let rungs = out.records.compactMap { if case .rung(let r) = $0 { r } else { nil } }
        let trials = out.records.compactMap { if case .trial(let t) = $0 { t } else { nil } }
        let headers = out.records.compactMap { if case .config(let c) = $0 { c } else { nil } }
        let summaries = out.records.compactMap { if case .summary(let s) = $0 { s } else { nil } }
        var evals: [Int: [SessionOutput.Evaluation]] = [:]
        for case .eval(let e) in out.records { evals[e.run ?? 0, default: []].append(e.evaluation) }
        let ladder = trials.filter { $0.round == 1 }.map(\.run)
        let comparison = trials.filter { $0.round == 2 }.map(\.run)
        #expect(ladder == Array(0..<12))

        // Rung sizes follow η: 12, 6, 3 at 1, 2, 4 epochs.
        #expect(rungs.map(\.rung) == [1, 2, 3] && rungs.map(\.budget) == [1, 2, 4])
        #expect(rungs.map(\.ranked.count) == [12, 6, 3])
        #expect(out.stdout.contains("rung sizes 12, 6, 3"))
        let kept = Set(rungs.flatMap(\.kept))
        #expect(kept.count == 2, "--keep-pruned 2")
        func score(_ run: Int, atEpoch e: Int) -> Double? { evals[run]?.first { $0.epoch == e }?.validationAccuracy }

        for (k, rung) in rungs.enumerated() {
            // The scores are the trials' own evaluations at the rung's budget.
            for entry in rung.ranked {
                #expect(entry.score == score(entry.run, atEpoch: rung.budget), "rung \(k + 1) run \(entry.run)")
            }
            let byScore = rung.ranked.sorted { a, b in
                let (x, y) = (a.score ?? -1, b.score ?? -1)
                return x != y ? x > y : a.run < b.run
            }
            #expect(rung.ranked == byScore, "ranked best first")
            if k == rungs.count - 1 {
                #expect(rung.promoted.isEmpty && rung.cutoff == nil, "the last rung promotes no one")
                continue
            }
            // Exactly the top ⌊n/η⌋ went on, and they are the next rung's trials.
            let top = byScore.prefix(rung.ranked.count / 2).map(\.run)
            #expect(rung.promoted == top)
            #expect(Set(rungs[k + 1].ranked.map(\.run)) == Set(top), "only the promoted reach the next rung")
            #expect(rung.cutoff == top.compactMap { score($0, atEpoch: rung.budget) }.min())
            let pruned = Set(rung.ranked.map(\.run)).subtracting(top)
            #expect(Set(rung.kept).isSubset(of: pruned), "only pruned trials are kept alive")
            for run in pruned {
                let summary = summaries.last { $0.run == run }
                if rung.kept.contains(run) {
                    #expect(evals[run]?.last?.epoch == 4, "a kept-alive trial trains to the full budget")
                    #expect(summary?.stopped == nil)
                } else {
                    #expect(evals[run]?.last?.epoch == rung.budget, "a pruned trial stops at its rung")
                    #expect(summary?.stopped == .pruned)
                }
            }
        }

        // The regret: the kept-alive trials that ended above the weakest of the top min(3, finishers).
        let halving = try #require(out.records.compactMap { if case .halving(let h) = $0 { h } else { nil } }.first)
        let finishers = rungs.last!.ranked.map(\.run)
        #expect(halving.regretKept == 2 && halving.regretMissed == Self.missed(kept: kept, finishers: finishers, score))
        #expect(out.stdout.contains("pruning regret: \(halving.regretMissed ?? -1) of 2 kept-alive pruned trials"))

        // Every trial's values are what it trained: lr as its config holds it, no β for SGD.
        for t in trials { #expect(t.values[.learningRate]?.number == t.learningRate && t.values[.beta] == nil) }

        // The budget: 12×1 + 6×1 + 3×2 = 24 epochs, the kept-alive trials counted up to their pruning.
        let pruneBudget = Dictionary(uniqueKeysWithValues: rungs.flatMap { r in r.kept.map { ($0, r.budget) } })
        let spent = ladder.reduce(0) { sum, run in
            let n = evals[run]?.count ?? 0
            return sum + min(n, pruneBudget[run] ?? n)
        }
        #expect(halving.budgetSpent == spent && spent == 24 && halving.fullBudget == 48)
        #expect(halving.bestRun == finishers.first && halving.bestValidation == score(finishers[0], atEpoch: 4))

        // The random search with the same budget: ⌊24 / 4⌋ = 6 trials to 4 epochs, the first points
        // of the same draw with the same seeds.
        #expect(halving.randomTrials == 6 && comparison == Array(12..<18) && halving.randomBudget == 24)
        for (j, run) in comparison.enumerated() {
            #expect(evals[run]?.map(\.epoch) == [1, 2, 3, 4])
            let twin = headers.first { $0.run == j }?.config
            #expect(headers.first { $0.run == run }?.config == twin, "point \(j + 1): same config and seed")
            // Trained rung by rung or straight through, a trial is the same trial.
            for e in evals[j] ?? [] { #expect(score(run, atEpoch: e.epoch) == e.validationAccuracy) }
        }
        let randomBest = comparison.compactMap { score($0, atEpoch: 4) }.max()
        #expect(halving.randomBestValidation == randomBest)
        #expect(out.stdout.contains("random search with the same budget: 6 trials × 4 epochs = 24 epochs"))

        // The search never saw the test set, and the record replays.
        #expect(headers.allSatisfy { $0.testSize == 0 && $0.validationSize == 200 })
        let replay = try BinaryRunner.run(["replay", out.log, "--headless"])
        #expect(replay.status == 0, "\(replay.stderr)")
        let csv = NSTemporaryDirectory() + "dlboard-sh-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: csv) }
        let export = try BinaryRunner.run(["export", out.log, "--csv", csv])
        #expect(export.status == 0, "\(export.stderr)")
    }

    /// The kept-alive trials whose final score is finite and beats the weakest of the top
    /// min(3, #finishers) finishers, worked out from the trials' own evaluations.
    static func missed(kept: Set<Int>, finishers: [Int], _ score: (Int, Int) -> Double?) -> Int {
        let full = 4
        let top = finishers.map { score($0, full) ?? -.infinity }.sorted(by: >).prefix(3)
        guard let bar = top.last else { return 0 }
        return kept.filter { (score($0, full).map { $0.isFinite && $0 > bar }) ?? false }.count
    }

    /// Two finishers and one kept trial: the kept trial is a miss only when it beats the weaker
    /// finisher, which three trials ranked together would hide (it is always in their top 3).
    @Test func withTwoFinishersTheKeptTrialMustBeatTheWeakerOne() throws {
        let out = try Self.run([
            "successive-halving", "--trials", "6", "--epochs", "3", "--keep-pruned", "1", "--train-size", "500",
        ])
        let rungs = out.records.compactMap { if case .rung(let r) = $0 { r } else { nil } }
        let halving = try #require(out.records.compactMap { if case .halving(let h) = $0 { h } else { nil } }.first)
        var final: [Int: Double] = [:]
        for case .eval(let e) in out.records where e.evaluation.epoch == 3 {
            final[e.run ?? 0] = e.evaluation.validationAccuracy
        }
        let finishers = try #require(rungs.last).ranked.map(\.run)
        let kept = Set(rungs.flatMap(\.kept))
        #expect(finishers.count == 2 && kept.count == 1)
        let k = try #require(kept.first)
        let weaker = finishers.compactMap { final[$0] }.min() ?? .infinity
        let expected = (final[k] ?? -1) > weaker ? 1 : 0
        #expect(halving.regretMissed == expected && halving.regretKept == 1)
        #expect(out.stdout.contains("pruning regret: \(expected) of 1 kept-alive"))
    }

    /// lr up to 1,000 diverges often: a diverged pruned trial is never drawn as kept alive, and when
    /// too few others were pruned the ladder keeps fewer and says so.
    @Test func aDivergedPrunedTrialIsNeverKeptAlive() throws {
        let out = try Self.run([
            "successive-halving", "--trials", "6", "--epochs", "3", "--keep-pruned", "4", "--train-size", "500",
            "--space", "lr=log:-1,3",
        ])
        let rungs = out.records.compactMap { if case .rung(let r) = $0 { r } else { nil } }
        let halving = try #require(out.records.compactMap { if case .halving(let h) = $0 { h } else { nil } }.first)
        let kept = rungs.flatMap(\.kept)
        for rung in rungs {
            for run in rung.kept {
                let entry = rung.ranked.first { $0.run == run }
                #expect(entry?.score != nil, "kept trial \(run + 1) had not diverged at rung \(rung.rung)")
            }
        }
        let divergedPruned = rungs.dropLast().flatMap { r in
            r.ranked.filter { $0.score == nil && !r.promoted.contains($0.run) }
        }
        try #require(!divergedPruned.isEmpty, "the space makes some pruned trials diverge")
        #expect(halving.regretKept == kept.count && kept.count < 4)
        #expect(
            out.stdout.contains(
                "kept alive: \(kept.count) pruned trials, \(4 - kept.count) fewer than --keep-pruned asked"))
        // A diverged comparison trial stops early: the line says what was planned and what trained.
        let planned = halving.randomTrials * 3
        if let trained = halving.randomBudget, trained != planned {
            #expect(out.stdout.contains("= \(planned) epochs planned, \(trained) trained"), "\(out.stdout)")
        }
    }

    /// SGD and AdaGrad have no β: the record leaves it out, and lr is the Float the trial trained.
    @Test func theRecordHoldsTheValuesTheTrialsTrained() throws {
        let out = try Self.run([
            "successive-halving", "--trials", "3", "--epochs", "1", "--train-size", "500", "--space",
            "lr=log:-2,-1", "beta=one-minus-log:-3,-1", "optimizer=choice:sgd,adagrad,momentum",
        ])
        let trials = out.records.compactMap { if case .trial(let t) = $0 { t } else { nil } }
        #expect(trials.filter { $0.round == 1 }.count == 3, "3 ladder trials (and the comparison's)")
        for t in trials {
            #expect(t.values[.learningRate]?.number == t.learningRate, "trial \(t.run + 1)")
            guard case .choice(let optimizer)? = t.values[.optimizer] else {
                Issue.record("trial \(t.run + 1) has no optimizer")
                continue
            }
            #expect(
                (t.values[.beta] == nil) == ["sgd", "adagrad"].contains(optimizer), "trial \(t.run + 1): \(optimizer)")
        }
    }

    @Test func anInfeasibleSpaceNamesTheFlagAndEntry() throws {
        try BinaryErrorTests().expectOneLineFailure(
            [
                "preset", "successive-halving", "--space", "beta=one-minus-log:-30,-1", "optimizer=choice:momentum",
                "--headless", "--trials", "3", "--epochs", "1", "--train-size", "500",
            ], mentioning: "--space: 'beta=one-minus-log:-30,-1': a trial at beta 1 is refused")
    }

    @Test func badCombinationsAreOneLine() throws {
        let errors = BinaryErrorTests()
        try errors.expectOneLineFailure(
            ["preset", "successive-halving", "--min-epochs", "5", "--epochs", "3", "--headless"],
            mentioning: "--min-epochs")
        // 9 trials at η 3 over 1, 3 epochs: 6 pruned.
        try errors.expectOneLineFailure(
            ["preset", "successive-halving", "--trials", "9", "--epochs", "3", "--keep-pruned", "7", "--headless"],
            mentioning: "--keep-pruned: the ladder prunes 6 of the 9 trials")
        try errors.expectOneLineFailure(
            ["preset", "successive-halving", "--eta", "1", "--headless"], mentioning: "--eta")
        try errors.expectOneLineFailure(
            ["preset", "successive-halving", "--members", "5", "--headless"], mentioning: "--members")
    }
}
