/// What one hidden layer's activations look like after the last forward pass: the book's E3
/// histogram plus the numbers that tell a healthy layer from a collapsed, saturated or dead one.
public struct ActivationStatistics: Sendable, Equatable {
    public var layer: String
    public var activation: Activation
    /// Counts per bin over `range`, equal-width; values outside the range are in `underflow`/`overflow`.
    /// With `excludesZeros`, exact zeros are not binned (they are `zeroFraction`).
    public var bins: [Int]
    public var excludesZeros: Bool
    public var range: ClosedRange<Float>
    public var underflow: Int
    public var overflow: Int
    public var count: Int
    public var mean: Float
    public var standardDeviation: Float
    /// Fraction of outputs that are exactly 0 (dead ReLU units produce these).
    public var zeroFraction: Float
    /// Fraction of outputs where the activation is flat: within 0.01 of sigmoid's 0/1 or tanh's ±1,
    /// or SoftPlus below 0.01; 0 for ReLU, Leaky ReLU and the identity, which have no flat part.
    public var saturatedFraction: Float
    /// The smallest and largest finite output (0 when there is none).
    public var minimum: Float
    public var maximum: Float

    /// Statistics as recorded (a run record's `hist` line).
    public init(
        layer: String, activation: Activation, bins: [Int], excludesZeros: Bool, range: ClosedRange<Float>,
        underflow: Int, overflow: Int, count: Int, mean: Float, standardDeviation: Float,
        zeroFraction: Float, saturatedFraction: Float, minimum: Float, maximum: Float
    ) {
        self.layer = layer
        self.activation = activation
        self.bins = bins
        self.excludesZeros = excludesZeros
        self.range = range
        self.underflow = underflow
        self.overflow = overflow
        self.count = count
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.zeroFraction = zeroFraction
        self.saturatedFraction = saturatedFraction
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Computes the statistics of `values` for a layer of the given activation.
    public init(
        layer: String, activation: Activation, values: UnsafeBufferPointer<Float>,
        bins binCount: Int, range: ClosedRange<Float>, excludesZeros: Bool = false
    ) {
        precondition(binCount >= 1, "need at least one bin")
        self.layer = layer
        self.activation = activation
        self.range = range
        self.excludesZeros = excludesZeros
        var bins = [Int](repeating: 0, count: binCount)
        var under = 0
        var over = 0
        var zeros = 0
        var saturated = 0
        var sum = 0.0
        var sumSq = 0.0
        let lo = range.lowerBound
        let width = range.upperBound - range.lowerBound
        let scale = width > 0 ? Float(binCount) / width : 0
        var finite = 0
        var smallest = Float.infinity
        var largest = -Float.infinity
        for v in values {
            // A diverged network's NaN/inf outputs are counted as overflow and left out of the moments.
            guard v.isFinite else {
                over += 1
                continue
            }
            finite += 1
            smallest = min(smallest, v)
            largest = max(largest, v)
            sum += Double(v)
            sumSq += Double(v) * Double(v)
            if v == 0 { zeros += 1 }
            switch activation {
            case .sigmoid: if v < 0.01 || v > 0.99 { saturated += 1 }
            case .tanh: if abs(v) > 0.99 { saturated += 1 }
            // SoftPlus's flat left tail: y < 0.01 means x < −4.6, where its slope sigmoid(x) < 0.01.
            case .softplus: if v < 0.01 { saturated += 1 }
            // Their slope is never below the leak (ReLU's zeros are `zeroFraction`, its dead units).
            case .relu, .leakyReLU, .identity: break
            }
            if excludesZeros && v == 0 { continue }
            if v < lo {
                under += 1
                continue
            }
            if v > range.upperBound {
                over += 1
                continue
            }
            let position = (v - lo) * scale
            guard position.isFinite else {
                over += 1
                continue
            }
            bins[min(binCount - 1, max(0, Int(position)))] += 1
        }
        let n = values.count
        self.bins = bins
        self.underflow = under
        self.overflow = over
        self.count = n
        let mean = finite > 0 ? sum / Double(finite) : 0
        self.mean = Float(mean)
        self.standardDeviation = finite > 0 ? Float(max(0, sumSq / Double(finite) - mean * mean).squareRoot()) : 0
        self.zeroFraction = n > 0 ? Float(zeros) / Float(n) : 0
        self.saturatedFraction = n > 0 ? Float(saturated) / Float(n) : 0
        self.minimum = finite > 0 ? smallest : 0
        self.maximum = finite > 0 ? largest : 0
    }
}

extension Network {
    /// Statistics of every hidden activation's output from the last forward pass (train or eval).
    /// `range` defaults to the activation's natural range (`Activation.histogramRange`).
    public func activationStatistics(bins: Int = 30, range: ClosedRange<Float>? = nil) -> [ActivationStatistics] {
        activations.map { layer in
            let out = layer.output
            return ActivationStatistics(
                layer: layer.name, activation: layer.activation,
                values: UnsafeBufferPointer(out.buffer), bins: bins,
                range: range ?? layer.activation.histogramRange)
        }
    }

    /// Statistics shaped for a live display: ReLU histograms leave out the exact zeros (shown as a
    /// percentage instead, so they do not flatten every other bar) and reach up to
    /// max(1, mean + 3σ) of the positive outputs, so a healthy layer's tail stays in view. Leaky ReLU,
    /// SoftPlus and the identity, also unbounded, widen their range to mean ± 3σ where it is larger.
    public func displayActivationStatistics(bins: Int = 30) -> [ActivationStatistics] {
        activations.map { layer in
            let values = UnsafeBufferPointer(layer.output.buffer)
            switch layer.activation {
            case .sigmoid, .tanh:
                return ActivationStatistics(
                    layer: layer.name, activation: layer.activation, values: values,
                    bins: bins, range: layer.activation.histogramRange)
            case .leakyReLU, .softplus, .identity:
                let spread = ActivationStatistics(
                    layer: layer.name, activation: layer.activation, values: values, bins: 1,
                    range: layer.activation.histogramRange)
                let natural = layer.activation.histogramRange
                let limit = Float.greatestFiniteMagnitude
                let lower = max(-limit, min(natural.lowerBound, spread.mean - 3 * spread.standardDeviation))
                let upper = min(limit, max(natural.upperBound, spread.mean + 3 * spread.standardDeviation))
                return ActivationStatistics(
                    layer: layer.name, activation: layer.activation, values: values, bins: bins,
                    range: lower.isFinite && upper.isFinite ? lower...upper : natural)
            case .relu:
                break
            }
            var n = 0.0
            var sum = 0.0
            var sumSq = 0.0
            for v in values where v > 0 && v.isFinite {
                n += 1
                sum += Double(v)
                sumSq += Double(v) * Double(v)
            }
            let mean = n > 0 ? sum / n : 0
            let sd = n > 0 ? max(0, sumSq / n - mean * mean).squareRoot() : 0
            // Huge (about to overflow) outputs must still give a finite range.
            let upper = Float(min(max(1, mean + 3 * sd), Double(Float.greatestFiniteMagnitude)))
            return ActivationStatistics(
                layer: layer.name, activation: .relu, values: values, bins: bins,
                range: 0...upper, excludesZeros: true)
        }
    }
}

extension ActivationStatistics {
    /// A one-word reading of the layer, in the terms of the book's weight-init discussion.
    public enum Verdict: String, Sendable {
        /// Spread out, neither stuck at the bounds nor at one value.
        case healthy
        /// Nearly every output is the same value (the book's std-0.01 case: "expressive power" lost).
        case collapsed
        /// Most outputs sit at the sigmoid/tanh bounds, or nearly all in SoftPlus's flat left tail,
        /// where gradients vanish.
        case saturated
        /// Most ReLU units output exactly 0 for every input in the batch. Only ReLU: a Leaky ReLU
        /// unit's negative side still passes its slope of the gradient.
        case dead
        /// Unbounded outputs (ReLU, Leaky ReLU, SoftPlus, identity) grown by orders of magnitude
        /// (the book's std-1 weights: ×~7 a layer).
        case exploding
    }

    /// A quarter or more of the outputs at the sigmoid/tanh bounds is saturated: the gradient through
    /// those units is nearly 0, so the layer is not healthy long before half of it is stuck.
    public static let saturatedThreshold: Float = 0.25
    /// SoftPlus is saturated when more than this share of its outputs sit in the flat left tail —
    /// ReLU's dead-layer share: a healthy SoftPlus, like a healthy ReLU, has about half its inputs
    /// below 0, and a layer with std-1 weights has a third of them far below (it explodes instead).
    public static let flatSoftPlusShare: Float = 0.9
    /// ReLU outputs whose mean is this large (the inputs are unit-scale pixels or N(0, 1) draws) have
    /// exploded, whatever the layers before them did.
    public static let explodingMean: Float = 100
    /// A ReLU layer whose mean output is this many times its predecessor's grows by orders of
    /// magnitude over a few layers (He keeps the ratio near 1, std 1 makes it ~7).
    public static let explodingGrowth: Float = 4

    /// The layer's verdict on its own numbers (see `verdicts(_:)` for one that sees the layer before).
    public var verdict: Verdict {
        switch activation {
        case .relu:
            if zeroFraction > 0.9 { return .dead }
            if standardDeviation < 0.01 { return .collapsed }
            if !(mean < Self.explodingMean) { return .exploding }
        case .sigmoid, .tanh:
            if saturatedFraction >= Self.saturatedThreshold { return .saturated }
            if standardDeviation < 0.02 { return .collapsed }
        case .softplus:
            // Its flat side is ReLU's zeros made smooth, so it is judged as ReLU's dead units are.
            if saturatedFraction > Self.flatSoftPlusShare { return .saturated }
            if standardDeviation < 0.01 { return .collapsed }
            if !(mean < Self.explodingMean) { return .exploding }
        case .leakyReLU, .identity:
            // Signed outputs: a mean near 0 can hide a huge spread, so either one explodes.
            if standardDeviation < 0.01 { return .collapsed }
            if !(max(abs(mean), standardDeviation) < Self.explodingMean) { return .exploding }
        }
        return .healthy
    }

    /// The verdicts of consecutive hidden layers: each layer's own, and `exploding` where a healthy
    /// unbounded layer's scale grew `explodingGrowth` times or more over the layer before it — the
    /// mean for ReLU and SoftPlus (non-negative outputs), the larger of |mean| and σ for the signed
    /// Leaky ReLU and identity.
    public static func verdicts(_ layers: [ActivationStatistics]) -> [Verdict] {
        layers.indices.map { i in
            let own = layers[i].verdict
            guard own == .healthy, i > 0, let scale = layers[i].growthScale, let previous = layers[i - 1].growthScale,
                previous > 0
            else { return own }
            return scale >= explodingGrowth * previous ? .exploding : own
        }
    }

    /// The number whose growth layer to layer means an exploding signal; nil for the bounded
    /// sigmoid and tanh.
    private var growthScale: Float? {
        switch activation {
        case .relu, .softplus: mean
        case .leakyReLU, .identity: max(abs(mean), standardDeviation)
        case .sigmoid, .tanh: nil
        }
    }
}
