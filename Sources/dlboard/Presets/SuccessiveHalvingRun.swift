import Foundation
import NN
import TUI

/// `preset successive-halving` from start to end: the ladder on its screen, or headless — a table
/// per rung, the rung sizes, the budget, the best against a random search of the same budget, the
/// regret — and the run record: every trial a run (config header, `trial` record, its `eval`s, a
/// `summary` saying `pruned` for a pruned one), a `rung` record per decision and one `halving`
/// record with the verdict.
struct SuccessiveHalvingRun {
    let search: SuccessiveHalvingSearch
    let base: TrainingConfig
    let directory: String
    let log: MetricsLog?
    let headless: Bool
    let glyphs: GlyphSet?

    /// The default space: E9's weight decay with lr over four decades up to 1, so that the first
    /// rung already tells the slow learners (lr 10⁻⁴) from the fast ones and pruning shows.
    static let defaultSpace = try! SearchSpace(parsing: ["lr=log:-4,0", "wd=log:-8,-4"])

    /// Runs the search; returns the process exit status (130 or 141 after a stop).
    func run() -> Int32 {
        var recorder = Recorder(
            log: log, base: base, dataset: search.dataset, checksum: log == nil ? "" : search.dataset.checksum(),
            directory: directory, halving: search.halving)
        if let screen = Frontend.screen(headless: headless, glyphs: glyphs, instead: "running the search headless") {
            var model = SuccessiveHalvingScreen(search: search)
            // The record grows as training does (on the main thread, which owns the log), so a
            // killed session leaves what it had trained.
            if let log {
                model.record = { s in
                    recorder.log(s)
                    log.flushIfDue()
                }
            }
            search.start()
            let interrupted = ScreenLoop.run(&model, on: screen)
            model.record = nil
            search.stop()
            // The record is complete before the terminal is touched: after a SIGHUP it is gone.
            let stop = StopSignal.install()
            let s = search.snapshot()
            recorder.log(s)
            recorder.finish(s, stopReason: interrupted ? stop.recordReason : nil)
            screen.close()
            for line in Self.verdictLines(s, halving: search.halving) { print("dlboard: " + line) }
            return interrupted ? stop.exitStatus : 0
        }
        let stop = StopSignal.install()
        let h = search.halving
        let data = search.dataset
        print(
            "dlboard preset successive-halving: \(data.train.count) train / \(data.validation?.count ?? 0) validation from \(directory); test set not used"
        )
        print(
            "\(search.trialCount) trials from \(search.space.specs.joined(separator: " ")) · η \(h.eta) · rungs at \(h.budgets.map(String.init).joined(separator: ", ")) epochs · \(base.network.inputSize)-\(base.network.hidden.first ?? 0)×\(base.network.hidden.count)-10 · \(base.optimizer.rawValue) · batch \(base.batchSize) · seed \(search.seed)"
        )
        print(
            "rung sizes \(h.rungSizes(trials: search.trialCount).map(String.init).joined(separator: ", ")) (the best ⌊n/η⌋ (at least 1) of a rung go on)"
        )
        if search.keepPruned > 0 {
            print(
                "\(search.keepPruned) pruned trials kept training to \(search.fullEpochs) epochs (drawn uniformly from all the ladder prunes, seeded)"
            )
        }
        search.start()
        var printed = 0
        while true {
            let s = search.snapshot()
            recorder.log(s)
            while printed < s.decisions.count {
                for line in Self.rungTable(s, rung: printed, halving: h) { print(line) }
                printed += 1
                fflush(nil)
            }
            if !s.running { break }
            if stop.isRequested {
                search.stop()
                break
            }
            usleep(50_000)
        }
        let s = search.snapshot()
        recorder.log(s)
        if stop.isRequested || s.stopped {
            Console.say("interrupted")
            recorder.finish(s, stopReason: stop.recordReason)
            return stop.exitStatus
        }
        for line in Self.verdictLines(s, halving: h) { print(line) }
        recorder.finish(s, stopReason: nil)
        return 0
    }

    /// A rung's decision as a table: every trial that reached it, best first, with what became of it.
    static func rungTable(_ s: SuccessiveHalvingSearch.Snapshot, rung k: Int, halving: SuccessiveHalving) -> [String] {
        let d = s.decisions[k]
        let last = k == halving.budgets.count - 1
        let kept = Set(s.kept[k])
        let promoted = Set(d.promoted)
        var lines = [
            "rung \(k + 1) · \(d.budget) epoch\(d.budget == 1 ? "" : "s") · \(d.ranked.count) trials"
                + (last
                    ? " · the finishers"
                    : " · \(d.promoted.count) promoted"
                        + (d.cutoff.map { String(format: " · cutoff %.4f", $0) } ?? ""))
        ]
        lines.append(" rank  trial   val     fate      values")
        for (i, e) in d.ranked.enumerated() {
            let fate: RungLadderView.Fate =
                last ? .finished : promoted.contains(e.trial) ? .promoted : kept.contains(e.trial) ? .kept : .pruned
            let score = e.score.isNaN ? "  –   " : String(format: "%.4f", e.score)
            lines.append(
                String(format: " %4d  %5d  ", i + 1, e.trial + 1) + score + "  "
                    + fate.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0) + "  "
                    + describe(s.trials[e.trial].values))
        }
        return lines
    }

    /// The budget, both bests and the regret, as far as they are known.
    static func verdictLines(_ s: SuccessiveHalvingSearch.Snapshot, halving: SuccessiveHalving) -> [String] {
        let v = SuccessiveHalvingSearch.verdict(s, halving: halving)
        let full = halving.budgets.last ?? 1
        var lines = [
            "budget: successive halving \(v.budgetSpent) epochs; a full search of \(s.trials.count) trials × \(full) = \(v.fullBudget)"
                + (v.keptBudget > 0 ? "; the kept-alive trials \(v.keptBudget) more (not counted)" : "")
        ]
        if let b = v.randomBudget {
            let planned = v.randomTrials * full
            let diverged = s.comparison.filter(\.diverged).count
            // A diverged trial stops early: the product alone would not add up to what trained.
            let spent =
                b == planned
                ? "\(b) epochs" : "\(planned) epochs planned, \(b) trained (\(diverged) diverged)"
            lines.append(
                "random search with the same budget: \(v.randomTrials) trials × \(full) epochs = \(spent) (the first \(v.randomTrials) points of the same draw, same seeds)"
            )
        }
        let sh = v.best.map { String(format: "%.4f (trial %d)", $0.score, $0.run + 1) } ?? "–"
        let rs =
            v.randomBest.map { String(format: "%.4f (point %d)", $0.score, $0.run - s.trials.count + 1) }
            ?? (v.randomBudget == nil ? "not run" : "–")
        lines.append("best validation accuracy: successive halving \(sh) · random search \(rs)")
        if s.keptShort > 0 {
            lines.append(
                "kept alive: \(s.kept.reduce(0) { $0 + $1.count }) pruned trials, \(s.keptShort) fewer than --keep-pruned asked (the others pruned had diverged)"
            )
        }
        if let r = v.regret {
            lines.append(
                "pruning regret: \(r.missed) of \(r.kept) kept-alive pruned trials would have displaced one of the top 3 finishers"
            )
        }
        return lines
    }

    /// A trial's drawn values, as the space names its knobs.
    static func describe(_ values: [SearchKnob: SearchValue]) -> String {
        SearchKnob.allCases.compactMap { knob in
            values[knob].map { v in
                switch v {
                case .number(let d): "\(knob.rawValue) " + String(format: d != 0 && abs(d) < 0.01 ? "%.2e" : "%.3g", d)
                case .integer(let i): "\(knob.rawValue) \(i)"
                case .choice(let c): "\(knob.rawValue) \(c)"
                }
            }
        }.joined(separator: " ")
    }

    /// Writes what the snapshots add to the record, each thing once, in the order it happened as
    /// far as polling sees it: a trial's header when it first trains, its new evaluations, each rung
    /// decision when made.
    struct Recorder {
        let log: MetricsLog?
        let base: TrainingConfig
        let dataset: Dataset
        let checksum: String
        let directory: String
        let halving: SuccessiveHalving
        var logged: [Int: Int] = [:]
        var rungs = 0

        mutating func log(_ s: SuccessiveHalvingSearch.Snapshot) {
            guard let log else { return }
            for t in s.trials + s.comparison where t.training || !t.evaluations.isEmpty || logged[t.id] != nil {
                let already = logged[t.id] ?? -1
                if already < 0 {
                    let round = t.id < s.trials.count ? 1 : 2
                    log.writeConfig(
                        t.config, dataset: dataset, checksum: checksum, dataDirectory: directory, run: t.id,
                        title: round == 1
                            ? "trial \(t.id + 1) \(SuccessiveHalvingRun.describe(t.values))"
                            : "random search: point \(t.point + 1) \(SuccessiveHalvingRun.describe(t.values))")
                    log.write(
                        TrialRecord(
                            run: t.id, round: round, learningRate: Double(t.config.learningRate ?? .nan),
                            weightDecay: Double(t.config.network.weightDecay), values: t.values))
                }
                for e in t.evaluations.dropFirst(max(0, already)) { log.writeEval(e, run: t.id) }
                logged[t.id] = t.evaluations.count
            }
            while rungs < s.decisions.count {
                log.writeRung(s.decisions[rungs], kept: s.kept[rungs])
                rungs += 1
            }
        }

        /// A `summary` per trial that trained, the verdict, and the log closed. A pruned trial's
        /// summary says `pruned`; one cut short by a stop says `stopReason`.
        func finish(_ s: SuccessiveHalvingSearch.Snapshot, stopReason: StopReason?) {
            guard let log else { return }
            let full = halving.budgets.last ?? 1
            for t in s.trials + s.comparison where logged[t.id] != nil {
                let last = t.evaluations.last
                let reason: StopReason? =
                    t.diverged
                    ? .diverged
                    : t.prunedAt != nil && !t.keptAlive ? .pruned : t.epochs >= full ? nil : stopReason
                log.writeSummary(
                    steps: last?.step ?? 0, epochs: t.evaluations.count,
                    seconds: t.evaluations.reduce(0) { $0 + $1.trainSeconds }, testAccuracy: nil,
                    validationAccuracy: last?.validationAccuracy, stopReason: reason, run: t.id)
            }
            let v = SuccessiveHalvingSearch.verdict(s, halving: halving)
            log.write(
                HalvingRecord(
                    t: log.elapsed, trials: s.trials.count, eta: halving.eta, budgets: halving.budgets,
                    budgetSpent: v.budgetSpent, fullBudget: v.fullBudget, keptBudget: v.keptBudget,
                    bestRun: v.best?.run, bestValidation: v.best?.score, randomTrials: v.randomTrials,
                    randomBudget: v.randomBudget, randomBestRun: v.randomBest?.run,
                    randomBestValidation: v.randomBest?.score, regretMissed: v.regret?.missed,
                    regretKept: v.regret?.kept))
            log.close()
        }
    }
}
