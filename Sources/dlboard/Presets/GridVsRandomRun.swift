import Foundation
import NN
import TUI

/// `preset grid-vs-random` from start to end: both searches on their screen, or headless — the
/// grid's leaderboard, the random search's, the distinct values each tried and the verdict — and
/// the run record: every trial of both a run of its own (`RandomSearchRecorder`), round 1 the grid
/// and round 2 random, each title naming its search.
struct GridVsRandomRun {
    let comparison: GridVsRandom
    /// ⌊√N⌋² ≠ N: what `--trials` asked for, to say the grid took fewer.
    let asked: Int
    let seed: UInt64
    let directory: String
    let log: MetricsLog?
    let headless: Bool
    let glyphs: GlyphSet?

    func run() -> Int32 {
        let search = comparison.search
        var recorder = RandomSearchRecorder(
            log: log, search: search, directory: directory, roundName: GridVsRandom.searchName(round:))
        let space = comparison.space
        if let screen = Frontend.screen(headless: headless, glyphs: glyphs, instead: "running both searches headless") {
            var model = GridVsRandomScreen(comparison: comparison)
            // The record grows as training does (on the main thread, which owns the log), so a
            // killed session leaves what it had trained.
            if let log {
                model.record = { s in
                    recorder.record(s, space: space)
                    log.flushIfDue()
                }
            }
            comparison.start()
            let interrupted = ScreenLoop.run(&model, on: screen)
            model.record = nil
            search.stop()
            // The record is complete before the terminal is touched: after a SIGHUP it is gone.
            let stop = StopSignal.install()
            recorder.record(search.snapshot(), space: space)
            recorder.finish(search.snapshot(), stopReason: interrupted ? stop.recordReason : nil)
            screen.close()
            print("dlboard: " + model.verdict.line)
            return interrupted ? stop.exitStatus : 0
        }
        let stop = StopSignal.install()
        let data = search.dataset
        let base = search.base
        print(
            "dlboard preset grid-vs-random: \(data.train.count) train / \(data.validation?.count ?? 0) validation from \(directory); test set not used"
        )
        for line in header(base: base) { print(line) }
        comparison.start()
        for round in [GridVsRandom.gridRound, GridVsRandom.randomRound] {
            if round == GridVsRandom.randomRound { comparison.advance() }
            print("\(GridVsRandom.searchName(round: round)): \(roundText(round))")
            if let status = RandomSearchRun.finishRound(
                round, of: search, recorder: &recorder, space: space, stop: stop)
            {
                return status
            }
        }
        let verdict = GridVsRandomVerdict(
            search.snapshot().trials, important: comparison.important, other: comparison.other)
        for line in verdict.lines { print(line) }
        recorder.finish(search.snapshot(), stopReason: nil)
        return 0
    }

    /// The lines before the searches: the space, the budget and the network.
    func header(base: TrainingConfig) -> [String] {
        let c = comparison
        var lines = [
            "space: \(c.space.specs.joined(separator: " ")) — \(c.important.knob.label) matters, \(c.other.knob.label) barely does",
            "budget: \(c.budget) trials each · grid \(c.side)×\(c.side) vs \(c.budget) random draws · \(base.network.inputSize)-100×6-10 ReLU He · SGD · batch 100 · \(base.epochs) epoch\(base.epochs == 1 ? "" : "s") · seed \(seed)",
            "every trial from the same initial weights and batch order: only its two values differ",
        ]
        if asked != c.side * c.side {
            lines.insert(
                "--trials \(asked): a grid needs a square, so both searches get \(c.side)×\(c.side) = \(c.side * c.side)",
                at: 1)
        }
        if c.budget != c.side * c.side {
            lines.insert(
                "the grid has \(c.budget) distinct points (an int knob has fewer whole numbers than \(c.side))", at: 1)
        }
        return lines
    }

    private func roundText(_ round: Int) -> String {
        guard round == GridVsRandom.gridRound else {
            return "\(comparison.budget) draws from " + comparison.space.rangesText
        }
        return comparison.space.axes.map { a in
            "\(a.knob.label) "
                + a.dimension.grid(comparison.side).map { a.cell($0, precision: 2) }.joined(separator: " ")
        }.joined(separator: " × ")
    }
}
