import Foundation
import NN
import TUI

/// `preset random-search` (E9) from start to end: the search on its screen (`n` runs the next
/// round), or headless — `rounds` rounds, each narrowed around the best 5 of the last, with a
/// leaderboard per round — and the run record: every trial a run, with its own config header and a
/// `trial` record, then its evaluations.
struct RandomSearchRun {
    let search: RandomSearch
    let ranges: RandomSearch.Ranges
    let rounds: Int
    let seed: UInt64
    let directory: String
    let log: MetricsLog?
    let headless: Bool
    let glyphs: GlyphSet?

    /// Runs the search; returns the process exit status (130 or 141 after a stop).
    func run() -> Int32 {
        let base = search.base
        // Each trial gets its own config header when it is first logged (see `logTrials`), so replay
        // and export see every trial as a run.
        let header = TrialHeader(
            base: base, dataset: search.dataset, checksum: log == nil ? "" : search.dataset.checksum(),
            directory: directory)
        if let screen = Frontend.screen(headless: headless, glyphs: glyphs, instead: "running the search headless") {
            var model = RandomSearchScreen(search: search)
            search.startRound(ranges)
            let interrupted = ScreenLoop.run(&model, on: screen)
            search.stop()
            // The record is complete before the terminal is touched: after a SIGHUP it is gone.
            let stop = StopSignal.install()
            logTrials(search.snapshot(), log: log, logged: [:], header: header)
            finishTrials(search.snapshot(), log: log, stopReason: interrupted ? stop.recordReason : nil)
            screen.close()
            if let best = RandomSearchScreen.leaderboard(search.snapshot().trials).first {
                print(
                    String(
                        format: "dlboard: best trial val %.4f at lr %.3e, weight decay %.3e", best.finalValidation,
                        best.learningRate, best.weightDecay))
            }
            return interrupted ? stop.exitStatus : 0
        }
        let stop = StopSignal.install()
        print(
            "dlboard preset random-search (E9): \(search.dataset.train.count) train / \(search.dataset.validation?.count ?? 0) validation from \(directory); test set not used"
        )
        print(
            "\(search.trialsPerRound) trials per round · \(base.network.inputSize)-100×6-10 ReLU He · SGD · batch 100 · \(base.epochs) epochs · seed \(seed)"
        )
        print(
            search.sharedInit
                ? "every trial from the same initial weights and batches (--shared-init)"
                : "every trial its own initial weights and batch order (seeded from its number, as the book's)")
        var current = ranges
        var logged: [Int: Int] = [:]
        for round in 1...rounds {
            print("round \(round): \(current.description)")
            search.startRound(current)
            while search.snapshot().running {
                if stop.isRequested {
                    search.stop()
                    break
                }
                logged = logTrials(search.snapshot(), log: log, logged: logged, header: header)
                usleep(50_000)
            }
            logged = logTrials(search.snapshot(), log: log, logged: logged, header: header)
            log?.flush()
            let board = RandomSearchScreen.leaderboard(search.snapshot().trials.filter { $0.round == round })
            print(" rank  trial   val    train  lr         weight decay")
            for (i, t) in board.prefix(20).enumerated() {
                print(
                    String(
                        format: " %4d  %5d  %.3f  %.3f  %.3e  %.3e%@", i + 1, t.id + 1, t.finalValidation,
                        t.trainAccuracy.last ?? 0,
                        t.learningRate, t.weightDecay, t.diverged ? "  diverged" : ""))
            }
            fflush(nil)
            if stop.isRequested {
                Console.say("interrupted")
                finishTrials(search.snapshot(), log: log, stopReason: stop.recordReason)
                return stop.exitStatus
            }
            guard round < rounds else { break }
            guard let next = search.narrowed() else {
                print("too few finished trials to narrow; stopping")
                break
            }
            current = next
        }
        finishTrials(search.snapshot(), log: log, stopReason: nil)
        return 0
    }

    /// A `summary` record per trial (as every run of a session gets one), then the log is closed:
    /// its last evaluation, and why it stopped — diverged, or the search's own stop reason for a
    /// trial cut short (nil: it finished, or the user quit).
    func finishTrials(_ s: RandomSearch.Snapshot, log: MetricsLog?, stopReason: StopReason?) {
        guard let log else { return }
        for t in s.trials {
            let last = t.evaluations.last
            log.writeSummary(
                steps: last?.step ?? 0, epochs: t.evaluations.count,
                seconds: t.evaluations.reduce(0) { $0 + $1.trainSeconds }, testAccuracy: nil,
                validationAccuracy: last?.validationAccuracy,
                stopReason: t.diverged ? .diverged : (t.done ? nil : stopReason), run: t.id)
        }
        log.close()
    }

    /// Writes each trial's new epochs to the log (trial record first); returns the epochs logged per trial.
    @discardableResult
    func logTrials(
        _ s: RandomSearch.Snapshot, log: MetricsLog?, logged: [Int: Int], header: TrialHeader
    ) -> [Int: Int] {
        guard let log else { return logged }
        var logged = logged
        for t in s.trials {
            let already = logged[t.id] ?? -1
            if already < 0 {
                var config = header.base
                config.learningRate = t.learningRate
                config.network.weightDecay = t.weightDecay
                config.seed = t.seed
                log.writeConfig(
                    config, dataset: header.dataset, checksum: header.checksum, dataDirectory: header.directory,
                    run: t.id,
                    title: String(
                        format: "trial %d (round %d) lr %.2e wd %.2e", t.id + 1, t.round, t.learningRate, t.weightDecay)
                )
                log.write(
                    TrialRecord(
                        run: t.id, round: t.round, learningRate: Double(t.learningRate),
                        weightDecay: Double(t.weightDecay)))
            }
            // The trial's own evaluations, as its driver measured them: mean loss, time, samples/s.
            for e in t.evaluations.dropFirst(max(0, already)) { log.writeEval(e, run: t.id) }
            logged[t.id] = t.evaluations.count
        }
        return logged
    }

    /// What every trial's config header shares.
    struct TrialHeader {
        var base: TrainingConfig
        var dataset: Dataset
        var checksum: String
        var directory: String
    }
}
