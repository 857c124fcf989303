import ArgumentParser
import NN

// The engine's choices, parsed from the command line by their names (`--optimizer adam`,
// `--activation sigmoid`, `--sampling shuffle`).
extension OptimizerKind: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

extension Activation: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

extension BatchSampler.Policy: ExpressibleByArgument {}

extension LearningRateSchedule: ExpressibleByArgument {
    public var defaultValueDescription: String { argument }
}
