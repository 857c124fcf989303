/// A BatchNorm layer's two sets of statistics side by side: the current batch's mean and variance
/// (what train mode normalizes with) and the running ones (what eval mode, and so every accuracy,
/// uses). Early in training the running ones, which start at 0, lag far behind — why eval-mode
/// accuracy lags train-mode loss. Averages over the layer's units.
public struct BatchNormStatistics: Sendable, Equatable {
    public var batchMean: Float
    public var runningMean: Float
    public var batchVariance: Float
    public var runningVariance: Float
    /// The mean over units of |μ_batch − μ_running| / √(σ²_batch + ε): how far eval mode's centring
    /// is from train mode's, in the batch's own standard deviations.
    public var meanGap: Float

    public init(batchMean: Float, runningMean: Float, batchVariance: Float, runningVariance: Float, meanGap: Float) {
        self.batchMean = batchMean
        self.runningMean = runningMean
        self.batchVariance = batchVariance
        self.runningVariance = runningVariance
        self.meanGap = meanGap
    }
}
