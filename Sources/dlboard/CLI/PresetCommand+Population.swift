import ArgumentParser
import Foundation
import NN

extension PresetCommand {
    /// The space population-based training draws from and explores when no --space is given: wide
    /// enough that the members visibly differ (lr from 1e-3, too slow, to 1, at the edge with
    /// BatchNorm) and weight decay that matters at its top.
    static let populationSpace = try! SearchSpace(parsing: ["lr=log:-3,0", "wd=log:-6,-2"])

    /// `preset population`: returns the exit status.
    func population(log: MetricsLog?) throws -> Int32 {
        if let path = search.checkRecord {
            if log != nil {
                throw ValidationError("--check-record: reads a record; it writes none (no --metrics-out/--save)")
            }
            return try PopulationRecordCheck(path: path, dataDirectory: source.data).run()
        }
        for (flag, given) in [("--steps", steps != nil), ("--trials", trials != nil), ("--scales", scales != nil)]
        where given {
            throw ValidationError("\(flag): preset population trains --epochs with --members, not \(flag)")
        }
        let space = try search.givenSpace() ?? Self.populationSpace
        let knobs = Set(space.axes.map(\.knob))
        guard knobs == [.learningRate, .weightDecay] else {
            throw ValidationError(
                "--space: population draws and explores lr and wd only; give both (e.g. lr=log:-3,0 wd=log:-6,-2), got \(space.specs.joined(separator: " "))"
            )
        }
        for knob in [SearchKnob.learningRate, .weightDecay] {
            guard case .logUniform? = space.dimension(of: knob) else {
                throw ValidationError("--space: population explores \(knob.rawValue) by factors; give it a log scale")
            }
        }
        let scheduler: PopulationBasedTraining
        do {
            scheduler = try PopulationBasedTraining(quantile: search.quantile, resampleProbability: search.resample)
        } catch { throw ValidationError("--quantile/--resample: \(error)") }
        let base = TrainingConfig(
            network: NetworkConfig(
                hidden: Array(repeating: 100, count: 4), activation: .relu, initializer: .he, normalization: .batch),
            optimizer: .sgd, batchSize: 100, epochs: epochs ?? 20, seed: seed)
        let (dataset, directory, fitted) = try loadData(
            trainSize: 1000, validation: 0.2, usesTestSet: false, configs: [base])
        let perEpoch = max(1, dataset.train.count / fitted[0].batchSize)
        let total = fitted[0].epochs * perEpoch
        if let k = search.exploitEvery, k >= total {
            throw ValidationError(
                "--exploit-every: \(k) steps leaves no generation in a run of \(total) steps (\(fitted[0].epochs) epochs of \(perEpoch)); give fewer or more --epochs"
            )
        }
        if search.exploitEvery == nil && fitted[0].epochs < 2 {
            throw ValidationError("--epochs: population needs at least 2 epochs for a generation at an epoch's end")
        }
        let population = Population(
            dataset: dataset, base: fitted[0],
            settings: .init(
                members: search.members, exploitEvery: search.exploitEvery, scheduler: scheduler, space: space))
        let description = "\(fitted[0].network.inputSize)-100×4-10 ReLU He + BatchNorm · SGD · batch 100"
        return PopulationRun(
            population: population, directory: directory, log: log, headless: headless, glyphs: screen.glyphs,
            description: description
        ).run()
    }
}
