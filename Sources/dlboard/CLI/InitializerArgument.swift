import ArgumentParser
import NN

/// `--init he|xavier|<std>|0|constant:C`.
struct InitializerArgument: ExpressibleByArgument, Sendable {
    let value: Initializer
    init?(argument: String) {
        guard let v = Initializer(argument: argument) else { return nil }
        value = v
    }
    var defaultValueDescription: String { value.argument }
}
