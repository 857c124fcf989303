import ArgumentParser
import NN

/// The datasets dlboard knows by name.
enum DatasetName: String, ExpressibleByArgument, CaseIterable, Sendable {
    case mnist
    case fashion
}
