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
        precondition(binCount >= 1, "need at least one bin")
        var largest: Float = 0
        var nonFinite = 0
        for v in values {
            if v.isFinite { largest = max(largest, abs(v)) } else { nonFinite += 1 }
        }
        let m = largest > 0 ? largest : 1
        var bins = [Int](repeating: 0, count: binCount)
        // The scale in Double (2m may overflow Float); the loop in Float on the unchecked buffer,
        // as it is the costly part of the statistics.
        let scale = Float(Double(binCount) / (2 * Double(m)))
        let last = Float(binCount - 1)
        bins.withUnsafeMutableBufferPointer { counts in
            for v in values where v.isFinite {
                counts[Int(max(0, min(last, (v + m) * scale)))] += 1
            }
        }
        self.bins = bins
        self.range = -m...m
        self.nonFinite = nonFinite
    }
}
