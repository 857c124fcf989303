import CKernels

/// Equal-width counts of a set of values over a range symmetric about 0 that just holds the
/// largest finite magnitude — the shape of a weight matrix or a backward signal, whose values are
/// signed and whose scale is not known in advance.
public struct Histogram: Sendable, Equatable {
    /// Counts per bin over `range`.
    public var bins: [Int]
    public var range: ClosedRange<Float>
    /// Values that are NaN or infinite (a diverged step); not binned.
    public var nonFinite: Int

    public init(bins: [Int], range: ClosedRange<Float>, nonFinite: Int) {
        self.bins = bins
        self.range = range
        self.nonFinite = nonFinite
    }

    /// Bins `values` over `-m...m`, `m` the largest finite |value| (1 when every value is 0).
    public init(values: UnsafeBufferPointer<Float>, bins binCount: Int) {
        let m = LayerStatistics.Moments(values)
        self.init(values: values, bins: binCount, largest: m.largest, nonFinite: values.count - Int(m.n))
    }

    /// The same, with the largest finite |value| and the count of non-finite ones already known
    /// (from the moments' pass), so the values are read once more only.
    init(values: UnsafeBufferPointer<Float>, bins binCount: Int, largest: Float, nonFinite: Int) {
        precondition(binCount >= 1, "need at least one bin")
        let m = largest > 0 ? largest : 1
        var bins = [Int](repeating: 0, count: binCount)
        // The scale in Double (2m may overflow Float); the binning in Float, in C (the costly part),
        // unless m is so small (below ~1e-37) that bins/2m overflows Float: then in Double here.
        let wide = Double(binCount) / (2 * Double(m))
        let scale = Float(wide)
        if let base = values.baseAddress, !values.isEmpty {
            if scale.isFinite {
                bins.withUnsafeMutableBufferPointer { counts in
                    dlboard_histogram_add(base, values.count, scale, binCount, counts.baseAddress!)
                }
            } else {
                let half = Double(binCount) / 2
                for v in values where v.isFinite {
                    bins[Int(min(Double(binCount - 1), max(0, Double(v) * wide + half)))] += 1
                }
            }
        }
        self.bins = bins
        self.range = -m...m
        self.nonFinite = nonFinite
    }
}
