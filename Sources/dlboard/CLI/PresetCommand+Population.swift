import ArgumentParser
import Foundation
import NN

extension PresetCommand {
    /// `preset population`: returns the exit status.
    func population(log: MetricsLog?) throws -> Int32 {
        throw ValidationError("preset \(name ?? ""): not available yet")
    }
}
