/// Reads what `StateWriter` wrote from bytes that may be cut short or made up: every read checks
/// that the bytes it needs are there first, and returns nil (never traps, never allocates more
/// than the bytes left could hold) when they are not.
struct StateReader {
    private let bytes: [UInt8]
    private(set) var offset: Int
    private let end: Int

    /// Reads `bytes[start..<end]`.
    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.offset = start
        self.end = min(end ?? bytes.count, bytes.count)
    }

    var remaining: Int { max(0, end - offset) }
    var isAtEnd: Bool { offset >= end }

    mutating func uint8() -> UInt8? {
        guard remaining >= 1 else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint32() -> UInt32? {
        guard remaining >= 4 else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(bytes[offset + k]) << (8 * UInt32(k)) }
        offset += 4
        return v
    }

    mutating func uint64() -> UInt64? {
        guard remaining >= 8 else { return nil }
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[offset + k]) << (8 * UInt64(k)) }
        offset += 8
        return v
    }

    /// The next `count` bytes; nil when fewer are left.
    mutating func bytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, count <= remaining else { return nil }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    /// A string as `StateWriter.append(_: String)` wrote it, at most `maximumLength` bytes of
    /// valid UTF-8.
    mutating func string(maximumLength: Int) -> String? {
        guard let n = uint32(), Int(n) <= maximumLength, let b = bytes(Int(n)) else { return nil }
        return String(validating: b, as: UTF8.self)
    }

    /// `count` floats; nil when the bytes left hold fewer (checked before anything is allocated).
    mutating func floats(_ count: Int) -> [Float]? {
        guard count >= 0, count <= remaining / 4 else { return nil }
        let start = offset
        offset += 4 * count
        return bytes.withUnsafeBytes { b in
            [Float](unsafeUninitializedCapacity: count) { out, initialized in
                #if _endian(little)
                    // The file's layout is the host's: one copy.
                    UnsafeMutableRawBufferPointer(out).copyMemory(
                        from: UnsafeRawBufferPointer(rebasing: b[start..<(start + 4 * count)]))
                #else
                    for i in 0..<count {
                        let p = start + 4 * i
                        let bits =
                            UInt32(b[p]) | UInt32(b[p + 1]) << 8 | UInt32(b[p + 2]) << 16 | UInt32(b[p + 3]) << 24
                        out[i] = Float(bitPattern: bits)
                    }
                #endif
                initialized = count
            }
        }
    }

    /// `count` words; nil when the bytes left hold fewer.
    mutating func words(_ count: Int) -> [UInt64]? {
        guard count >= 0, count <= remaining / 8 else { return nil }
        var out: [UInt64] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            guard let w = uint64() else { return nil }
            out.append(w)
        }
        return out
    }
}
