import CKernels
import Foundation
import Testing

@testable import NN

/// Dropout's counter-based masks (`dlboard_dropout_forward`): one generator word per mask is the
/// key, unit i's 32 bits are lowbias32(lowbias32(lo ^ i·0x9e3779b9) ^ hi), its uniform the top 24
/// of them × 2⁻²⁴, kept when above the ratio. Checked against a Swift reference bit for bit (odd
/// lengths: every vector width's body and remainder), at the threshold's edges, and statistically:
/// the keep fraction, neighbours (units, rows, steps) uncorrelated, other keys other masks.
@Suite struct DropoutMaskTests {
    static func hash32(_ v: UInt32) -> UInt32 {
        var x = v
        x ^= x >> 16
        x &*= 0x7feb_352d
        x ^= x >> 15
        x &*= 0x846c_a68b
        x ^= x >> 16
        return x
    }

    /// The bits of unit `i` under `key`, written from the formula.
    static func referenceBits(key: UInt64, index i: Int) -> UInt32 {
        let lo = UInt32(truncatingIfNeeded: key)
        let hi = UInt32(truncatingIfNeeded: key >> 32)
        return hash32(hash32(lo ^ (UInt32(truncatingIfNeeded: i) &* 0x9e37_79b9)) ^ hi)
    }

    /// Unit `i`'s uniform in [0, 1), 24 bits, as the book's keep-test compares it.
    static func referenceUniform(key: UInt64, index i: Int) -> Float {
        Float(referenceBits(key: key, index: i) >> 8) * (1.0 / 16_777_216.0)
    }

    static func mask(key: UInt64, count n: Int, ratio: Float, kept: Float = 1) -> [Float] {
        let x = [Float](repeating: 1, count: n)
        var m = [Float](repeating: -1, count: n)
        var out = [Float](repeating: -1, count: n)
        dlboard_dropout_forward(x, &m, &out, n, key, ratio, kept)
        #expect(m == out, "x = 1: the output is the mask")
        return m
    }

    /// Worked by hand from the formula: lowbias32(0) = 0, so key 0's unit 0 has bits 0 (u = 0,
    /// dropped even at ratio 0); the others as the Python transcription in the commit computed them.
    @Test func knownBits() {
        #expect(dlboard_dropout_unit_bits(0, 0) == 0)
        #expect(dlboard_dropout_unit_bits(1, 0) == 0x58f5_4975)
        #expect(dlboard_dropout_unit_bits(0, 1) == 0xae6f_80f1)
        #expect(dlboard_dropout_unit_bits(0x1234_5678_9abc_def0, 7) == 0xf257_92ad)
        #expect(Self.mask(key: 0, count: 1, ratio: 0) == [0])
    }

    /// Every unit of odd lengths (1…67 and 1037) against the reference, several keys and ratios,
    /// both scales, and an x with signs, zeros and a NaN (out = x · mask exactly).
    @Test func kernelMatchesTheReferenceBitForBit() {
        let keys: [UInt64] = [0, 1, 0xdead_beef, 0xffff_ffff_0000_0001, 0x9e37_79b9_7f4a_7c15]
        for n in Array(1...67) + [1037] {
            let x = (0..<n).map { i -> Float in i % 13 == 5 ? .nan : Float(i % 7) - 3.25 }
            for key in keys {
                for (ratio, kept) in [(Float(0), Float(1)), (0.2, 1), (0.5, 2), (0.9, 1 / 0.1 as Float)] {
                    var m = [Float](repeating: -1, count: n)
                    var out = [Float](repeating: -1, count: n)
                    dlboard_dropout_forward(x, &m, &out, n, key, ratio, kept)
                    let expectedMask = (0..<n).map { Self.referenceUniform(key: key, index: $0) > ratio ? kept : 0 }
                    let expectedOut = zip(x, expectedMask).map { $0 * $1 }
                    #expect(m == expectedMask, "n \(n) key \(key) ratio \(ratio)")
                    #expect(out.map(\.bitPattern) == expectedOut.map(\.bitPattern), "n \(n) key \(key) ratio \(ratio)")
                    #expect(
                        (0..<n).allSatisfy {
                            dlboard_dropout_unit_bits(key, $0) == Self.referenceBits(key: key, index: $0)
                        })
                }
            }
        }
    }

    /// The kernel compares integers (bits >> 8 > ⌊ratio·2²⁴⌋); that is `u > ratio` exactly: a ratio
    /// equal to a unit's uniform drops it, the next float below keeps it.
    @Test func thresholdIsTheBooksStrictComparison() {
        let key: UInt64 = 0x0123_4567_89ab_cdef
        let n = 257
        for i in [0, 3, 100, 256] {
            let u = Self.referenceUniform(key: key, index: i)
            guard u > 0 && u < 1 else { continue }
            #expect(Self.mask(key: key, count: n, ratio: u)[i] == 0, "u = ratio is dropped")
            #expect(Self.mask(key: key, count: n, ratio: u.nextDown)[i] == 1, "u just above ratio is kept")
            let between = (u + u.nextUp) / 2  // a ratio between two 24-bit uniforms (not one itself)
            #expect(Self.mask(key: key, count: n, ratio: between)[i] == 0)
        }
    }

    /// 10⁶ units at ratio 0.2 keep 0.8 within 5σ (σ = √(0.8·0.2/10⁶) = 0.0004), and the 24-bit
    /// uniforms fill 16 equal bins evenly (χ² with 15 degrees of freedom below 50: p ≈ 10⁻⁵).
    @Test func keepFractionAndUniformity() {
        let n = 1_000_000
        let m = Self.mask(key: 0x5eed, count: n, ratio: 0.2)
        let kept = Double(m.reduce(0, +)) / Double(n)
        #expect(abs(kept - 0.8) < 5 * 0.0004, "\(kept)")
        var bins = [Double](repeating: 0, count: 16)
        for i in 0..<n { bins[Int(dlboard_dropout_unit_bits(0x5eed, i) >> 28)] += 1 }
        let expected = Double(n) / 16
        let chi2 = bins.reduce(0) { $0 + ($1 - expected) * ($1 - expected) / expected }
        #expect(chi2 < 50, "\(chi2)")
    }

    /// Pearson's correlation of two 0/1 sequences.
    static func correlation(_ a: [Float], _ b: [Float]) -> Double {
        let n = Double(a.count)
        let ma = Double(a.reduce(0, +)) / n
        let mb = Double(b.reduce(0, +)) / n
        var cov = 0.0
        var va = 0.0
        var vb = 0.0
        for (x, y) in zip(a, b) {
            let dx = Double(x) - ma
            let dy = Double(y) - mb
            cov += dx * dy
            va += dx * dx
            vb += dy * dy
        }
        return cov / (va * vb).squareRoot()
    }

    /// Neighbouring units, the same unit one row (100 units) on, and the same unit one step on (the
    /// next key from a layer's generator) are uncorrelated: |ρ| < 5/√N with N ≈ 10⁶ pairs.
    @Test func neighboursAreUncorrelated() {
        let n = 1_000_000
        var g = SeededGenerator(seed: 3, stream: "dropout1/1")
        let first = Self.mask(key: g.next(), count: n, ratio: 0.5)
        let second = Self.mask(key: g.next(), count: n, ratio: 0.5)
        let limit = 5 / Double(n).squareRoot()
        let units = Self.correlation(Array(first.dropLast()), Array(first.dropFirst()))
        let rows = Self.correlation(Array(first.dropLast(100)), Array(first.dropFirst(100)))
        let steps = Self.correlation(first, second)
        #expect(abs(units) < limit, "units \(units)")
        #expect(abs(rows) < limit, "rows \(rows)")
        #expect(abs(steps) < limit, "steps \(steps)")
    }

    /// Keys that differ in one bit of either half, or by one, give masks that agree where two
    /// independent masks would: p² + q² = 0.68 of the units at ratio 0.2 (σ ≈ 0.0015 over 10⁵).
    @Test func differentKeysGiveUnrelatedMasks() {
        let n = 100_000
        let base: UInt64 = 0x0f0f_0f0f_f0f0_f0f0
        let a = Self.mask(key: base, count: n, ratio: 0.2)
        for other in [base ^ 1, base ^ (1 << 40), base &+ 1, base ^ (1 << 31), ~base] {
            let b = Self.mask(key: other, count: n, ratio: 0.2)
            let agree = Double(zip(a, b).filter { $0 == $1 }.count) / Double(n)
            #expect(abs(agree - 0.68) < 0.01, "key \(String(other, radix: 16)): \(agree)")
        }
        #expect(Self.mask(key: base, count: n, ratio: 0.2) == a, "the same key, the same mask")
    }

    /// The layer takes one word of its generator per mask as the key: the same seed gives the same
    /// masks, a frozen mask draws nothing, and a clone continues the same stream.
    @Test func layerDrawsOneKeyPerMask() {
        let x = Matrix(rows: 7, cols: 13, values: (0..<91).map { Float($0) - 40 })
        let d = Dropout(index: 1, ratio: 0.3, generator: SeededGenerator(seed: 12), style: .inverted)
        var reference = SeededGenerator(seed: 12)
        for _ in 0..<3 {
            let key = reference.next()
            let kept: Float = 1 / (1 - 0.3)
            let expected = (0..<91).map { Self.referenceUniform(key: key, index: $0) > 0.3 ? kept : 0 }
            let out = d.forward(x, mode: .train)
            #expect(d.mask.values == expected)
            #expect(out.values == zip(x.values, expected).map { $0 * $1 })
        }
        #expect(d.generator == reference, "one word per mask")
        let twin = d.clone() as! Dropout
        #expect(twin.forward(x, mode: .train).values == d.forward(x, mode: .train).values)
        d.freezesMask = true
        let frozen = d.mask.values
        let position = d.generator
        #expect(d.forward(x, mode: .train).values == zip(x.values, frozen).map { $0 * $1 })
        #expect(d.generator == position && d.mask.values == frozen)
    }
}
