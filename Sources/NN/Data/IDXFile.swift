/// An IDX file of unsigned bytes (LeCun's MNIST format): two zero bytes, the type code 0x08, the
/// number of dimensions, big-endian 32-bit sizes, then the data. Read through zlib, which also
/// reads uncompressed files transparently.
///
/// The header is read first and only the data it declares is read after it (plus one byte to
/// notice trailing data), so a gzip bomb or `/dev/zero` costs no more memory than a real file of
/// the declared size — and no file may declare more than `maxDataBytes`.
public struct IDXFile: Sendable {
    public let dimensions: [Int]
    public let bytes: [UInt8]

    /// IDX magic numbers as 32-bit big-endian integers.
    public static let imagesMagic: UInt32 = 0x0000_0803
    public static let labelsMagic: UInt32 = 0x0000_0801

    /// The most data one file may declare: 4 GiB, about 90 times MNIST's training images. A header
    /// is untrusted: its sizes multiply to anything up to 2^(32·255).
    public static let maxDataBytes = 1 << 32

    /// The first allocation for the data; larger files grow from there, so memory follows what
    /// the file really holds rather than what its header claims.
    static let initialReservation = 256 << 20

    /// Reads and validates `path`: the magic must equal `magic`, and the data must be exactly the
    /// size the header declares (a truncated or padded file is rejected). Reads in bounded chunks.
    public init(path: String, magic: UInt32) throws(DatasetError) {
        var source = try GzipFileSource(path: path)
        try self.init(source: &source, magic: magic)
    }

    /// The same parse and checks from bytes in memory (gzip or plain), e.g. for a fuzzer; errors
    /// name `name`. `maxDataBytes` lowers the cap (a fuzzer runs under its own memory limit).
    public init(bytes: [UInt8], magic: UInt32, name: String = "<memory>", maxDataBytes: Int = IDXFile.maxDataBytes)
        throws(DatasetError)
    {
        var source = try MemorySource(bytes: bytes, name: name)
        try self.init(source: &source, magic: magic, maxDataBytes: min(maxDataBytes, Self.maxDataBytes))
    }

    init<S: IDXByteSource>(source: inout S, magic: UInt32, maxDataBytes: Int = IDXFile.maxDataBytes)
        throws(DatasetError)
    {
        let path = source.name
        let head = try source.read(count: 4)
        guard head.count == 4 else {
            throw DatasetError("\(path): too short to be an IDX file (\(head.count) bytes)")
        }
        let found = UInt32(head[0]) << 24 | UInt32(head[1]) << 16 | UInt32(head[2]) << 8 | UInt32(head[3])
        guard found == magic else {
            throw DatasetError(
                "\(path): wrong magic number 0x\(Self.hex(found)), expected 0x\(Self.hex(magic)) (\(magic == Self.imagesMagic ? "IDX images" : "IDX labels"))"
            )
        }
        let ndims = Int(head[3])
        let headerSize = 4 + 4 * ndims
        let sizes = try source.read(count: 4 * ndims)
        guard sizes.count == 4 * ndims else {
            throw DatasetError("\(path): truncated header (\(4 + sizes.count) bytes, need \(headerSize))")
        }
        var dims: [Int] = []
        for d in 0..<ndims {
            let o = 4 * d
            dims.append(Int(sizes[o]) << 24 | Int(sizes[o + 1]) << 16 | Int(sizes[o + 2]) << 8 | Int(sizes[o + 3]))
        }
        let shape = dims.map(String.init).joined(separator: "×")
        var expected = 1
        for d in dims {
            let (product, overflow) = expected.multipliedReportingOverflow(by: d)
            guard !overflow && product <= maxDataBytes else {
                throw DatasetError(
                    "\(path): header declares \(shape) bytes of data, more than the \(Self.describe(maxDataBytes)) dlboard reads from one file"
                )
            }
            expected = product
        }
        var data: [UInt8] = []
        data.reserveCapacity(min(expected + 1, Self.initialReservation))
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 1)
        defer { chunk.deallocate() }
        while data.count <= expected {
            let want = min(chunk.count, expected + 1 - data.count)
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: chunk[..<want]))
            if n == 0 { break }
            data.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[..<n]))
        }
        guard data.count == expected else {
            throw DatasetError(
                data.count < expected
                    ? "\(path): truncated: header declares \(shape) = \(expected) bytes of data, file has \(data.count)"
                    : "\(path): more data than the header's \(shape) = \(expected) bytes")
        }
        self.dimensions = dims
        self.bytes = data
    }

    /// `4 GiB`, or bytes for a cap below 1 GiB.
    private static func describe(_ bytes: Int) -> String {
        bytes >= 1 << 30 && bytes % (1 << 30) == 0 ? "\(bytes >> 30) GiB" : "\(bytes) bytes"
    }

    private static func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, 8 - s.count)) + s
    }
}
