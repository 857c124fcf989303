import ArgumentParser
import Foundation
import NN

extension PresetCommand {
    /// `preset successive-halving`: E9's network and data on a larger subset (5,000 images, 20 %
    /// held out for validation, the test set never loaded), `--trials` points drawn from the space,
    /// rungs from `--min-epochs` to `--epochs` at ×`--eta`. Returns the exit status.
    func successiveHalving(log: MetricsLog?) throws -> Int32 {
        let maxEpochs = epochs ?? 9
        let trialCount = trials ?? 27
        if search.minEpochs > maxEpochs {
            throw ValidationError(
                "--min-epochs: \(search.minEpochs) is more than --epochs \(maxEpochs); the first rung cannot train longer than the last"
            )
        }
        let halving: SuccessiveHalving
        do { halving = try SuccessiveHalving(eta: search.eta, minimum: search.minEpochs, maximum: maxEpochs) } catch {
            throw ValidationError("--eta/--min-epochs: \(error)")
        }
        let sizes = halving.rungSizes(trials: trialCount)
        let prunable = SuccessiveHalvingSearch.prunedCount(halving, trials: trialCount)
        if search.keepPruned > prunable {
            throw ValidationError(
                "--keep-pruned: the ladder prunes \(prunable) of the \(trialCount) trials (rung sizes \(sizes.map(String.init).joined(separator: ", "))), so at most \(prunable) can be kept alive, got \(search.keepPruned)"
            )
        }
        let space = try search.givenSpace() ?? SuccessiveHalvingRun.defaultSpace
        let book = TrainingConfig(
            network: NetworkConfig(hidden: Array(repeating: 100, count: 6), activation: .relu, initializer: .he),
            optimizer: .sgd, batchSize: 100, epochs: maxEpochs, seed: seed)
        // The data first, with the base alone: the space is checked against it (errors name the
        // flag the space came from) before any point is drawn.
        let (dataset, directory, fitted) = try loadData(
            trainSize: 5000, validation: 0.2, usesTestSet: false, configs: [book])
        let base = fitted[0]
        try check(space, base: base, dataset: dataset)
        let points = SuccessiveHalvingSearch.points(space, trials: trialCount, seed: seed, base: base)
        let configs = points.enumerated().map { i, point in
            var c = SearchSpace.apply(point, to: base).fitted(to: dataset)
            c.seed = SuccessiveHalvingSearch.seed(ofTrial: i, base: seed)
            c.epochs = maxEpochs
            return c
        }
        let engine = SuccessiveHalvingSearch(
            dataset: dataset, halving: halving, space: space, values: points, configs: configs,
            keepPruned: search.keepPruned, seed: seed)
        return SuccessiveHalvingRun(
            search: engine, base: book, directory: directory, log: log, headless: headless, glyphs: screen.glyphs
        ).run()
    }
}
