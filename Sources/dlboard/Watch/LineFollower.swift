import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Follows one growing file by its size: `poll()` stats it and reads only the bytes appended since
/// the last read, handing back the complete lines among them. A partial last line (the writer is
/// in the middle of it) stays unread until its newline arrives. A file that shrank below what was
/// read, or was replaced by another (a new inode: rotated, rewritten by rename), is read again from
/// its start, and `poll` says so, so the caller forgets what it had from the file.
struct LineFollower {
    enum Change: Equatable {
        /// Complete lines appended since the last poll (none when only a partial line grew).
        case appended([Data])
        /// The file was truncated or replaced: these are its complete lines from the start.
        case restarted([Data])
    }

    let path: String
    /// Bytes consumed: the end of the last complete line read.
    private(set) var offset: Int64 = 0
    /// How far the file has been read, a partial last line included.
    private var scanned: Int64 = 0
    private var size: Int64 = -1
    private var device: UInt64 = 0
    private var inode: UInt64 = 0
    private var modified = timespec()

    /// The most read in one poll: a huge file already there is taken in pieces over a few polls
    /// rather than at once, so one file never holds up the others for long.
    static let chunkLimit: Int64 = 8 << 20

    init(path: String) { self.path = path }

    /// Whether the file is still there (a failed stat leaves the follower as it was: the file may be
    /// between a writer's rename steps).
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// nil: nothing new (the common case costs one stat).
    mutating func poll() -> Change? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let newSize = Int64(info.st_size)
        let replaced = size >= 0 && (UInt64(info.st_dev) != device || UInt64(info.st_ino) != inode)
        let unchanged =
            !replaced && newSize == size && info.st_mtim.tv_sec == modified.tv_sec
            && info.st_mtim.tv_nsec == modified.tv_nsec
        if unchanged && scanned >= newSize { return nil }
        let restart = replaced || newSize < offset
        if restart {
            offset = 0
            scanned = 0
        }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = newSize
        modified = info.st_mtim
        let lines = readLines(upTo: newSize)
        if restart { return .restarted(lines) }
        return lines.isEmpty ? nil : .appended(lines)
    }

    /// The complete lines between `offset` and `end` (at most `chunkLimit` bytes of them).
    private mutating func readLines(upTo end: Int64) -> [Data] {
        let want = min(end - offset, Self.chunkLimit)
        guard want > 0 else { return [] }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: Int(want))
        var got = 0
        while got < bytes.count {
            let n = bytes.withUnsafeMutableBytes {
                pread(fd, $0.baseAddress! + got, $0.count - got, off_t(offset) + off_t(got))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            got += n
        }
        scanned = offset + Int64(got)
        guard let lastNewline = bytes[..<got].lastIndex(of: 0x0A) else {
            // A single line longer than a chunk can never complete within one: skip what was read
            // of it (the rest is then skipped as garbage up to its newline).
            if Int64(got) == Self.chunkLimit { offset += Int64(got) }
            return []
        }
        var lines: [Data] = []
        var start = 0
        for i in 0...lastNewline where bytes[i] == 0x0A {
            if i > start { lines.append(Data(bytes[start..<i])) }
            start = i + 1
        }
        offset += Int64(lastNewline + 1)
        return lines
    }
}
