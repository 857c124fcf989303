import ArgumentParser
import Foundation
import NN

extension PresetCommand {
    /// `preset successive-halving`: returns the exit status.
    func successiveHalving(log: MetricsLog?) throws -> Int32 {
        throw ValidationError("preset \(name ?? ""): not available yet")
    }
}
