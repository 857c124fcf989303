import Foundation

/// `dlboard trial --paced`: after each evaluation the trial waits for one line on standard input —
/// the driver's go-ahead once it has reported that result — so the trial never trains past the
/// last result its scheduler has seen. End of input means stop.
///
/// The wait polls (poll(2), 100 ms at a time) and checks the stop request between polls: a
/// SIGTERM while waiting ends the trial within that time, never after a blocking read returns.
struct TrialPacer {
    enum Wake: Equatable {
        /// A line came: train on.
        case line
        /// Standard input ended (or cannot be read): the driver is gone or done.
        case endOfInput
        /// A stop was requested while waiting (`StopSignal`).
        case stopped
    }

    let descriptor: Int32
    /// Bytes read past the last line taken (a driver may write several go-aheads at once).
    private var buffered: [UInt8] = []
    private var ended = false
    /// A go-ahead is a short line; a longer one is taken as a line once this much has come.
    static let longestLine = 1 << 16

    init(descriptor: Int32 = STDIN_FILENO) { self.descriptor = descriptor }

    mutating func awaitLine(stop: StopSignal) -> Wake {
        while true {
            if let newline = buffered.firstIndex(of: 0x0A) {
                buffered.removeSubrange(...newline)
                return .line
            }
            if buffered.count >= Self.longestLine {
                buffered.removeAll()
                return .line
            }
            if ended { return .endOfInput }
            if stop.isRequested { return .stopped }
            var p = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, 100)
            if ready < 0 {
                if errno != EINTR { ended = true }
                continue
            }
            guard ready > 0 else { continue }
            // Readable, hung up or in error: a read says which (0 is the end, as is an error).
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = read(descriptor, &chunk, chunk.count)
            if n > 0 {
                buffered.append(contentsOf: chunk[0..<n])
            } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                ended = true
            }
        }
    }
}
