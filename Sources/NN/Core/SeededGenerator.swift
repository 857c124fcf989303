import Foundation

/// A small, fast, explicitly seeded random generator (xoshiro256**, seeded through SplitMix64).
///
/// dlboard never uses a global RNG: every source of randomness (initial weights, mini-batch order,
/// dropout masks) owns one of these, derived from the run's seed, so the same seed and the same
/// configuration give the same numbers on every machine.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    /// A cached second normal deviate from Box–Muller.
    private var spareNormal: Float?

    public init(seed: UInt64) {
        var sm = seed
        func splitMix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(&sm)
        s1 = splitMix(&sm)
        s2 = splitMix(&sm)
        s3 = splitMix(&sm)
    }

    /// An independent stream for a named purpose (e.g. "batches", "dropout"), so that adding a use of
    /// randomness in one place does not shift the numbers drawn in another.
    public init(seed: UInt64, stream: String) {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a
        for b in stream.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        self.init(seed: seed ^ h)
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform in [0, 1) with 24 bits of precision.
    @inline(__always)
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform integer in 0..<n (n ≥ 1), without modulo bias.
    @inline(__always)
    public mutating func nextInt(below n: Int) -> Int {
        Int(truncatingIfNeeded: next(upperBound: UInt64(n)))
    }

    /// Standard normal N(0, 1) by Box–Muller.
    public mutating func nextNormal() -> Float {
        if let z = spareNormal {
            spareNormal = nil
            return z
        }
        var u1 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        if u1 < 1e-300 { u1 = 1e-300 }
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        let r = (-2.0 * log(u1)).squareRoot()
        let theta = 2.0 * Double.pi * u2
        spareNormal = Float(r * sin(theta))
        return Float(r * cos(theta))
    }
}

extension SeededGenerator {
    /// The generator's position (its four words and a cached normal deviate) into a state digest.
    func digest(into d: inout StateDigest) {
        for w in [s0, s1, s2, s3] { d.add(w) }
        d.add(spareNormal.map { UInt64($0.bitPattern) | 1 << 32 } ?? 0)
    }
}

extension SeededGenerator {
    /// The generator's position as six words (its four state words, whether a normal deviate is
    /// cached, and that deviate's bits), as a checkpoint stores it.
    var stateWords: [UInt64] {
        [s0, s1, s2, s3, spareNormal == nil ? 0 : 1, UInt64(spareNormal?.bitPattern ?? 0)]
    }

    /// A generator at the position `stateWords` gave; nil when `words` is not six words of that form.
    init?(stateWords words: [UInt64]) {
        guard words.count == 6, words[4] <= 1, words[5] <= UInt64(UInt32.max) else { return nil }
        self.init(seed: 0)
        s0 = words[0]
        s1 = words[1]
        s2 = words[2]
        s3 = words[3]
        spareNormal = words[4] == 1 ? Float(bitPattern: UInt32(words[5])) : nil
    }
}
