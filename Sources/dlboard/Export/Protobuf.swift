/// Just enough of the protocol buffers wire format to write TensorBoard's `Event` messages by hand:
/// varints, fixed 32/64-bit numbers, length-delimited fields, packed doubles. (No dependency on
/// swift-protobuf and its generated code for five message types.)
struct Protobuf {
    private(set) var bytes: [UInt8] = []

    private enum WireType: UInt64 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case fixed32 = 5
    }

    private mutating func tag(_ field: Int, _ type: WireType) { varint(UInt64(field) << 3 | type.rawValue) }

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    private mutating func littleEndian<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func int64(_ field: Int, _ v: Int64) {
        tag(field, .varint)
        varint(UInt64(bitPattern: v))
    }
    mutating func double(_ field: Int, _ v: Double) {
        tag(field, .fixed64)
        littleEndian(v.bitPattern)
    }
    mutating func float(_ field: Int, _ v: Float) {
        tag(field, .fixed32)
        littleEndian(v.bitPattern)
    }

    mutating func bytes(_ field: Int, _ data: [UInt8]) {
        tag(field, .lengthDelimited)
        varint(UInt64(data.count))
        bytes.append(contentsOf: data)
    }

    mutating func string(_ field: Int, _ s: String) { bytes(field, Array(s.utf8)) }
    mutating func message(_ field: Int, _ m: Protobuf) { bytes(field, m.bytes) }

    /// A packed `repeated double`.
    mutating func packedDoubles(_ field: Int, _ values: [Double]) {
        var inner = Protobuf()
        for v in values { inner.littleEndian(v.bitPattern) }
        bytes(field, inner.bytes)
    }
}
