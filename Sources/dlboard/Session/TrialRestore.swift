import Foundation
import NN

/// `dlboard trial --restore D`: the checkpoint a trial goes on from, and whether the configuration
/// the trial asks for may go on from it. Only the learning rate and weight decay may differ (what
/// population-based training's explore changes), plus the budget (`epochs`) and the seed (which
/// only chose the starting point the checkpoint has long left); anything else would not be the
/// same run going on, and is refused in one line naming the field.
struct TrialRestore {
    /// The directory as given (errors name it as `--restore D`).
    let directory: String
    let checkpoint: TrainerCheckpoint

    var path: String { directory + "/" + TrainerCheckpoint.fileName }

    /// The metadata key of the run's training seconds so far (the charts' seconds axis goes on).
    static let trainingSecondsKey = "trainingSeconds"

    /// Reads `D/dlboard.ckpt`; a missing, torn or foreign file is one line.
    static func read(directory: String) throws(TrialRun.Failure) -> TrialRestore {
        do {
            return TrialRestore(directory: directory, checkpoint: try TrainerCheckpoint.read(fromDirectory: directory))
        } catch {
            throw TrialRun.Failure(flag: "--restore \(RecordText.printable(directory))", error)
        }
    }

    /// The training seconds the checkpoint's run had spent (0 when not kept or not a sane number).
    var trainingSeconds: Double {
        guard let text = checkpoint.metadata[Self.trainingSecondsKey], let s = Double(text), s.isFinite,
            s >= 0, s < 1e12
        else { return 0 }
        return s
    }

    /// Why `requested` (fitted to the data) cannot go on from the checkpoint, in one line; nil
    /// when it can.
    func mismatch(_ requested: TrainingConfig) -> String? {
        let saved = checkpoint.config
        let flag = "--restore \(RecordText.printable(directory))"
        func shape(_ c: TrainingConfig) -> String { c.network.sizes.map(String.init).joined(separator: "-") }
        if saved.network.sizes != requested.network.sizes {
            let error = CheckpointError.shapeMismatch(
                path: RecordText.printable(path), checkpoint: shape(saved), requested: shape(requested))
            return "\(flag): \(error)"
        }
        // What may differ set alike; whatever else differs is named.
        func comparable(_ c: TrainingConfig) -> TrainingConfig {
            var c = c
            c.learningRate = nil
            c.network.weightDecay = 0
            c.seed = 0
            c.epochs = 1
            return c
        }
        let a = comparable(saved)
        let b = comparable(requested)
        guard a != b else { return nil }
        let left = Self.flattened(TrialSpec.object(encoding: a))
        let right = Self.flattened(TrialSpec.object(encoding: b))
        let field = Set(left.keys).union(right.keys).sorted().first { left[$0] != right[$0] } ?? "configuration"
        return
            "\(flag): checkpoint '\(RecordText.printable(path))' trained with \(field) \(left[field] ?? "(default)"); this trial asks for \(right[field] ?? "(default)") (a restore may change only the learning rate and weight decay)"
    }

    /// Dotted field names → their values as JSON text.
    private static func flattened(_ object: [String: Any], prefix: String = "") -> [String: String] {
        var out: [String: String] = [:]
        for (key, value) in object {
            if let nested = value as? [String: Any] {
                out.merge(flattened(nested, prefix: prefix + key + ".")) { $1 }
            } else if let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]) {
                out[prefix + key] = String(decoding: data, as: UTF8.self)
            }
        }
        return out
    }
}
