import ArgumentParser
import NN

// The engine's choices, parsed from the command line by their names (`--optimizer adam`,
// `--activation sigmoid`, `--loss mse`, `--dropout-style inverted`, `--sampling shuffle`).
extension OptimizerKind: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

/// `leaky-relu` takes an optional slope: `leaky-relu:0.1`.
extension Activation: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map(\.argument) + ["leaky-relu:A"] }
}

extension Loss: ExpressibleByArgument {}

extension DropoutStyle: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}
extension Normalization: ExpressibleByArgument {}

extension BatchSampler.Policy: ExpressibleByArgument {}

extension LearningRateSchedule: ExpressibleByArgument {
    public var defaultValueDescription: String { argument }
}

extension InputScaling: ExpressibleByArgument {}

/// `none`, or parts joined by `,` or `+`: `shift:2,rotate:10,noise:0.1`.
extension Augmentation: ExpressibleByArgument {
    public var defaultValueDescription: String { argument }
}
