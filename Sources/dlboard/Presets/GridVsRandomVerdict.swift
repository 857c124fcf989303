import Foundation
import NN

/// What grid vs random shows, counted from the trials: how many distinct values of each knob each
/// search tried, and the best validation accuracy each reached.
struct GridVsRandomVerdict: Equatable {
    struct Side: Equatable {
        var trials = 0
        var finished = 0
        /// Distinct values of the knob that matters, and of the other.
        var distinctImportant = 0
        var distinctOther = 0
        /// The best final validation accuracy of its finished trials that did not diverge (nil before the first).
        var best: Double?
        /// The best trial's value of the knob that matters.
        var bestValue: SearchValue?
    }

    let important: SearchSpace.Axis
    let other: SearchSpace.Axis
    let grid: Side
    let random: Side

    init(_ trials: [RandomSearch.Trial], important: SearchSpace.Axis, other: SearchSpace.Axis) {
        self.important = important
        self.other = other
        func side(_ round: Int) -> Side {
            let mine = trials.filter { $0.round == round }
            let done = mine.filter { $0.done && !$0.diverged && $0.refusal == nil && !$0.evaluations.isEmpty }
            let best = done.max { $0.finalValidation < $1.finalValidation }
            return Side(
                trials: mine.count, finished: done.count,
                distinctImportant: Set(mine.compactMap { $0.point[important.knob] }).count,
                distinctOther: Set(mine.compactMap { $0.point[other.knob] }).count,
                best: best?.finalValidation, bestValue: best?.point[important.knob])
        }
        grid = side(GridVsRandom.gridRound)
        random = side(GridVsRandom.randomRound)
    }

    private static func accuracy(_ v: Double?) -> String { v.map { String(format: "%.2f", $0) } ?? "–" }

    /// The screen's line: "random tried 16 distinct lr values, grid 4 · best val: grid 0.84, random 0.87".
    var line: String {
        let name = important.knob.rawValue
        return "random tried \(random.distinctImportant) distinct \(name) values, grid \(grid.distinctImportant)"
            + " · best val: grid \(Self.accuracy(grid.best)), random \(Self.accuracy(random.best))"
    }

    /// The headless verdict: the counts, the bests, and what they mean.
    var lines: [String] {
        let name = important.knob.label
        let otherName = other.knob.label
        func best(_ s: Side) -> String {
            guard let b = s.best else { return "none finished" }
            return String(format: "%.4f", b) + (s.bestValue.map { " at \(name) \(important.cell($0))" } ?? "")
        }
        let labels = ["  \(name) (matters):", "  \(otherName) (barely matters):"]
        let width = labels.map(\.count).max()! + 1
        var out = [
            "distinct values tried (\(grid.trials) trials each):",
            labels[0].padding(toLength: width, withPad: " ", startingAt: 0)
                + "grid \(grid.distinctImportant), random \(random.distinctImportant)",
            labels[1].padding(toLength: width, withPad: " ", startingAt: 0)
                + "grid \(grid.distinctOther), random \(random.distinctOther)",
            "best validation accuracy:",
            "  grid   " + best(grid),
            "  random " + best(random),
        ]
        let more = random.distinctImportant > grid.distinctImportant
        var verdict =
            "verdict: with the same \(grid.trials) trials, random search tried "
            + (more
                ? "\(random.distinctImportant) distinct \(name) values to the grid's \(grid.distinctImportant)"
                : "no more distinct \(name) values than the grid (\(random.distinctImportant) vs \(grid.distinctImportant))")
        if let g = grid.best, let r = random.best {
            verdict +=
                r > g
                ? String(format: ", and found the better %@ (val %.2f vs %.2f)", name, r, g)
                : r == g
                    ? String(format: "; both reached val %.2f", r)
                    : String(
                        format:
                            "; the grid's best was higher this time (val %.2f vs %.2f): more values of %@ are a better chance, not a sure win",
                        g, r, name)
        }
        out.append(verdict)
        return out
    }
}
