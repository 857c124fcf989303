/// What one epoch of training produced: its mean loss, accuracies and speed.
public struct EpochReport: Sendable, Equatable {
    public var epoch: Int
    /// Steps taken so far in the run.
    public var step: Int
    /// Mean of the epoch's batch losses (train mode, before each update, incl. weight decay).
    public var meanLoss: Double
    public var trainAccuracy: Double
    public var testAccuracy: Double
    public var validationAccuracy: Double?
    /// Seconds spent training in this epoch (evaluation excluded).
    public var trainSeconds: Double
    /// Seconds spent evaluating after it.
    public var evalSeconds: Double
    public var samplesPerSecond: Double
}
