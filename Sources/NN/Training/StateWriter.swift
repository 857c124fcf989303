/// Appends little-endian numbers, strings and arrays to a byte buffer: how a checkpoint is laid
/// out, the same on every machine.
struct StateWriter {
    private(set) var bytes: [UInt8] = []

    init(reservingCapacity capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func append(_ v: UInt8) { bytes.append(v) }

    mutating func append(_ v: UInt32) {
        for k in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(k)))) }
    }

    mutating func append(_ v: UInt64) {
        for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) }
    }

    mutating func append(bytes more: [UInt8]) { bytes.append(contentsOf: more) }

    /// Its UTF-8 length (UInt32), then its bytes.
    mutating func append(_ s: String) {
        append(UInt32(s.utf8.count))
        bytes.append(contentsOf: s.utf8)
    }

    /// Each float's bits, in order (the count is the caller's to write).
    mutating func append(floats: UnsafeBufferPointer<Float>) {
        #if _endian(little)
            // The host's layout is the file's: one copy instead of four appends per float.
            bytes.append(contentsOf: UnsafeRawBufferPointer(floats))
        #else
            for f in floats { append(f.bitPattern) }
        #endif
    }

    mutating func append(words: [UInt64]) {
        for w in words { append(w) }
    }
}
