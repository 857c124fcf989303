import Foundation
import Glibc

extension TrainerCheckpoint {
    static let magic = Array("DLBDCKPT".utf8)
    /// 2: the header holds `trainChecksum`.
    static let formatVersion: UInt32 = 2
    /// The length and CRC at the end.
    static let trailerSize = 8 + 4
    /// The largest JSON header read (a configuration and a few strings are a few kB).
    static let maximumHeaderSize = 1 << 24

    /// The checkpoint as bytes (header, state, CRC).
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Every field of the header is a plain value with a total encoding: this cannot fail.
        let json = (try? encoder.encode(header)).map { [UInt8]($0) } ?? []
        var w = StateWriter(reservingCapacity: json.count + state.byteEstimate + 64)
        w.append(bytes: Self.magic)
        w.append(Self.formatVersion)
        w.append(UInt32(json.count))
        w.append(bytes: json)
        state.write(into: &w)
        w.append(UInt64(w.bytes.count + Self.trailerSize))
        w.append(CRC32C.checksum(w.bytes[...]))
        return w.bytes
    }

    private var header: CheckpointHeader {
        CheckpointHeader(
            shape: config.network.shapeText, config: config, steps: steps, completedEpochs: completedEpochs,
            trainCount: trainCount, trainChecksum: String(format: "%08x", trainChecksum), digest: digest.hex,
            metadata: metadata)
    }

    /// A checkpoint read back; throws on a short, corrupt or foreign file: `.torn` when the length
    /// or CRC disagrees (a file cut short or changed), `.unreadable` when it is not a checkpoint, of
    /// another format version, or one whose parts do not hold together.
    public init(decoding bytes: [UInt8], path: String = "") throws(CheckpointError) {
        let magic = Self.magic
        guard bytes.count >= magic.count else {
            throw bytes.elementsEqual(magic.prefix(bytes.count)) ? .torn(path: path) : Self.foreign(path)
        }
        guard bytes.prefix(magic.count).elementsEqual(magic) else { throw Self.foreign(path) }
        guard bytes.count >= magic.count + 4 + 4 + Self.trailerSize else { throw .torn(path: path) }
        var trailer = StateReader(bytes, from: bytes.count - Self.trailerSize)
        guard let length = trailer.uint64(), let crc = trailer.uint32(), length == UInt64(bytes.count),
            crc == CRC32C.checksum(bytes[..<(bytes.count - 4)])
        else { throw .torn(path: path) }

        var r = StateReader(bytes, from: magic.count, to: bytes.count - Self.trailerSize)
        guard let version = r.uint32(), version == Self.formatVersion else {
            throw .unreadable(path: path, reason: "it is of another format version than this dlboard reads")
        }
        guard let headerSize = r.uint32(), Int(headerSize) <= Self.maximumHeaderSize,
            let json = r.bytes(Int(headerSize))
        else { throw .unreadable(path: path, reason: "its header is malformed") }
        let h: CheckpointHeader
        do { h = try JSONDecoder().decode(CheckpointHeader.self, from: Data(json)) } catch {
            throw .unreadable(path: path, reason: "its header is malformed")
        }
        guard let digest = StateDigest(hex: h.digest), (0...Self.maximumCount).contains(h.steps),
            (0...Self.maximumCount).contains(h.completedEpochs), h.trainCount >= 1,
            h.shape == h.config.network.shapeText, h.trainChecksum.utf8.count == 8,
            h.trainChecksum.allSatisfy(\.isHexDigit),
            let trainChecksum = UInt32(h.trainChecksum, radix: 16)
        else { throw .unreadable(path: path, reason: "its header's values are out of range") }
        guard let state = TrainerState.read(from: &r), r.isAtEnd else {
            throw .unreadable(path: path, reason: "its state is malformed")
        }
        self.init(
            config: h.config, steps: h.steps, completedEpochs: h.completedEpochs, trainCount: h.trainCount,
            trainChecksum: trainChecksum, digest: digest, metadata: h.metadata, state: state)
    }

    private static func foreign(_ path: String) -> CheckpointError {
        .unreadable(path: path, reason: "it is not a dlboard checkpoint")
    }

    /// Writes `directory/dlboard.ckpt` atomically (the directory is made if missing): the bytes go
    /// to a temporary file beside it, which is synced and then renamed over the old one, and the
    /// directory is synced; a crash at any point leaves the old checkpoint or the new one whole.
    public func write(toDirectory directory: String) throws(CheckpointError) {
        let path = Self.path(inDirectory: directory)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .unwritable(path: path, reason: "cannot make the directory '\(directory)'")
        }
        Self.removeStaleTemporaries(in: directory)
        let temporary = directory + "/" + Self.temporaryPrefix + String(getpid())
        let bytes = encoded()
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .unwritable(path: path, reason: Self.lastError()) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let reason = Self.lastError()
                close(fd)
                unlink(temporary)
                throw .unwritable(path: path, reason: reason)
            }
            written += n
        }
        guard fsync(fd) == 0 else {
            let reason = Self.lastError()
            close(fd)
            unlink(temporary)
            throw .unwritable(path: path, reason: reason)
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let reason = Self.lastError()
            unlink(temporary)
            throw .unwritable(path: path, reason: reason)
        }
        // The rename is durable once the directory entry is; a directory that cannot be opened for
        // it (some file systems) still holds a whole file.
        let dir = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 {
            fsync(dir)
            close(dir)
        }
    }

    /// Reads `directory/dlboard.ckpt`.
    public static func read(fromDirectory directory: String) throws(CheckpointError) -> TrainerCheckpoint {
        let path = Self.path(inDirectory: directory)
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "it cannot be opened" : "there is no such file"
            throw .unreadable(path: path, reason: reason)
        }
        return try TrainerCheckpoint(decoding: [UInt8](data), path: path)
    }

    /// `directory/dlboard.ckpt`.
    public static func path(inDirectory directory: String) -> String {
        (directory.hasSuffix("/") ? directory : directory + "/") + fileName
    }

    /// What a write's temporary file is called (then the writer's process id): a leftover one is a
    /// write that did not finish, and no reader looks at it.
    public static let temporaryPrefix = ".dlboard.ckpt.tmp-"

    /// Removes the temporary files in `directory` of writers that died mid-write (kill -9): each is
    /// a whole checkpoint's size, and a scheduler that kills and restarts trials would pile them up.
    /// Only a file whose process id names no live process goes; another writer's file, while it
    /// lives, is left alone. (A writer in another pid namespace sharing the directory would look
    /// dead: give such writers directories of their own.)
    static func removeStaleTemporaries(in directory: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        let own = getpid()
        for name in names where name.hasPrefix(temporaryPrefix) {
            let digits = name.dropFirst(temporaryPrefix.count)
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let pid = Int32(digits),
                pid > 0, pid != own
            else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH { unlink(directory + "/" + name) }
        }
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}
