import Foundation
import NN
import TUI
import Testing

@testable import dlboard

/// The rung ladder and the successive-halving screen rendered from a fixed search (27 trials, η 3,
/// rungs at 1, 3, 9 epochs, 3 pruned trials kept alive), compared with stored styled snapshots,
/// plus what a user must find on them whatever the snapshot.
@Suite struct SuccessiveHalvingScreenTests {
    /// A search that never trains, and a finished snapshot of it built by the ladder's own rule
    /// (`SuccessiveHalving.decide`) on made-up learning curves: a trial's speed follows its lr.
    static func fixture() throws -> (SuccessiveHalvingSearch, SuccessiveHalvingSearch.Snapshot) {
        let data = try SessionTests.dataset().restricted(trainSize: nil, validationFraction: 0.2, seed: 1)
        let halving = try SuccessiveHalving(eta: 3, minimum: 1, maximum: 9)
        let space = SuccessiveHalvingRun.defaultSpace
        let base = TrainingConfig(
            network: NetworkConfig(inputSize: 16, hidden: [8], outputSize: 4), optimizer: .sgd, batchSize: 20,
            epochs: 9, seed: 0)
        let points = SuccessiveHalvingSearch.points(space, trials: 27, seed: 0, base: base)
        let search = SuccessiveHalvingSearch(
            dataset: data, halving: halving, space: space, values: points,
            configs: points.map { SearchSpace.apply($0, to: base) }, keepPruned: 3, seed: 0)
        func val(_ i: Int, _ e: Int) -> Double {
            let speed = min(0.9, (points[i][.learningRate]?.number ?? 0) * 8)
            let ceiling = 0.62 + 0.33 * Double((i * 7) % 10) / 10
            return ((0.1 + (ceiling - 0.1) * (1 - pow(1 - speed, Double(e)))) * 1000).rounded() / 1000
        }
        var s = search.snapshot()
        func train(_ trials: inout [SuccessiveHalvingSearch.Trial], _ i: Int, to epochs: Int, point: Int) {
            while trials[i].epochs < epochs {
                let e = trials[i].epochs + 1
                trials[i].evaluations.append(
                    .init(
                        step: 8 * e, epoch: e, meanLoss: 1, trainAccuracy: val(point, e), testAccuracy: nil,
                        validationAccuracy: val(point, e), trainSeconds: 0.1, samplesPerSecond: 1000))
            }
        }
        let keep = search.keptPerRung()
        var members = Array(0..<27)
        var alive: [Int] = []
        for (k, budget) in halving.budgets.enumerated() {
            for i in members + alive { train(&s.trials, i, to: budget, point: i) }
            let d = halving.decide(rung: k, scores: members.map { ($0, val($0, budget)) })
            let last = k == halving.budgets.count - 1
            let kept = last ? [] : Array(d.pruned.prefix(keep[k]))
            if !last { for i in d.pruned { s.trials[i].prunedAt = k } }
            for i in kept { s.trials[i].keptAlive = true }
            s.decisions.append(d)
            s.kept.append(kept)
            alive += kept
            members = d.promoted
        }
        let m = SuccessiveHalvingSearch.verdict(s, halving: halving).budgetSpent / 9
        s.comparison = (0..<m).map { j in
            var t = s.trials[j]
            t.id = 27 + j
            t.evaluations = []
            t.prunedAt = nil
            t.keptAlive = false
            return t
        }
        for j in 0..<m { train(&s.comparison, j, to: 9, point: j) }
        s.phase = .done
        return (search, s)
    }

    @Test func theLadderShowsRungsCutoffsAndGreyPrunedTrials() throws {
        let (search, s) = try Self.fixture()
        let rungs = SuccessiveHalvingScreen.rungs(s, halving: search.halving)
        #expect(
            rungs.map(\.dots.count) == [27, 9 + s.kept[0].count, 3 + s.kept[0].count + s.kept[1].count],
            "members, plus the kept-alive trials after their rung")
        #expect(rungs.map(\.decided) == [true, true, true])
        var buffer = Buffer(width: 100, height: 20)
        RungLadderView(rungs: rungs, trials: 27, glyphs: .braille).render(in: buffer.area, into: &buffer)
        try DashboardSnapshotTests.check(buffer, "rung-ladder-100x20")
        let text = buffer.text
        for header in ["rung 1 · 1 ep · 27", "rung 2 · 3 ep · 9", "rung 3 · 9 ep · 3"] {
            #expect(text.contains(header))
        }
        #expect(text.contains("9 went on · cut") && text.contains("3 went on · cut") && text.contains("finished"))
        // Below the legend line.
        let cells = (1..<buffer.height).flatMap { y in (0..<buffer.width).map { buffer[$0, y] } }
        let cutoff = cells.filter { $0.character == "╌" }
        #expect(cutoff.count >= 2 * 25 && cutoff.allSatisfy { $0.style.foreground == RungLadderView.cutoffColor })
        let dots = cells.filter { $0.character == "●" }
        let grey = dots.filter { $0.style.foreground == RungLadderView.pruned }
        #expect(grey.count >= 10, "the pruned trials' dots are grey")
        #expect(dots.contains { $0.style.bold && $0.style.foreground != RungLadderView.pruned }, "promoted bold")
        #expect(cells.filter { $0.character == "◆" }.count >= 3, "kept-alive trials marked")
    }

    @Test(arguments: [(120, 36), (80, 24)])
    func theScreen(width: Int, height: Int) throws {
        let (search, s) = try Self.fixture()
        var screen = SuccessiveHalvingScreen(search: search)
        screen.snapshot = s
        let buffer = screen.render(width: width, height: height, glyphs: .braille)
        try DashboardSnapshotTests.check(buffer, "successive-halving-\(width)x\(height)")
        let text = buffer.text
        #expect(text.contains("3/3 rungs done") && text.contains("rung 3 · 9 ep · 3"))
        #expect(text.contains("? help") && text.contains("q quit"))
        if width >= 120 {
            #expect(text.contains("budget 63 of a full search's 243 epochs"))
            #expect(text.contains("pruned @rung 1"), "a pruned trial's curve says where it stopped")
            #expect(text.contains("random search, same budget (7×9 = 63 ep): best"))
            #expect(text.contains("regret"))
        }
    }

    @Test func keysToggleTheCurvesAndTheHelp() throws {
        let (search, s) = try Self.fixture()
        var screen = SuccessiveHalvingScreen(search: search)
        screen.snapshot = s
        #expect(screen.shownTrials(s).count == 27)
        var changed = screen.handle(.character("p"))
        #expect(changed)
        #expect(screen.shownTrials(s).allSatisfy { $0.prunedAt == nil || $0.keptAlive })
        #expect(screen.shownTrials(s).count == 3 + 3, "the finishers and the kept-alive")
        changed = screen.handle(.character("r"))
        #expect(changed)
        #expect(screen.shownTrials(s).map(\.id) == Array(27..<34), "the random search's trials")
        changed = screen.handle(.character("?"))
        #expect(changed && screen.showsOverlay)
        let help = screen.render(width: 100, height: 30, glyphs: .braille).text
        for k in SuccessiveHalvingScreen.keys { #expect(help.contains(k.help)) }
        changed = screen.handle(.character("x"))
        #expect(changed && !screen.showsOverlay, "any key closes the help")
        changed = screen.handle(.character("x"))
        #expect(!changed, "an unbound key changes nothing")
    }

    @Test func aRungRecordOutOfRangeIsRefused() throws {
        let bad = [
            #"{"type":"rung","rung":1,"budget":1,"ranked":[{"run":0,"score":1.5}],"promoted":[0],"kept":[]}"#,
            #"{"type":"rung","rung":1,"budget":-1,"ranked":[],"promoted":[],"kept":[]}"#,
            #"{"type":"rung","rung":1,"budget":1,"ranked":[],"promoted":[3],"kept":[]}"#,
            #"{"type":"halving","trials":3,"eta":2,"budgets":[1],"budget_spent":3,"full_budget":3,"best_val_acc":2}"#,
        ]
        for line in bad {
            #expect(throws: RecordProblem.self, "\(line)") {
                try JSONDecoder().decode(DecodedRecord.self, from: Data(line.utf8))
            }
        }
    }
}
