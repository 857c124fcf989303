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
            // The record says how it trained: a flag that would say otherwise is refused, not ignored.
            let given =
                [
                    ("--epochs", epochs != nil), ("--steps", steps != nil), ("--trials", trials != nil),
                    ("--scales", scales != nil), ("--train-size", trainSize != nil), ("--test-size", testSize != nil),
                    ("--seed", seed != 0),
                ].filter(\.1).map(\.0) + search.givenFlags.filter { $0 != "--check-record" }
            if let flag = given.first {
                throw ValidationError("--check-record: takes its settings from the record; drop \(flag)")
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
        let (total, overflow) = fitted[0].epochs.multipliedReportingOverflow(by: perEpoch)
        let (memberSteps, overflow2) = total.multipliedReportingOverflow(by: search.members)
        if overflow || overflow2 || memberSteps > Population.memberStepLimit {
            throw ValidationError(
                "--epochs: \(fitted[0].epochs) epochs of \(perEpoch) steps × \(search.members) members is \(overflow || overflow2 ? "far" : "\(memberSteps)") member-steps, more than the \(Population.memberStepLimit) whose every loss a population keeps; give fewer --epochs or a smaller --train-size"
            )
        }
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
