import Foundation

/// Writes an export file where the user pointed, atomically. A symlink is followed and its target
/// written (the link stays); what is not a regular file — a FIFO, a device such as /dev/full, a
/// folder — is refused, as is the run record being exported (same device and inode, so also through
/// a link or a hard link). The bytes go to a temporary file in the target's own folder (the same file
/// system, so the rename is atomic), get the existing file's mode and owner, and are renamed over it:
/// a failed export (disk full, a kill) leaves the old file whole and never a torn one.
struct ExportFileWriter {
    /// The flag errors name (`--csv`, `--tensorboard`).
    var flag: String
    /// The file being exported, which no output may replace.
    var input: FileID?

    /// A file's identity: the same file under any name.
    struct FileID: Equatable {
        var device: UInt64
        var inode: UInt64

        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }

        /// The file at `path`, links followed; nil when there is none.
        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            self.init(info)
        }
    }

    func write(_ data: Data, to path: String) throws(ExportError) {
        func failure(_ reason: String) -> ExportError { ExportError("\(flag): cannot write '\(path)': \(reason)") }
        func systemFailure() -> ExportError { failure(String(cString: strerror(errno))) }
        let target = try resolvingLinks(path)
        var info = stat()
        let exists = stat(target, &info) == 0
        if !exists && errno != ENOENT { throw systemFailure() }
        if exists {
            let type = info.st_mode & S_IFMT
            guard type == S_IFREG else {
                throw failure("it is \(Self.describe(type)), not a regular file (an export writes a new file)")
            }
            if let input, input == FileID(info) {
                throw failure("it is the run record being exported; give another output file")
            }
        }
        var template = Array("\(Self.folder(of: target))/.\(Self.name(of: target)).XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw systemFailure() }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var written = false
        defer {
            if !written { unlink(temporary) }
        }
        let mode: mode_t
        if exists {
            mode = info.st_mode & 0o7777
            _ = fchown(fd, info.st_uid, info.st_gid)  // kept when allowed (root); otherwise ours
        } else {
            let mask = umask(0)
            umask(mask)
            mode = 0o666 & ~mask
        }
        var ok = fchmod(fd, mode) == 0
        ok =
            ok
            && data.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else { return false }
                    offset += n
                }
                return true
            }
        ok = ok && fsync(fd) == 0
        let error = ok ? nil : systemFailure()
        ok = (close(fd) == 0) && ok
        if let error { throw error }
        guard ok else { throw systemFailure() }
        guard rename(temporary, target) == 0 else { throw systemFailure() }
        written = true
    }

    /// `path` with every symlink at its end followed (a relative link is relative to its folder);
    /// a dangling link resolves to the file it names, which the export then creates.
    func resolvingLinks(_ path: String) throws(ExportError) -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n >= 0 else {
                throw ExportError("\(flag): cannot follow the link '\(current)': \(String(cString: strerror(errno)))")
            }
            let link = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : Self.folder(of: current) + "/" + link
        }
        throw ExportError("\(flag): cannot write '\(path)': \(String(cString: strerror(ELOOP)))")
    }

    /// The folder part of `path`, "." when it has none. By hand: NSString's
    /// `deletingLastPathComponent` traps on a one-character name without a folder (`--csv a`).
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The last component of `path` (all of it when it has no folder).
    static func name(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }

    static func describe(_ type: mode_t) -> String {
        switch type {
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFDIR: "a folder"
        case S_IFSOCK: "a socket"
        default: "a special file"
        }
    }
}
