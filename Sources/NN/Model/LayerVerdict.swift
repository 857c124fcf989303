import Foundation

/// A one-phrase reading of one Affine layer's training step (its `LayerStatistics`): is its
/// backward signal alive, are its units still distinct, does the learning rate suit it? The
/// activation verdicts (`ActivationStatistics.Verdict`) read the forward pass; these read the
/// backward pass and the update.
///
/// The first that applies wins, in this order: symmetric, exploding, dead, vanishing, lr too high,
/// lr too low, healthy — causes before their symptoms: a symmetric or dead layer also passes no
/// signal down, and exploding gradients make any learning rate too high.
///
/// The thresholds were read off real steps (784-100×4-10 on MNIST, and the 100-100×5-10 networks of
/// the book's weight-scale experiment): SGD lr 0.1 with He trains well and its output layer peaks at
/// update:data 10^-1.5; lr 1 reaches 10^-0.9 in its first step and diverges by step 11; std 0.01
/// shrinks the backward signal 10^1.2–10^1.6 a layer, sigmoid with Xavier ~10^0.7 (its derivative
/// is at most ¼), ReLU with std-1 weights grows it ~10^0.8 a layer.
public enum LayerVerdict: Sendable, Equatable {
    /// Nothing below applies.
    case healthy
    /// Nearly all of the layer's units are copies of each other (zeros or a constant init): they
    /// get the same gradient and stay identical for ever.
    case symmetric(units: Int, distinct: Int)
    /// update:data a decade or more above the band: the learning rate is too high for this layer.
    /// (Neither lr verdict is given to weights without spread or to a zero gradient: see `assess`.)
    case learningRateTooHigh(log10UpdateRatio: Float)
    /// update:data a decade or more below the band: the layer hardly learns.
    case learningRateTooLow(log10UpdateRatio: Float)
    /// The backward signal arriving at this layer is orders of magnitude smaller than the output
    /// layer's, shrinking faster than tenfold a layer: the gradient vanished on its way down
    /// (weights too small).
    case vanishing(log10SignalRatio: Float)
    /// The backward signal is orders of magnitude larger than the output layer's, growing threefold
    /// or more a layer (weights too large).
    case exploding(log10SignalRatio: Float)
    /// Most ReLU units output 0 for every sample of the batch.
    case dead(fraction: Float)

    /// The reference band of log10(update:data) drawn on the strips: inside it, the learning rate
    /// suits the layer (the rule of thumb's 10⁻³, a decade either way).
    public static let updateRatioBand: ClosedRange<Float> = -4 ... -2
    /// log10(update:data) above this — a decade above the band — is `learningRateTooHigh`. SGD lr 10
    /// reaches ~0 on its first step, four steps before the loss is NaN.
    public static let tooHighLog10UpdateRatio: Float = -1
    /// log10(update:data) below this — a decade below the band — is `learningRateTooLow`.
    public static let tooLowLog10UpdateRatio: Float = -5
    /// |log10(backward signal / output layer's)| must reach this for vanishing or exploding: two
    /// decades, so that one narrow layer (the output layer's 10 columns) does not count.
    public static let signalDecades: Float = 2
    /// …and shrink by at least this many decades per layer between the layer and the output layer
    /// on average: faster than sigmoid's own ×¼ a layer, so a sigmoid network with Xavier weights
    /// is not called vanishing while std 0.01 (10^-1.2 or less a layer) is.
    public static let vanishingDecadesPerLayer: Float = 1
    /// …or grow by at least this many per layer (×3.2): no activation grows the signal by itself
    /// (ReLU′, tanh′ ≤ 1), so steady growth is the weights' (std 1 with ReLU: ~10^0.8 a layer).
    public static let explodingDecadesPerLayer: Float = 0.5
    /// A layer with more than one unit and at most this share of distinct units is symmetric. Zeros
    /// and constants leave exactly 1; a tenth leaves room for rounding, not for a diverged network
    /// whose few huge weights make a few dozen of 100 units compare equal.
    public static let symmetricDistinctShare: Float = 0.1
    /// A ReLU layer with more than this share of dead units is dead (MNIST with He: up to 0.27 in
    /// the fourth layer, healthy).
    public static let deadUnitShare: Float = 0.5

    /// One verdict per layer of a step's statistics (the output layer last, as `Network.affines`).
    /// The backward signal is compared with the output layer's, which the loss sets (softmax − t).
    public static func assess(_ layers: [LayerStatistics]) -> [LayerVerdict] {
        let reference = layers.last?.backwardSignal.meanAbsolute ?? 0
        return layers.enumerated().map { k, s in
            assess(s, outputSignal: reference, layersBelowOutput: layers.count - 1 - k)
        }
    }

    /// The verdict of one layer `layersBelowOutput` Affine layers below the output layer (0 for the
    /// output layer itself), whose backward signal's mean |·| was `outputSignal`.
    static func assess(_ s: LayerStatistics, outputSignal: Float, layersBelowOutput depth: Int) -> LayerVerdict {
        if s.units > 1, Float(s.distinctUnits) <= symmetricDistinctShare * Float(s.units) {
            return .symmetric(units: s.units, distinct: s.distinctUnits)
        }
        var decades: Float = 0
        if depth > 0, outputSignal > 0, outputSignal.isFinite {
            let signal = s.backwardSignal.meanAbsolute
            decades = signal > 0 ? Float(log10(Double(signal) / Double(outputSignal))) : -.infinity
            let grows = decades >= signalDecades && decades >= explodingDecadesPerLayer * Float(depth)
            if grows || decades.isNaN { return .exploding(log10SignalRatio: decades) }
        }
        if let dead = s.deadUnitFraction, dead > deadUnitShare { return .dead(fraction: dead) }
        if decades <= -signalDecades && decades <= -vanishingDecadesPerLayer * Float(depth) {
            return .vanishing(log10SignalRatio: decades)
        }
        // update:data says something about the learning rate only when there is data (W has a spread:
        // not so for zeros or a constant) and a gradient to scale (∇W = 0 when nothing reaches the
        // layer, as above a dead or symmetric one — no learning rate would move it).
        // (`== 0`, not `> 0`: a NaN gradient is a diverging step and goes on to the ratio.)
        guard s.weight.standardDeviation != 0, s.weightGradient.norm != 0 else { return .healthy }
        let ratio = s.updateToData
        // A NaN ratio (NaN or infinite weights after the update) stays NaN and reads as too high.
        let log10Ratio = ratio.isNaN ? .nan : ratio > 0 ? Float(log10(Double(ratio))) : -.infinity
        if !(log10Ratio <= tooHighLog10UpdateRatio) { return .learningRateTooHigh(log10UpdateRatio: log10Ratio) }
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
