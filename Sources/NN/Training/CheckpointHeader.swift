/// A checkpoint's JSON header: what a reader (or a person with `head -c`) needs to know about the
/// state before reading it. The state itself follows in binary (see `TrainerState`).
struct CheckpointHeader: Codable, Equatable {
    /// The network's widths, as `NetworkConfig.shapeText` writes them (repeats `config`, for people).
    var shape: String
    var config: TrainingConfig
    var steps: Int
    var completedEpochs: Int
    var trainCount: Int
    /// `Dataset.trainingChecksum()` of the training set, as 8 hex digits.
    var trainChecksum: String
    /// `StateDigest.hex` of the state.
    var digest: String
    var metadata: [String: String]
}
