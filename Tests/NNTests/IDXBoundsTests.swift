import CZlib
import Foundation
import Testing

@testable import NN

/// A header is read before the data and only what it declares is read after it: a gzip bomb is
/// refused after about the declared size, not after inflating all of it.
@Suite struct IDXBoundsTests {
    /// An IDX header declaring `declared` label bytes, then `inflated` zero bytes, gzip-compressed
    /// (50 MB of zeros compress to ~50 KB).
    static func bomb(declared: Int, inflated: Int) -> [UInt8] {
        let header: [UInt8] = [
            0, 0, 8, 1, UInt8(declared >> 24), UInt8((declared >> 16) & 0xFF), UInt8((declared >> 8) & 0xFF),
            UInt8(declared & 0xFF),
        ]
        let raw = header + [UInt8](repeating: 0, count: inflated)
        var bound = compressBound(uLong(raw.count))
        var out = [UInt8](repeating: 0, count: Int(bound))
        // zlib's compress2 writes a zlib stream; wrap it as gzip with deflateInit2 instead.
        var s = z_stream()
        precondition(
            deflateInit2_(
                &s, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
                == Z_OK)
        bound = deflateBound(&s, uLong(raw.count))
        out = [UInt8](repeating: 0, count: Int(bound))
        let written: Int = raw.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                s.next_in = UnsafeMutablePointer(mutating: src.baseAddress!)
                s.avail_in = UInt32(src.count)
                s.next_out = dst.baseAddress!
                s.avail_out = UInt32(dst.count)
                precondition(deflate(&s, Z_FINISH) == Z_STREAM_END)
                return dst.count - Int(s.avail_out)
            }
        }
        deflateEnd(&s)
        return Array(out.prefix(written))
    }

    @Test func aBombInMemoryIsRefusedAfterTheDeclaredSize() throws {
        let gz = Self.bomb(declared: 1000, inflated: 50_000_000)
        #expect(gz.count < 200_000)
        var source = try MemorySource(bytes: gz, name: "bomb")
        #expect(throws: DatasetError("bomb: more data than the header's 1000 = 1000 bytes")) {
            _ = try IDXFile(source: &source, magic: IDXFile.labelsMagic)
        }
        // Header + declared data + the one byte that shows there is more.
        #expect(source.produced == 8 + 1000 + 1)
    }

    @Test func aBombOnDiskIsRefusedAfterTheDeclaredSize() throws {
        let fx = Fixtures()
        defer { fx.remove() }
        FileManager.default.createFile(
            atPath: fx.path("b.gz"), contents: Data(Self.bomb(declared: 1000, inflated: 50_000_000)))
        var source = try GzipFileSource(path: fx.path("b.gz"))
        #expect(throws: DatasetError("\(fx.path("b.gz")): more data than the header's 1000 = 1000 bytes")) {
            _ = try IDXFile(source: &source, magic: IDXFile.labelsMagic)
        }
        #expect(source.produced == 8 + 1000 + 1)
    }

    @Test func aHeaderClaimingMoreThanTheFileHoldsAllocatesOnlyWhatArrives() throws {
        // 4 GiB declared, 10 bytes present: a truncation error, not a 4 GiB allocation.
        let bytes: [UInt8] = [0, 0, 8, 1, 0xFF, 0xFF, 0xFF, 0xFF] + [UInt8](repeating: 1, count: 10)
        var source = try MemorySource(bytes: bytes, name: "short")
        #expect(
            throws: DatasetError("short: truncated: header declares 4294967295 = 4294967295 bytes of data, file has 10")
        ) {
            _ = try IDXFile(source: &source, magic: IDXFile.labelsMagic)
        }
    }
}
