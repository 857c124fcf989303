/// A 64-bit FNV-1a hash over the raw bits of a training state: two states with the same digest
/// hold the same numbers bit for bit (up to a hash collision), so a test or a record can say "this
/// run continued exactly that one's state" without storing the weights. Floats enter by their bit
/// patterns, so −0 and 0, or two NaNs with different payloads, differ, as they would in training.
public struct StateDigest: Sendable, Equatable, Hashable {
    public private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    public init() {}

    /// A digest read back (from a record's hex digits): nil when it is not 1–16 hex digits.
    public init?(hex: String) {
        guard (1...16).contains(hex.count), let v = UInt64(hex, radix: 16) else { return nil }
        value = v
    }

    @inline(__always)
    private mutating func byte(_ b: UInt8) {
        value = (value ^ UInt64(b)) &* 0x100_0000_01B3
    }

    public mutating func add(_ v: UInt64) {
        for k in 0..<8 { byte(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) }
    }

    public mutating func add(_ v: Int) { add(UInt64(bitPattern: Int64(v))) }

    public mutating func add(_ v: Float) { add(UInt64(v.bitPattern)) }

    /// A string and its length, so that ("ab", "c") and ("a", "bc") differ.
    public mutating func add(_ s: String) {
        add(s.utf8.count)
        for b in s.utf8 { byte(b) }
    }

    /// The shape, then every element's bits.
    public mutating func add(_ m: Matrix) {
        add(m.rows)
        add(m.cols)
        let p = m.pointer
        for i in 0..<m.count { add(UInt64(p[i].bitPattern)) }
    }

    /// Sixteen hex digits, as records carry it.
    public var hex: String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
