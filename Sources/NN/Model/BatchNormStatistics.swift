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

extension BatchNormStatistics {
    /// The statistics of `layer` after its last train-mode pass: its batch's mean and variance as
    /// that pass normalized with them, its running ones as that pass left them. Nil before the
    /// layer's first train-mode pass.
    public init?(of layer: BatchNorm) {
        let d = layer.features
        let batchMean = layer.batchMean
        let batchVariance = layer.batchVariance
        guard d > 0, batchMean.count == d, batchVariance.count == d else { return nil }
        let runningMean = layer.runningMean.pointer
        let runningVariance = layer.runningVariance.pointer
        var sums = (batchMean: 0.0, runningMean: 0.0, batchVariance: 0.0, runningVariance: 0.0, gap: 0.0)
        for j in 0..<d {
            sums.batchMean += batchMean[j]
            sums.runningMean += Double(runningMean[j])
            sums.batchVariance += batchVariance[j]
            sums.runningVariance += Double(runningVariance[j])
            sums.gap +=
                abs(batchMean[j] - Double(runningMean[j])) / (batchVariance[j] + Double(BatchNorm.epsilon)).squareRoot()
        }
        let n = Double(d)
        self.init(
            batchMean: Float(sums.batchMean / n), runningMean: Float(sums.runningMean / n),
            batchVariance: Float(sums.batchVariance / n), runningVariance: Float(sums.runningVariance / n),
            meanGap: Float(sums.gap / n))
    }
}
