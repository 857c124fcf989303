import NN

/// One Affine layer's per-layer statistics at a step that collected them (`LayerStatistics`): the
/// backward signal arriving at it and its weights W, each with moments and a histogram, the moments
/// of ∇W and of the update ΔW the optimizer applied, grad:data and update:data, dead and zero
/// shares, distinct units, a BatchNorm layer's batch and running statistics, and the verdict
/// `LayerVerdict.assess` gave the layer then. Written one per layer, the first hidden layer first
/// and the output layer last, all with the same `t`, right after that step's `step` record.
///
/// Not finite numbers are null, as everywhere in the record. Here that means: a magnitude (mean
/// |·|, std, norm) or a ratio that is null is +infinity — they are never negative, and only an
/// overflow or a W without spread (`grad_ratio`, `update_ratio` when std(W) is 0, e.g. all-zero
/// weights) makes them infinite; a null BatchNorm value is NaN (a diverged step). ∇W and ΔW have
/// W's shape, so their value counts are `w_count`. The ratios are written for readers of the file
/// (jq, a spreadsheet); read back they are checked, and the statistics' own ratios, computed from
/// the stds, are the same numbers.
struct LayerRecord: RecordLine, Equatable {
    static let type = RecordType.layer

    var run: Int?
    var step: Int
    /// Seconds since the record was opened.
    var t: Double
    /// 1 for the first hidden layer's Affine; the output layer is the last.
    var layer: Int
    var statistics: LayerStatistics
    /// `LayerVerdict.name` when written; kept as text (a later version may have more verdicts).
    var verdict: String?

    enum CodingKeys: String, CodingKey {
        case type, run, step, t, layer
        case layerName = "layer_name"
        case verdict
        case signalMeanAbs = "signal_mean_abs"
        case signalStd = "signal_std"
        case signalNorm = "signal_norm"
        case signalCount = "signal_count"
        case signalLo = "signal_lo"
        case signalHi = "signal_hi"
        case signalBins = "signal_bins"
        case signalNonFinite = "signal_nonfinite"
        case weightMeanAbs = "w_mean_abs"
        case weightStd = "w_std"
        case weightNorm = "w_norm"
        case weightCount = "w_count"
        case weightLo = "w_lo"
        case weightHi = "w_hi"
        case weightBins = "w_bins"
        case weightNonFinite = "w_nonfinite"
        case gradientMeanAbs = "grad_mean_abs"
        case gradientStd = "grad_std"
        case gradientNorm = "grad_norm"
        case updateMeanAbs = "update_mean_abs"
        case updateStd = "update_std"
        case updateNorm = "update_norm"
        case gradientRatio = "grad_ratio"
        case updateRatio = "update_ratio"
        case deadFraction = "dead_frac"
        case zeroFraction = "zero_frac"
        case units, distinct
        case batchMean = "bn_batch_mean"
        case runningMean = "bn_running_mean"
        case batchVariance = "bn_batch_var"
        case runningVariance = "bn_running_var"
        case meanGap = "bn_mean_gap"
    }

    init(run: Int? = nil, step: Int, t: Double, layer: Int, statistics: LayerStatistics, verdict: String?) {
        self.run = run
        self.step = step
        self.t = t
        self.layer = layer
        self.statistics = statistics
        self.verdict = verdict
    }

    /// Required: step, layer and the layer's name; a histogram is there when its `…_bins` are
    /// (then with its `…_lo` ≤ `…_hi`); a BatchNorm block when `bn_batch_mean` is; the rest
    /// defaults to 0 (counts, magnitudes) or to none (the ReLU shares, the verdict).
    init(from decoder: Decoder) throws {
        typealias K = CodingKeys
        let c = try decoder.container(keyedBy: K.self)
        var check = RangeCheck()
        let magnitudes = 0...Double(Float.greatestFiniteMagnitude)
        /// A value ≥ 0: null is +infinity (see the type's comment), absent 0.
        func magnitude(_ key: K) throws -> Float {
            guard c.contains(key) else { return 0 }
            guard let v = try c.decodeIfPresent(Double.self, forKey: key) else { return .infinity }
            check.number(key, v, in: magnitudes)
            return Float(v)
        }
        func count(_ key: K) throws -> Int {
            let v = try c.decodeIfPresent(Int.self, forKey: key) ?? 0
            check.count(key, v)
            return v
        }
        func histogram(_ bins: K, _ lo: K, _ hi: K, _ nonFinite: K) throws -> Histogram? {
            guard let counts = try c.decodeIfPresent([Int].self, forKey: bins) else { return nil }
            let low = try c.decode(Double.self, forKey: lo)
            let high = try c.decode(Double.self, forKey: hi)
            check.counts(bins, counts)
            check.number(lo, low, in: RangeCheck.floatRange)
            check.number(hi, high, in: RangeCheck.floatRange)
            let other = try count(nonFinite)
            guard low <= high else {
                throw DecodingError.dataCorrupted(.init(codingPath: [lo], debugDescription: "a histogram's lo > hi"))
            }
            return Histogram(bins: counts, range: Float(low)...Float(high), nonFinite: other)
        }
        func summary(
            _ meanAbs: K, _ std: K, _ norm: K, count n: Int, histogram h: Histogram?
        ) throws -> LayerStatistics.Summary {
            .init(
                count: n, meanAbsolute: try magnitude(meanAbs), standardDeviation: try magnitude(std),
                norm: try magnitude(norm), histogram: h)
        }
        func fraction(_ key: K) throws -> Float? {
            let v = try c.decodeIfPresent(Double.self, forKey: key)
            check.fraction(key, v)
            return v.map(Float.init)
        }
        /// A BatchNorm value: null is NaN (a diverged step).
        func statistic(_ key: K, in range: ClosedRange<Double>) throws -> Float {
            guard let v = try c.decodeIfPresent(Double.self, forKey: key) else { return .nan }
            check.number(key, v, in: range)
            return Float(v)
        }

        run = try c.decodeIfPresent(Int.self, forKey: .run)
        step = try c.decode(Int.self, forKey: .step)
        t = try c.decodeIfPresent(Double.self, forKey: .t) ?? 0
        layer = try c.decode(Int.self, forKey: .layer)
        let name = try c.decode(String.self, forKey: .layerName)
        verdict = try c.decodeIfPresent(String.self, forKey: .verdict)
        check.count(K.run, run)
        check.count(K.step, step)
        check.count(K.layer, layer)
        check.time(K.t, t)
        let signal = try summary(
            .signalMeanAbs, .signalStd, .signalNorm, count: try count(.signalCount),
            histogram: try histogram(.signalBins, .signalLo, .signalHi, .signalNonFinite))
        let weightCount = try count(.weightCount)
        let weight = try summary(
            .weightMeanAbs, .weightStd, .weightNorm, count: weightCount,
            histogram: try histogram(.weightBins, .weightLo, .weightHi, .weightNonFinite))
        let gradient = try summary(.gradientMeanAbs, .gradientStd, .gradientNorm, count: weightCount, histogram: nil)
        let update = try summary(.updateMeanAbs, .updateStd, .updateNorm, count: weightCount, histogram: nil)
        _ = try magnitude(.gradientRatio)
        _ = try magnitude(.updateRatio)
        let dead = try fraction(.deadFraction)
        let zeros = try fraction(.zeroFraction)
        let units = try count(.units)
        let distinct = try count(.distinct)
        check.number(K.distinct, Double(distinct), in: 0...Double(max(0, units)))
        var batchNorm: BatchNormStatistics?
        if c.contains(.batchMean) {
            batchNorm = BatchNormStatistics(
                batchMean: try statistic(.batchMean, in: RangeCheck.floatRange),
                runningMean: try statistic(.runningMean, in: RangeCheck.floatRange),
                batchVariance: try statistic(.batchVariance, in: magnitudes),
                runningVariance: try statistic(.runningVariance, in: magnitudes),
                meanGap: try statistic(.meanGap, in: magnitudes))
        }
        try check.finish(Self.type)
        statistics = LayerStatistics(
            layer: name, backwardSignal: signal, weight: weight, weightGradient: gradient, update: update,
            deadUnitFraction: dead, zeroFraction: zeros, units: units, distinctUnits: distinct, batchNorm: batchNorm)
    }

    /// The statistics' Floats as Doubles (exact), so the line reads back as the same Floats.
    func encode(to encoder: Encoder) throws {
        typealias K = CodingKeys
        var c = encoder.container(keyedBy: K.self)
        let s = statistics
        func histogram(_ h: Histogram?, _ bins: K, _ lo: K, _ hi: K, _ nonFinite: K) throws {
            guard let h else { return }
            try c.encode(Double(h.range.lowerBound), forKey: lo)
            try c.encode(Double(h.range.upperBound), forKey: hi)
            try c.encode(h.bins, forKey: bins)
            try c.encode(h.nonFinite, forKey: nonFinite)
        }
        try c.encode(Self.type.rawValue, forKey: .type)
        try c.encodeIfPresent(run, forKey: .run)
        try c.encode(step, forKey: .step)
        try c.encode(t, forKey: .t)
        try c.encode(layer, forKey: .layer)
        try c.encode(s.layer, forKey: .layerName)
        try c.encodeIfPresent(verdict, forKey: .verdict)
        try c.encode(Double(s.backwardSignal.meanAbsolute), forKey: .signalMeanAbs)
        try c.encode(Double(s.backwardSignal.standardDeviation), forKey: .signalStd)
        try c.encode(Double(s.backwardSignal.norm), forKey: .signalNorm)
        try c.encode(s.backwardSignal.count, forKey: .signalCount)
        try histogram(s.backwardSignal.histogram, .signalBins, .signalLo, .signalHi, .signalNonFinite)
        try c.encode(Double(s.weight.meanAbsolute), forKey: .weightMeanAbs)
        try c.encode(Double(s.weight.standardDeviation), forKey: .weightStd)
        try c.encode(Double(s.weight.norm), forKey: .weightNorm)
        try c.encode(s.weight.count, forKey: .weightCount)
        try histogram(s.weight.histogram, .weightBins, .weightLo, .weightHi, .weightNonFinite)
        try c.encode(Double(s.weightGradient.meanAbsolute), forKey: .gradientMeanAbs)
        try c.encode(Double(s.weightGradient.standardDeviation), forKey: .gradientStd)
        try c.encode(Double(s.weightGradient.norm), forKey: .gradientNorm)
        try c.encode(Double(s.update.meanAbsolute), forKey: .updateMeanAbs)
        try c.encode(Double(s.update.standardDeviation), forKey: .updateStd)
        try c.encode(Double(s.update.norm), forKey: .updateNorm)
        try c.encode(Double(s.gradientToData), forKey: .gradientRatio)
        try c.encode(Double(s.updateToData), forKey: .updateRatio)
        try c.encodeIfPresent(s.deadUnitFraction.map(Double.init), forKey: .deadFraction)
        try c.encodeIfPresent(s.zeroFraction.map(Double.init), forKey: .zeroFraction)
        try c.encode(s.units, forKey: .units)
        try c.encode(s.distinctUnits, forKey: .distinct)
        if let bn = s.batchNorm {
            try c.encode(Double(bn.batchMean), forKey: .batchMean)
            try c.encode(Double(bn.runningMean), forKey: .runningMean)
            try c.encode(Double(bn.batchVariance), forKey: .batchVariance)
            try c.encode(Double(bn.runningVariance), forKey: .runningVariance)
            try c.encode(Double(bn.meanGap), forKey: .meanGap)
        }
    }
}
