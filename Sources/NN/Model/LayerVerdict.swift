import Foundation

/// A one-phrase reading of one Affine layer's training step (its `LayerStatistics`), in the terms
/// of seed-extensions §1: is its backward signal alive, are its units still distinct, does the
/// learning rate suit it? The activation verdicts (`ActivationStatistics.Verdict`) read the
/// forward pass; these read the backward pass and the update.
public enum LayerVerdict: Sendable, Equatable {
    /// Nothing below applies.
    case healthy
    /// Most of the layer's units are copies of each other (zeros or a constant init): they get the
    /// same gradient and stay identical for ever.
    case symmetric(units: Int, distinct: Int)
    /// update:data far above the ≈10⁻³ rule of thumb: the learning rate is too high for this layer.
    case learningRateTooHigh(log10UpdateRatio: Float)
    /// update:data far below it: the layer hardly learns.
    case learningRateTooLow(log10UpdateRatio: Float)
    /// The backward signal arriving at this layer is orders of magnitude smaller than the output
    /// layer's: the gradient vanished on its way down (small weights, saturated sigmoids).
    case vanishing(log10SignalRatio: Float)
    /// The backward signal is orders of magnitude larger than the output layer's.
    case exploding(log10SignalRatio: Float)
    /// Most ReLU units output 0 for every sample of the batch.
    case dead(fraction: Float)

    /// The reference band of log10(update:data) drawn on the strips: inside it, the learning rate
    /// suits the layer.
    public static let updateRatioBand: ClosedRange<Float> = -4 ... -2
    /// log10(update:data) above this is `learningRateTooHigh` (10× above the band's top is not needed:
    /// lr 10 with SGD reaches it in its first steps, long before the loss diverges).
    public static let tooHighLog10UpdateRatio: Float = -1.5
    /// log10(update:data) below this is `learningRateTooLow`.
    public static let tooLowLog10UpdateRatio: Float = -5
    /// |log10(backward signal / output layer's)| at or above this is vanishing / exploding.
    public static let signalDecades: Float = 2
    /// A layer with at most this share of distinct units is symmetric.
    public static let symmetricDistinctShare: Float = 0.5
    /// A ReLU layer with more than this share of dead units is dead.
    public static let deadUnitShare: Float = 0.5

    /// One verdict per layer of a step's statistics (the output layer last, as `Network.affines`).
    /// The backward signal is compared with the output layer's, which the loss sets (softmax − t).
    public static func assess(_ layers: [LayerStatistics]) -> [LayerVerdict] {
        let reference = layers.last?.backwardSignal.meanAbsolute ?? 0
        return layers.map { assess($0, outputSignal: reference) }
    }

    static func assess(_ s: LayerStatistics, outputSignal: Float) -> LayerVerdict {
        if s.units > 1, Float(s.distinctUnits) <= symmetricDistinctShare * Float(s.units) {
            return .symmetric(units: s.units, distinct: s.distinctUnits)
        }
        let ratio = s.updateToData
        let log10Ratio = ratio > 0 ? Float(log10(Double(ratio))) : -.infinity
        if !(log10Ratio <= tooHighLog10UpdateRatio) { return .learningRateTooHigh(log10UpdateRatio: log10Ratio) }
        if outputSignal > 0 {
            let signal = s.backwardSignal.meanAbsolute
            let decades = signal > 0 ? Float(log10(Double(signal / outputSignal))) : -.infinity
            if !(decades < signalDecades) { return .exploding(log10SignalRatio: decades) }
            if decades <= -signalDecades { return .vanishing(log10SignalRatio: decades) }
        }
        if let dead = s.deadUnitFraction, dead > deadUnitShare { return .dead(fraction: dead) }
        if log10Ratio < tooLowLog10UpdateRatio { return .learningRateTooLow(log10UpdateRatio: log10Ratio) }
        return .healthy
    }

    /// The verdict's name, as the screen and the run record write it.
    public var name: String {
        switch self {
        case .healthy: "healthy"
        case .symmetric: "symmetric"
        case .learningRateTooHigh: "lr too high"
        case .learningRateTooLow: "lr too low"
        case .vanishing: "vanishing"
        case .exploding: "exploding"
        case .dead: "dead"
        }
    }
}
