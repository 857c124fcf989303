import Foundation
import Synchronization

/// The standard streams, written so that neither a closed pipe nor a hung-up terminal can trap or
/// kill dlboard. SIGPIPE is ignored for the whole process (a closed pipe must not cost the run record),
/// and then `FileHandle.write` traps on the EPIPE it gets: every message to stderr goes through
/// `error(_:)` instead, and every line a run prints through `say(_:)`.
enum Console {
    private static let outputClosed = Atomic<Bool>(false)

    /// Standard output is a pipe or a socket: the kinds whose reader can go away while we write.
    /// (A hung-up terminal also polls as an error, but that is SIGHUP's business.)
    private static let outputCanClose: Bool = {
        var info = stat()
        guard fstat(STDOUT_FILENO, &info) == 0 else { return false }
        let type = info.st_mode & S_IFMT
        return type == S_IFIFO || type == S_IFSOCK
    }()

    /// One line on stdout, flushed at once (stdout is block-buffered when piped; show each line as it
    /// happens). Once the reader is gone nothing more is printed, and the stop request learns why.
    static func say(_ line: String) {
        guard !outputClosed.load(ordering: .relaxed) else { return }
        print(line)
        if fflush(nil) != 0 && errno == EPIPE { noteOutputClosed() }
    }

    /// A message on stderr, whole, with one write(2); errors are dropped (there is nowhere left to
    /// report them).
    static func error(_ line: String) {
        var bytes = Array(line.utf8)
        if bytes.last != 0x0A { bytes.append(0x0A) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            offset += n
        }
    }

    /// Whether standard output's reader is gone: a write failed with EPIPE, or a pipe/socket polls
    /// as an error (its reader closed it) before the next line would be written.
    static func outputIsGone() -> Bool {
        if outputClosed.load(ordering: .relaxed) { return true }
        guard outputCanClose else { return false }
        var p = pollfd(fd: STDOUT_FILENO, events: Int16(POLLOUT), revents: 0)
        if poll(&p, 1, 0) == 1 && p.revents & Int16(POLLERR) != 0 { noteOutputClosed() }
        return outputClosed.load(ordering: .relaxed)
    }

    private static func noteOutputClosed() {
        outputClosed.store(true, ordering: .relaxed)
        StopSignal.process.request(SIGPIPE)
    }
}
