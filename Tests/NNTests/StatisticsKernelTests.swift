import Foundation
import Testing

@testable import NN

/// The vectorized kernels behind `LayerStatistics` (moments, histogram, column sums, zero counts)
/// against the scalar loops they replaced, written out here: one value at a time, in Double. On
/// values with NaN, ±infinity and exact zeros among them, at lengths around the kernels' 16-lane
/// blocks and their 512-value histogram blocks, so the vector body and the tail both run.
@Suite struct StatisticsKernelTests {
    /// Length → values: normal with a scale, a few exact zeros, and (when `special`) NaN and ±inf
    /// at positions in the vector body and in the tail.
    static func values(_ n: Int, seed: UInt64, scale: Float = 0.05, special: Bool) -> [Float] {
        var g = SeededGenerator(seed: seed)
        var v = (0..<n).map { _ in g.nextNormal() * scale }
        for i in stride(from: 3, to: n, by: 7) { v[i] = 0 }
        if special && n > 0 {
            for (k, i) in [n - 1, n / 2, 0, 17 % n].enumerated() {
                v[i] = [Float.nan, .infinity, -.infinity, .nan][k]
            }
        }
        return v
    }

    static let lengths = [0, 1, 5, 15, 16, 17, 33, 511, 512, 513, 1000, 4099]

    /// The scalar reference: the loop `Summary` had, in Double over the finite values.
    struct ScalarMoments {
        var n = 0.0
        var sum = 0.0
        var sumAbs = 0.0
        var sumSq = 0.0
        var largest: Float = 0

        init(_ values: [Float]) {
            for v in values where v.isFinite {
                let d = Double(v)
                n += 1
                sum += d
                sumAbs += abs(d)
                sumSq += d * d
                largest = max(largest, abs(v))
            }
        }

        var meanAbsolute: Float { n > 0 ? Float(sumAbs / n) : 0 }
        var standardDeviation: Float {
            guard n > 0 else { return 0 }
            let mean = sum / n
            return Float(max(0, sumSq / n - mean * mean).squareRoot())
        }
        var norm: Float { Float(sumSq.squareRoot()) }
    }

    /// The histogram's definition, one value at a time.
    static func scalarHistogram(_ values: [Float], bins binCount: Int) -> Histogram {
        var largest: Float = 0
        var nonFinite = 0
        for v in values {
            if v.isFinite { largest = max(largest, abs(v)) } else { nonFinite += 1 }
        }
        let m = largest > 0 ? largest : 1
        var bins = [Int](repeating: 0, count: binCount)
        let scale = Float(Double(binCount) / (2 * Double(m)))
        let last = Float(binCount - 1)
        let half = Float(binCount) * 0.5
        for v in values where v.isFinite { bins[Int(max(0, min(last, v * scale + half)))] += 1 }
        return Histogram(bins: bins, range: -m...m, nonFinite: nonFinite)
    }

    /// Equal up to the last bits of a Double sum (16 partial sums instead of one), i.e. to a Float
    /// rounding at most.
    static func expectClose(_ a: Float, _ b: Float, _ what: String) {
        #expect(abs(a - b) <= 1e-6 * max(abs(b), Float.leastNormalMagnitude), "\(what): \(a) vs \(b)")
    }

    @Test(arguments: lengths, [false, true])
    func summaryMatchesTheScalarLoop(n: Int, special: Bool) {
        let v = Self.values(n, seed: UInt64(n), special: special)
        let reference = ScalarMoments(v)
        let s = v.withUnsafeBufferPointer { LayerStatistics.Summary(values: $0, bins: 30) }
        #expect(s.count == n)
        Self.expectClose(s.meanAbsolute, reference.meanAbsolute, "mean |·|, n \(n)")
        Self.expectClose(s.standardDeviation, reference.standardDeviation, "std, n \(n)")
        Self.expectClose(s.norm, reference.norm, "norm, n \(n)")
        #expect(s.histogram == Self.scalarHistogram(v, bins: 30), "histogram, n \(n)")
        let m = v.withUnsafeBufferPointer { LayerStatistics.Moments($0) }
        #expect(m.n == reference.n && m.largest == reference.largest, "count and largest |·|, n \(n)")
    }

    @Test(arguments: lengths, [false, true])
    func differenceMatchesTheScalarLoop(n: Int, special: Bool) {
        let after = Self.values(n, seed: 100 + UInt64(n), special: special)
        let before = Self.values(n, seed: 200 + UInt64(n), special: false)
        let reference = ScalarMoments(zip(after, before).map { $0 - $1 })
        let s = LayerStatistics.Summary(
            differenceOf: Matrix(rows: 1, cols: n, values: after), Matrix(rows: 1, cols: n, values: before))
        Self.expectClose(s.meanAbsolute, reference.meanAbsolute, "mean |ΔW|, n \(n)")
        Self.expectClose(s.standardDeviation, reference.standardDeviation, "std ΔW, n \(n)")
        Self.expectClose(s.norm, reference.norm, "‖ΔW‖, n \(n)")
        #expect(s.histogram == nil)
    }

    /// The kernel first sums every value without masks and redoes the sum only when it is not
    /// finite: a NaN or infinity must be left out exactly as if a 0 were in its place (same sums to
    /// the bit), only the count differs.
    @Test(arguments: [17, 512, 4099])
    func nonFiniteValuesAreLeftOutAsZerosWouldAdd(n: Int) {
        let withSpecial = Self.values(n, seed: 7, special: true)
        let withZeros = withSpecial.map { $0.isFinite ? $0 : 0 }
        let a = withSpecial.withUnsafeBufferPointer { LayerStatistics.Moments($0) }
        let b = withZeros.withUnsafeBufferPointer { LayerStatistics.Moments($0) }
        #expect(a.sum.bitPattern == b.sum.bitPattern)
        #expect(a.sumAbs.bitPattern == b.sumAbs.bitPattern)
        #expect(a.sumSq.bitPattern == b.sumSq.bitPattern)
        #expect(a.largest == b.largest)
        #expect(a.n == b.n - Double(withSpecial.filter { !$0.isFinite }.count))
    }

    @Test func histogramOfOnlyNonFiniteOrNoValues() {
        let v: [Float] = [.nan, .infinity, -.infinity]
        let h = v.withUnsafeBufferPointer { Histogram(values: $0, bins: 4) }
        #expect(h == Histogram(bins: [0, 0, 0, 0], range: -1...1, nonFinite: 3))
        let empty = [Float]().withUnsafeBufferPointer { Histogram(values: $0, bins: 3) }
        #expect(empty == Histogram(bins: [0, 0, 0], range: -1...1, nonFinite: 0))
    }

    /// At both ends of Float's range each value still lands in its own bin: a largest |value| so
    /// small that bins/2m overflows Float (denormals), and one so large that v + m would overflow.
    @Test func histogramAtTheEndsOfFloatsRange() {
        let tiny: [Float] = [-1e-39, 0, 0, 1e-39]
        let t = tiny.withUnsafeBufferPointer { Histogram(values: $0, bins: 4) }
        #expect(t.bins == [1, 0, 2, 1], "−m in the first bin, 0 in the middle, m in the last")
        let huge: [Float] = [-3e38, 1e38, 3e38]
        let h = huge.withUnsafeBufferPointer { Histogram(values: $0, bins: 30) }
        var expected = [Int](repeating: 0, count: 30)
        expected[0] = 1
        expected[20] = 1  // 1e38 of ±3e38: (1/3 + 1)/2 of the way, bin 20
        expected[29] = 1
        #expect(h.bins == expected)
    }

    /// More bins than the kernel keeps on its stack take its plain loop; the counts are the same.
    @Test(arguments: [1, 2, 30, 256, 257, 1000])
    func histogramAtAnyBinCount(bins: Int) {
        let v = Self.values(4099, seed: 11, special: true)
        let h = v.withUnsafeBufferPointer { Histogram(values: $0, bins: bins) }
        #expect(h == Self.scalarHistogram(v, bins: bins))
        #expect(h.bins.reduce(0, +) == v.filter(\.isFinite).count)
    }

    /// The loops `deadAndZeroFractions` had: a column is dead when it is 0 in every row.
    static func scalarDeadAndZero(_ m: Matrix) -> (Float, Float) {
        var alive = [Bool](repeating: false, count: m.cols)
        var zeros = 0
        for r in 0..<m.rows {
            for j in 0..<m.cols {
                if m[r, j] == 0 { zeros += 1 } else { alive[j] = true }
            }
        }
        let dead = alive.filter { !$0 }.count
        return (Float(dead) / Float(m.cols), Float(zeros) / Float(m.rows * m.cols))
    }

    @Test(arguments: [(1, 1), (3, 17), (100, 100), (7, 33)])
    func deadAndZeroFractionsMatchTheScalarLoop(rows: Int, cols: Int) {
        // A ReLU output: about half the values 0, a few columns 0 throughout, a NaN (not a zero).
        var g = SeededGenerator(seed: UInt64(rows * cols))
        let m = Matrix(rows: rows, cols: cols)
        for i in 0..<m.count { m.pointer[i] = max(0, g.nextNormal()) }
        for j in stride(from: 1, to: cols, by: 5) { for r in 0..<rows { m[r, j] = 0 } }
        if cols > 2 { m[rows - 1, 2] = .nan }
        let (dead, zeros) = Network.deadAndZeroFractions(m)
        let (refDead, refZeros) = Self.scalarDeadAndZero(m)
        #expect(dead == refDead && zeros == refZeros, "\(rows)×\(cols)")
    }

    /// `distinctUnits` reads its column sums and largest |·| from `dlboard_column_sums`: a random
    /// layer has all its units, equal columns collapse, a bias tells units apart, and an infinity
    /// (no usable tolerance) makes every unit count.
    @Test func distinctUnitsFromTheColumnSums() {
        var g = SeededGenerator(seed: 5)
        let w = Matrix(rows: 37, cols: 21)
        for i in 0..<w.count { w.pointer[i] = g.nextNormal() * 0.1 }
        let b = Matrix(rows: 1, cols: 21)
        #expect(Network.distinctUnits(weight: w, bias: b) == 21)
        // Columns 0, 3, 6, … made copies of column 0: 7 columns become one unit.
        for j in stride(from: 3, to: 21, by: 3) { for i in 0..<37 { w[i, j] = w[i, 0] } }
        #expect(Network.distinctUnits(weight: w, bias: b) == 15)
        b[0, 3] = 1
        #expect(Network.distinctUnits(weight: w, bias: b) == 16, "a different bias makes a different unit")
        w.fill(0.5)
        b.fill(0)
        #expect(Network.distinctUnits(weight: w, bias: b) == 1)
        w[10, 4] = .infinity
        #expect(Network.distinctUnits(weight: w, bias: b) == 21)
    }
}
