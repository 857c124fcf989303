#if canImport(Glibc)
import Glibc
#endif
import CZlib

/// An IDX file of unsigned bytes (LeCun's MNIST format): two zero bytes, the type code 0x08, the
/// number of dimensions, big-endian 32-bit sizes, then the data. Read through zlib, which also
/// reads uncompressed files transparently.
public struct IDXFile: Sendable {
    public let dimensions: [Int]
    public let bytes: [UInt8]

    /// IDX magic numbers as 32-bit big-endian integers.
    public static let imagesMagic: UInt32 = 0x0000_0803
    public static let labelsMagic: UInt32 = 0x0000_0801

    /// Reads and validates `path`: the magic must equal `magic`, and the data must be exactly the
    /// size the header declares (a truncated or padded file is rejected).
    public init(path: String, magic: UInt32) throws(DatasetError) {
        let raw = try Self.decompress(path: path)
        guard raw.count >= 4 else {
            throw DatasetError("\(path): too short to be an IDX file (\(raw.count) bytes)")
        }
        let found = UInt32(raw[0]) << 24 | UInt32(raw[1]) << 16 | UInt32(raw[2]) << 8 | UInt32(raw[3])
        guard found == magic else {
            throw DatasetError("\(path): wrong magic number 0x\(Self.hex(found)), expected 0x\(Self.hex(magic)) (\(magic == Self.imagesMagic ? "IDX images" : "IDX labels"))")
        }
        let ndims = Int(raw[3])
        let headerSize = 4 + 4 * ndims
        guard raw.count >= headerSize else {
            throw DatasetError("\(path): truncated header (\(raw.count) bytes, need \(headerSize))")
        }
        var dims: [Int] = []
        for d in 0..<ndims {
            let o = 4 + 4 * d
            dims.append(Int(raw[o]) << 24 | Int(raw[o + 1]) << 16 | Int(raw[o + 2]) << 8 | Int(raw[o + 3]))
        }
        let expected = dims.reduce(1, *)
        let actual = raw.count - headerSize
        guard actual == expected else {
            let shape = dims.map(String.init).joined(separator: "×")
            throw DatasetError(actual < expected
                ? "\(path): truncated: header declares \(shape) = \(expected) bytes of data, file has \(actual)"
                : "\(path): \(actual - expected) unexpected bytes after the \(shape) data")
        }
        self.dimensions = dims
        self.bytes = Array(raw[headerSize...])
    }

    private static func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, 8 - s.count)) + s
    }

    private static func streamError(path: String, code: Int32, message: String, decompressed: Int) -> DatasetError {
        if code == Z_BUF_ERROR {
            return DatasetError("\(path): truncated: the gzip data ends early (after \(decompressed) decompressed bytes)")
        }
        // gzerror prefixes its text with the path; say the path once.
        let detail = message.hasPrefix(path + ": ") ? String(message.dropFirst(path.count + 2)) : message
        return DatasetError("\(path): corrupt gzip data (\(detail.isEmpty ? "zlib error \(code)" : detail))")
    }

    /// The whole decompressed content of a gzip (or plain) file.
    static func decompress(path: String) throws(DatasetError) -> [UInt8] {
        guard let f = gzopen(path, "rb") else {
            throw DatasetError("\(path): cannot open (\(String(cString: strerror(errno))))")
        }
        defer { gzclose(f) }
        gzbuffer(f, 1 << 18)
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { gzread(f, $0.baseAddress, UInt32($0.count)) }
            if n < 0 {
                var code: Int32 = 0
                let msg = String(cString: gzerror(f, &code))
                throw streamError(path: path, code: code, message: msg, decompressed: out.count)
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<Int(n)])
        }
        // Some zlib versions stop quietly at a stream cut off mid-way; ask.
        var code: Int32 = 0
        let msg = String(cString: gzerror(f, &code))
        if code != Z_OK && code != Z_STREAM_END {
            throw streamError(path: path, code: code, message: msg, decompressed: out.count)
        }
        return out
    }
}

