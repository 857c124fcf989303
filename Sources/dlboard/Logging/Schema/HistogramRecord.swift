import NN

/// One hidden layer's activations at an evaluation: the histogram the dashboard draws, with its
/// range and moments. Written one per layer, layer 1 first, right after the evaluation.
struct HistogramRecord: RecordLine, Equatable {
    static let type = RecordType.hist

    var run: Int?
    var step: Int
    /// Seconds since the record was opened.
    var t: Double
    /// 1 for the first hidden layer.
    var layer: Int
    var statistics: ActivationStatistics

    enum CodingKeys: String, CodingKey {
        case type, run, step, t, layer, activation, lo, hi, bins, under, over, count
        case zeroFraction = "zero_frac"
        case saturatedFraction = "sat_frac"
        case layerName = "layer_name"
        case excludesZeros = "excludes_zeros"
        case mean, std, min, max
    }

    init(run: Int? = nil, step: Int, t: Double, layer: Int, statistics: ActivationStatistics) {
        self.run = run
        self.step = step
        self.t = t
        self.layer = layer
        self.statistics = statistics
    }

    /// Required: step, layer, activation, bins and the range (`lo` ≤ `hi`); the rest defaults to 0.
    init(from decoder: Decoder) throws {
        typealias K = CodingKeys
        let c = try decoder.container(keyedBy: K.self)
        func number(_ key: K) throws -> Double? { try c.decodeIfPresent(Double.self, forKey: key) }
        run = try c.decodeIfPresent(Int.self, forKey: .run)
        step = try c.decode(Int.self, forKey: .step)
        t = try c.decodeIfPresent(Double.self, forKey: .t) ?? 0
        layer = try c.decode(Int.self, forKey: .layer)
        let activationName = try c.decode(String.self, forKey: .activation)
        let lo = try c.decode(Double.self, forKey: .lo)
        let hi = try c.decode(Double.self, forKey: .hi)
        let bins = try c.decode([Int].self, forKey: .bins)
        let under = try c.decodeIfPresent(Int.self, forKey: .under) ?? 0
        let over = try c.decodeIfPresent(Int.self, forKey: .over) ?? 0
        let count = try c.decodeIfPresent(Int.self, forKey: .count) ?? 0
        let zeros = try number(.zeroFraction) ?? 0
        let saturated = try number(.saturatedFraction) ?? 0
        let name = try c.decodeIfPresent(String.self, forKey: .layerName)
        let excludesZeros = try c.decodeIfPresent(Bool.self, forKey: .excludesZeros) ?? false
        let mean = try number(.mean) ?? 0
        let std = try number(.std) ?? 0
        let minimum = try number(.min) ?? 0
        let maximum = try number(.max) ?? 0

        var check = RangeCheck()
        check.count(K.run, run)
        check.count(K.step, step)
        check.count(K.layer, layer)
        check.count(K.under, under)
        check.count(K.over, over)
        check.count(K.count, count)
        check.counts(K.bins, bins)
        check.time(K.t, t)
        check.fraction(K.zeroFraction, zeros)
        check.fraction(K.saturatedFraction, saturated)
        check.number(K.std, std, in: 0...Double(Float.greatestFiniteMagnitude))
        for (key, v) in [(K.lo, lo), (K.hi, hi), (K.mean, mean), (K.min, minimum), (K.max, maximum)] {
            check.number(key, v, in: RangeCheck.floatRange)
        }
        try check.finish(Self.type)
        guard lo <= hi, let activation = Activation(argument: activationName) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [K.activation], debugDescription: "not a histogram of a known activation"))
        }
        statistics = ActivationStatistics(
            layer: name ?? "layer \(layer)", activation: activation, bins: bins, excludesZeros: excludesZeros,
            range: Float(lo)...Float(hi), underflow: under, overflow: over, count: count, mean: Float(mean),
            standardDeviation: Float(std), zeroFraction: Float(zeros), saturatedFraction: Float(saturated),
            minimum: Float(minimum), maximum: Float(maximum))
    }

    /// The statistics' Floats as Doubles (exact), so the line reads back as the same Floats.
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let s = statistics
        try c.encode(Self.type.rawValue, forKey: .type)
        try c.encodeIfPresent(run, forKey: .run)
        try c.encode(step, forKey: .step)
        try c.encode(t, forKey: .t)
        try c.encode(layer, forKey: .layer)
        try c.encode(s.activation.argument, forKey: .activation)
        try c.encode(Double(s.range.lowerBound), forKey: .lo)
        try c.encode(Double(s.range.upperBound), forKey: .hi)
        try c.encode(s.bins, forKey: .bins)
        try c.encode(s.underflow, forKey: .under)
        try c.encode(s.overflow, forKey: .over)
        try c.encode(s.count, forKey: .count)
        try c.encode(Double(s.zeroFraction), forKey: .zeroFraction)
        try c.encode(Double(s.saturatedFraction), forKey: .saturatedFraction)
        try c.encode(s.layer, forKey: .layerName)
        try c.encode(s.excludesZeros, forKey: .excludesZeros)
        try c.encode(Double(s.mean), forKey: .mean)
        try c.encode(Double(s.standardDeviation), forKey: .std)
        try c.encode(Double(s.minimum), forKey: .min)
        try c.encode(Double(s.maximum), forKey: .max)
    }
}
