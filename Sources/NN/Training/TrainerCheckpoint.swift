import Foundation

/// Everything a `Trainer` needs to go on bit-identically from a step: its configuration, every
/// weight, bias and γ/β, BatchNorm's running statistics, the optimizer's state, the dropout masks'
/// random streams, the batch sampler's position and RNG, and the step and sample counters; plus a
/// few strings the app keeps beside them (`metadata`). One file, checked by a CRC on read, written
/// atomically (temp + rename) so a torn checkpoint is never read.
///
/// The file: the magic "DLBDCKPT", a format version (UInt32), a JSON header (`CheckpointHeader`,
/// its length first as UInt32), the state (`TrainerState`: named, length-prefixed Float and UInt64
/// arrays), then the file's total length (UInt64) and a CRC-32C of every byte before the CRC; all
/// numbers little-endian. A reader checks the length and CRC before it believes anything else.
public struct TrainerCheckpoint: Sendable {
    /// The file inside a checkpoint directory.
    public static let fileName = "dlboard.ckpt"
    /// The largest step, sample or epoch count a checkpoint may hold (10¹²): what a run record
    /// accepts for a step, so every line a restored run writes stays readable, and far below where
    /// the counters could overflow while it goes on.
    public static let maximumCount = 1_000_000_000_000
    /// What trained, as `Trainer.config` states it.
    public var config: TrainingConfig
    public var steps: Int
    public var completedEpochs: Int
    /// The training images the sampler draws from (a different set cannot go on).
    public var trainCount: Int
    /// `Dataset.trainingChecksum()` of those images and labels: another set of the same size (other
    /// files, another `--train-size` prefix or validation split) cannot go on either.
    public var trainChecksum: UInt32
    /// `Trainer.stateDigest()` at the checkpoint: what a restore must reproduce.
    public var digest: StateDigest
    /// The app's own values (e.g. training seconds so far), kept verbatim.
    public var metadata: [String: String]
    /// Every number the digest covers, and what only later switches read.
    var state: TrainerState
}

/// Why a checkpoint could not be written, read or continued; each one line naming the file.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    case unwritable(path: String, reason: String)
    case unreadable(path: String, reason: String)
    /// The file ends early or its CRC disagrees: it was not written to the end, or was changed.
    case torn(path: String)
    /// The checkpoint's network has another shape than the one asked for (both as "784-100-10").
    case shapeMismatch(path: String, checkpoint: String, requested: String)
    /// Trained on another number of training images than the data given.
    case dataMismatch(path: String, checkpoint: Int, given: Int)
    /// Trained on as many training images as the data given, but other ones (their checksums).
    case dataChanged(path: String, checkpoint: UInt32, given: UInt32)

    public var description: String {
        switch self {
        case .unwritable(let p, let r): "cannot write checkpoint '\(p)': \(r)"
        case .unreadable(let p, let r): "cannot read checkpoint '\(p)': \(r)"
        case .torn(let p): "checkpoint '\(p)' is torn or corrupt (its CRC does not match); it cannot be continued"
        case .shapeMismatch(let p, let c, let r):
            "checkpoint '\(p)' is a \(c) network; this trial asks for \(r)"
        case .dataMismatch(let p, let c, let g):
            "checkpoint '\(p)' was trained on \(c) training images; this trial has \(g)"
        case .dataChanged(let p, let c, let g):
            "checkpoint '\(p)' was trained on other training images (checksum \(Self.hex(c)), this trial's "
                + "\(Self.hex(g))); give the same --data/--train-size/--validation"
        }
    }
}

extension CheckpointError {
    private static func hex(_ v: UInt32) -> String { String(format: "%08x", v) }
}

extension Trainer {
    /// The state now, as a checkpoint.
    public func checkpoint(metadata: [String: String] = [:]) -> TrainerCheckpoint {
        TrainerCheckpoint(
            config: config, steps: steps, completedEpochs: completedEpochs, trainCount: data.train.count,
            trainChecksum: trainingChecksum, digest: stateDigest(), metadata: metadata,
            state: TrainerState(capturing: self))
    }
}

extension Trainer {
    /// A trainer that goes on from `checkpoint` exactly (same losses, step for step, as the run that
    /// wrote it), on `data`; `path` names the checkpoint in errors. Refuses a checkpoint whose
    /// network does not fit the data's images or whose training set has another size or other images, and one
    /// whose state, once restored, does not have the digest it was written with.
    ///
    /// The learning rate and weight decay are the checkpoint's `config`'s (change them there, or
    /// afterwards with `setLearningRate` and `network.weightDecay`: both keep the optimizer state).
    public static func restoring(
        _ checkpoint: TrainerCheckpoint, data: Dataset, path: String = ""
    ) throws(CheckpointError) -> Trainer {
        let config = checkpoint.config
        do { try config.validate() } catch {
            throw .unreadable(path: path, reason: "its configuration is invalid: \(error)")
        }
        guard config.network.inputSize == data.train.features else {
            var requested = config.network
            requested.inputSize = data.train.features
            throw .shapeMismatch(path: path, checkpoint: config.network.shapeText, requested: requested.shapeText)
        }
        guard data.train.count == checkpoint.trainCount else {
            throw .dataMismatch(path: path, checkpoint: checkpoint.trainCount, given: data.train.count)
        }
        let checksum = data.trainingChecksum()
        guard checksum == checkpoint.trainChecksum else {
            throw .dataChanged(path: path, checkpoint: checkpoint.trainChecksum, given: checksum)
        }
        guard checkpoint.state.holdsWeights(of: config.network),
            config.batchSize <= max(checkpoint.trainCount, TrainerState.maximumBatchBeyondData)
        else { throw .unreadable(path: path, reason: "its state does not fit its configuration") }
        let t = Trainer(config: config, data: data)
        do { try checkpoint.state.apply(to: t) } catch {
            throw .unreadable(path: path, reason: "its state does not fit its configuration: \(error.reason)")
        }
        guard t.steps == checkpoint.steps, t.completedEpochs == checkpoint.completedEpochs else {
            throw .unreadable(path: path, reason: "its header and its state disagree on the step")
        }
        guard t.stateDigest() == checkpoint.digest else { throw .torn(path: path) }
        return t
    }
}
