import Foundation
import NN
import TUI

/// `preset random-search` (E9, or any search space) from start to end: the search on its screen
/// (`n` runs the next round), or headless — `rounds` rounds, each narrowed around the best 5 of the
/// last, with a leaderboard per round — and the run record (`RandomSearchRecorder`).
struct RandomSearchRun {
    let search: RandomSearch
    let rounds: Int
    let seed: UInt64
    let directory: String
    let log: MetricsLog?
    let headless: Bool
    let glyphs: GlyphSet?

    /// Runs the search; returns the process exit status (130 or 141 after a stop).
    func run() -> Int32 {
        let base = search.base
        let space = search.space
        var recorder = RandomSearchRecorder(log: log, search: search, directory: directory)
        if let screen = Frontend.screen(headless: headless, glyphs: glyphs, instead: "running the search headless") {
            var model = RandomSearchScreen(search: search)
            search.startRound(space)
            let interrupted = ScreenLoop.run(&model, on: screen)
            search.stop()
            // The record is complete before the terminal is touched: after a SIGHUP it is gone.
            let stop = StopSignal.install()
            recorder.record(search.snapshot(), space: space)
            recorder.finish(search.snapshot(), stopReason: interrupted ? stop.recordReason : nil)
            screen.close()
            if let best = RandomSearchScreen.leaderboard(search.snapshot().trials).first {
                print(
                    String(format: "dlboard: best trial val %.4f at ", best.finalValidation)
                        + space.axes.map { "\($0.knob.label) \($0.cell(best.point[$0.knob]))" }.joined(separator: ", "))
            }
            return interrupted ? stop.exitStatus : 0
        }
        let stop = StopSignal.install()
        print(
            "dlboard preset random-search\(space == .book ? " (E9)" : ""): \(search.dataset.train.count) train / \(search.dataset.validation?.count ?? 0) validation from \(directory); test set not used"
        )
        print(
            "\(search.trialsPerRound) trials per round · \(space == .book ? "" : "base ")\(base.network.inputSize)-100×6-10 ReLU He · SGD · batch 100 · \(base.epochs) epochs · seed \(seed)"
        )
        if space != .book {
            print("search space: \(space.specs.joined(separator: " ")) (each trial's values replace the base's)")
        }
        print(
            search.sharedInit
                ? "every trial from the same initial weights and batches (--shared-init)"
                : "every trial its own initial weights and batch order (seeded from its number, as the book's)")
        var current = space
        for round in 1...rounds {
            print("round \(round): \(current.rangesText)")
            search.startRound(current)
            if let status = Self.finishRound(round, of: search, recorder: &recorder, space: space, stop: stop) {
                return status
            }
            guard round < rounds else { break }
            guard let next = search.narrowed() else {
                print("too few finished trials to narrow; stopping")
                break
            }
            current = next
        }
        recorder.finish(search.snapshot(), stopReason: nil)
        return 0
    }

    /// Headless: follows the running `round` to its end (or a stop), writing the record as it
    /// trains, then prints the round's leaderboard. Returns the exit status when a stop ended it
    /// (the record then closed with the stop's reason), nil when the round finished.
    static func finishRound(
        _ round: Int, of search: RandomSearch, recorder: inout RandomSearchRecorder, space: SearchSpace,
        stop: StopSignal
    ) -> Int32? {
        while search.snapshot().running {
            if stop.isRequested {
                search.stop()
                break
            }
            recorder.record(search.snapshot(), space: space)
            usleep(50_000)
        }
        recorder.record(search.snapshot(), space: space)
        recorder.log?.flush()
        let trials = search.snapshot().trials.filter { $0.round == round }
        for line in leaderboardLines(trials, space: space) { print(line) }
        fflush(nil)
        guard stop.isRequested else { return nil }
        Console.say("interrupted")
        recorder.finish(search.snapshot(), stopReason: stop.recordReason)
        return stop.exitStatus
    }

    /// A headless leaderboard of `trials`, best first, up to `limit` rows: rank, trial number,
    /// validation and train accuracy, then a column per knob of the space; refused trials last,
    /// each with its reason.
    static func leaderboardLines(_ trials: [RandomSearch.Trial], space: SearchSpace, limit: Int = 20) -> [String] {
        let widths = space.axes.map { max($0.knob.label.count, $0.cellWidth()) }
        func columns(_ texts: [String]) -> String {
            // The last column unpadded: nothing follows it but a diverged mark.
            zip(texts, widths).enumerated().map { i, c in
                "  " + (i == texts.count - 1 ? c.0 : c.0.padding(toLength: c.1, withPad: " ", startingAt: 0))
            }.joined()
        }
        var lines = [" rank  trial   val    train" + columns(space.axes.map(\.knob.label))]
        for (i, t) in RandomSearchScreen.leaderboard(trials).prefix(limit).enumerated() {
            lines.append(
                String(format: " %4d  %5d  %.3f  %.3f", i + 1, t.id + 1, t.finalValidation, t.trainAccuracy.last ?? 0)
                    + columns(space.axes.map { $0.cell(t.point[$0.knob]) }) + (t.diverged ? "  diverged" : ""))
        }
        for t in trials where t.refusal != nil {
            lines.append(String(format: "    –  %5d  not trained: ", t.id + 1) + (t.refusal ?? ""))
        }
        return lines
    }
}
