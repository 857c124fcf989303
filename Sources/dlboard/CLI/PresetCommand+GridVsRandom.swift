import ArgumentParser
import Foundation
import NN

extension PresetCommand {
    /// Epochs per trial of `preset grid-vs-random`: fewer than E9's 50, and the verdict holds.
    static let gridVsRandomEpochs = 20

    /// `preset grid-vs-random`: E9's data and network, the default space (lr matters, weight decay
    /// barely does) or `--space` with two numeric knobs, the first the one that matters; `--trials`
    /// the budget of each search (default 16, a 4×4 grid). Returns the exit status.
    func gridVsRandom(log: MetricsLog?) throws -> Int32 {
        let space = try search.givenSpace() ?? GridVsRandom.defaultSpace
        let numeric = space.axes.filter { a in
            if case .choice = a.dimension { return false }
            return true
        }
        guard space.axes.count == 2, numeric.count == 2 else {
            throw ValidationError(
                "\(spaceFlag): grid-vs-random compares exactly two knobs on log, one-minus-log, uniform or int scales (the first the one that matters), got \(space.specs.joined(separator: " "))"
            )
        }
        let budget = trials ?? 16
        guard budget >= 4 else {
            throw ValidationError("--trials: grid-vs-random needs at least a 2×2 grid, 4 trials, got \(budget)")
        }
        let (dataset, directory, base) = try searchData(epochs: epochs ?? Self.gridVsRandomEpochs)
        try check(space, base: base, dataset: dataset)
        return GridVsRandomRun(
            comparison: GridVsRandom(dataset: dataset, base: base, space: space, trials: budget), asked: budget,
            seed: seed, directory: directory, log: log, headless: headless, glyphs: screen.glyphs
        ).run()
    }
}
