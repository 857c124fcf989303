import Foundation

/// Everything a `Trainer` needs to go on bit-identically from a step: its configuration, every
/// weight, bias and γ/β, BatchNorm's running statistics, the optimizer's state, the dropout masks'
/// random streams, the batch sampler's position and RNG, and the step and sample counters; plus a
/// few strings the app keeps beside them (`metadata`). One file, checked by a CRC on read, written
/// atomically (temp + rename) so a torn checkpoint is never read.
/// (API fixed on main; implemented on branch i16-checkpoint.)
public struct TrainerCheckpoint: Sendable {
    /// The file inside a checkpoint directory.
    public static let fileName = "dlboard.ckpt"
    /// What trained, as `Trainer.config` states it.
    public var config: TrainingConfig
    public var steps: Int
    public var completedEpochs: Int
    /// The training images the sampler draws from (a different set cannot go on).
    public var trainCount: Int
    /// `Trainer.stateDigest()` at the checkpoint: what a restore must reproduce.
    public var digest: StateDigest
    /// The app's own values (e.g. training seconds so far), kept verbatim.
    public var metadata: [String: String]

    /// The checkpoint as bytes (header, state, CRC).
    public func encoded() -> [UInt8] { [] }

    /// A checkpoint read back; throws on a short, corrupt or foreign file.
    public init(decoding bytes: [UInt8], path: String = "") throws(CheckpointError) {
        throw .unreadable(path: path, reason: "not implemented yet")
    }

    /// Writes `directory/dlboard.ckpt` atomically (the directory is made if missing).
    public func write(toDirectory directory: String) throws(CheckpointError) {
        throw .unwritable(path: directory, reason: "not implemented yet")
    }

    /// Reads `directory/dlboard.ckpt`.
    public static func read(fromDirectory directory: String) throws(CheckpointError) -> TrainerCheckpoint {
        throw .unreadable(path: directory, reason: "not implemented yet")
    }
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

    public var description: String {
        switch self {
        case .unwritable(let p, let r): "cannot write checkpoint '\(p)': \(r)"
        case .unreadable(let p, let r): "cannot read checkpoint '\(p)': \(r)"
        case .torn(let p): "checkpoint '\(p)' is torn or corrupt (its CRC does not match); it cannot be continued"
        case .shapeMismatch(let p, let c, let r):
            "checkpoint '\(p)' is a \(c) network; this trial asks for \(r)"
        case .dataMismatch(let p, let c, let g):
            "checkpoint '\(p)' was trained on \(c) training images; this trial has \(g)"
        }
    }
}

extension Trainer {
    /// The state now, as a checkpoint.
    public func checkpoint(metadata: [String: String] = [:]) -> TrainerCheckpoint {
        TrainerCheckpoint(
            config: config, steps: steps, completedEpochs: completedEpochs, trainCount: data.train.count,
            digest: stateDigest(), metadata: metadata)
    }
}

extension TrainerCheckpoint {
    init(
        config: TrainingConfig, steps: Int, completedEpochs: Int, trainCount: Int, digest: StateDigest,
        metadata: [String: String]
    ) {
        self.config = config
        self.steps = steps
        self.completedEpochs = completedEpochs
        self.trainCount = trainCount
        self.digest = digest
        self.metadata = metadata
    }
}

extension Trainer {
    /// A trainer that goes on from `checkpoint` exactly (same losses, step for step, as the run that
    /// wrote it), on `data`; `path` names the checkpoint in errors. Refuses a checkpoint whose
    /// network does not fit the data's images or whose training set has another size.
    public static func restoring(
        _ checkpoint: TrainerCheckpoint, data: Dataset, path: String = ""
    ) throws(CheckpointError) -> Trainer {
        throw .unreadable(path: path, reason: "not implemented yet")
    }
}
