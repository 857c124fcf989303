import ArgumentParser
import Foundation
import NN

extension PresetCommand {
    /// `preset grid-vs-random`: returns the exit status.
    func gridVsRandom(log: MetricsLog?) throws -> Int32 {
        throw ValidationError("preset \(name ?? ""): not available yet")
    }
}
