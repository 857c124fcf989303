import CZlib

#if canImport(Glibc)
    import Glibc
#endif

/// Decompressed bytes read on demand, so `IDXFile` takes only what the header declares (+1 byte
/// to notice trailing data) whatever the file would inflate to. Errors name `name`.
protocol IDXByteSource {
    var name: String { get }
    /// Bytes decompressed so far (for error messages).
    var produced: Int { get }
    /// Fills up to `buffer.count` bytes; fewer only at the end of the data.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(DatasetError) -> Int
}

extension IDXByteSource {
    /// Reads up to `count` bytes, fewer only at the end of the data.
    mutating func read(count: Int) throws(DatasetError) -> [UInt8] {
        // A buffer of our own: the closure-based array accessors do not pass on a typed throw.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 1)
        defer { buffer.deallocate() }
        var filled = 0
        while filled < count {
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<count]))
            if n == 0 { break }
            filled += n
        }
        return [UInt8](UnsafeRawBufferPointer(rebasing: buffer[..<filled]))
    }

    static func streamError(name: String, code: Int32, message: String, decompressed: Int) -> DatasetError {
        if code == Z_BUF_ERROR {
            return DatasetError(
                "\(name): truncated: the gzip data ends early (after \(decompressed) decompressed bytes)")
        }
        // gzerror prefixes its text with the path; say the path once.
        let detail = message.hasPrefix(name + ": ") ? String(message.dropFirst(name.count + 2)) : message
        return DatasetError("\(name): corrupt gzip data (\(detail.isEmpty ? "zlib error \(code)" : detail))")
    }
}

/// A gzip (or plain) file through zlib's gzread, which reads uncompressed files transparently.
final class GzipFileSource: IDXByteSource {
    let name: String
    private(set) var produced = 0
    private let file: gzFile

    init(path: String) throws(DatasetError) {
        guard let f = gzopen(path, "rb") else {
            throw DatasetError("\(path): cannot open (\(String(cString: strerror(errno))))")
        }
        gzbuffer(f, 1 << 18)
        name = path
        file = f
    }

    deinit { gzclose(file) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DatasetError) -> Int {
        guard buffer.count > 0 else { return 0 }
        let n = gzread(file, buffer.baseAddress, UInt32(min(buffer.count, 1 << 30)))
        var code: Int32 = 0
        if n < 0 {
            let msg = String(cString: gzerror(file, &code))
            throw Self.streamError(name: name, code: code, message: msg, decompressed: produced)
        }
        if n == 0 {
            // Some zlib versions stop quietly at a stream cut off mid-way; ask.
            let msg = String(cString: gzerror(file, &code))
            if code != Z_OK && code != Z_STREAM_END {
                throw Self.streamError(name: name, code: code, message: msg, decompressed: produced)
            }
        }
        produced += Int(n)
        return Int(n)
    }
}

/// Bytes in memory, inflated when they are gzip (as gzread would: several members in a row, any
/// trailing non-gzip bytes ignored) and taken as they are otherwise.
final class MemorySource: IDXByteSource {
    let name: String
    private(set) var produced = 0
    private let input: [UInt8]
    private var consumed = 0
    /// Heap-allocated: zlib's state points back at its stream, which must not move.
    private let stream: UnsafeMutablePointer<z_stream>?
    private var ended = false

    init(bytes: [UInt8], name: String) throws(DatasetError) {
        self.name = name
        input = bytes
        guard bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B else {
            stream = nil
            return
        }
        let s = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        s.initialize(to: z_stream())
        // 15 + 16: a gzip wrapper (window up to 32 KiB).
        guard inflateInit2_(s, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            s.deallocate()
            throw DatasetError("\(name): cannot start zlib")
        }
        stream = s
    }

    deinit {
        if let stream {
            inflateEnd(stream)
            stream.deallocate()
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DatasetError) -> Int {
        guard buffer.count > 0 else { return 0 }
        guard let stream else {
            let n = min(buffer.count, input.count - consumed)
            input.withUnsafeBytes { src in
                buffer.baseAddress!.copyMemory(from: src.baseAddress! + consumed, byteCount: n)
            }
            consumed += n
            produced += n
            return n
        }
        var written = 0
        while written < buffer.count && !ended {
            if consumed == input.count {
                throw DatasetError(
                    "\(name): truncated: the gzip data ends early (after \(produced + written) decompressed bytes)")
            }
            let inAvail = UInt32(min(input.count - consumed, Int(UInt32.max)))
            let outAvail = UInt32(min(buffer.count - written, Int(UInt32.max)))
            let code: Int32 = input.withUnsafeBufferPointer { src in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: src.baseAddress! + consumed)
                stream.pointee.avail_in = inAvail
                stream.pointee.next_out = (buffer.baseAddress! + written).assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = outAvail
                let code = inflate(stream, Z_NO_FLUSH)
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
                return code
            }
            consumed += Int(inAvail - stream.pointee.avail_in)
            written += Int(outAvail - stream.pointee.avail_out)
            switch code {
            case Z_OK:
                continue
            case Z_BUF_ERROR where inAvail != stream.pointee.avail_in || outAvail != stream.pointee.avail_out:
                continue
            case Z_STREAM_END:
                // Another member follows only if gzip's magic does; anything else is ignored.
                if input.count - consumed >= 2 && input[consumed] == 0x1F && input[consumed + 1] == 0x8B {
                    inflateReset(stream)
                } else {
                    ended = true
                }
            default:
                let detail = stream.pointee.msg.map { String(cString: $0) } ?? ""
                throw Self.streamError(name: name, code: code, message: detail, decompressed: produced + written)
            }
        }
        produced += written
        return written
    }
}
