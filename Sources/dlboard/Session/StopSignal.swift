import Foundation
import Synchronization

/// Whether, and why, the process was asked to stop before the end of its work. Every loop that trains
/// or draws polls it between steps or frames and then ends the same clean way: training stops after
/// the current step, the run record gets every line and its summary, the terminal is restored.
///
/// Causes, and the exit status each gives (documented in the README):
/// - a stop signal — Ctrl-C (SIGINT), SIGTERM, SIGHUP (the terminal closed, `tmux kill-session`),
///   Ctrl-\ (SIGQUIT): 130, "interrupted", one status for every way of interrupting;
/// - standard output gone (the reader of a pipe quit, `| head -1`): 141, as a shell reports a
///   process killed by SIGPIPE; the record says "stdout closed". SIGPIPE itself is ignored for the
///   whole process (`DLBoard.main`), so a closed pipe is an EPIPE write error, never a silent kill.
/// - `dlboard trial` alone reads SIGTERM as a scheduler's normal end of a trial (`isTermination`):
///   "terminated", exit 0.
///
/// One per process (`install()` returns the same object): the handlers are installed before the
/// screen opens and a stop, once asked for, stays asked for.
final class StopSignal: Sendable {
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// The signal number that asked for the stop (SIGPIPE: standard output gone), 0 while none did.
    private let cause = Atomic<Int32>(0)
    /// Keeps the dispatch sources alive for the life of the process; created and resumed inside the
    /// lock so they never leave its isolation.
    private let sources = Mutex<[any DispatchSourceSignal]>([])

    /// The stop request of this process, without installing the handlers.
    static let process = StopSignal()

    /// Installs the handlers (once) and returns the process's stop request.
    static func install() -> StopSignal {
        let s = process
        s.sources.withLock { sources in
            guard sources.isEmpty else { return }
            for sig in signals {
                // Ignored as a signal, seen by the dispatch source: no default action (a kill for
                // SIGHUP, a core dump and the Swift crash report over the screen for SIGQUIT).
                let previous = Glibc.signal(sig, SIG_IGN)
                // `nohup dlboard …` (SIGHUP ignored from the start) must train on when its terminal
                // closes. (SIGINT and SIGQUIT, which a shell without job control ignores for
                // background commands, stay ours: `kill -INT` of such a run has always stopped it.)
                if sig == SIGHUP && Self.isIgnore(previous) { continue }
                let src = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                // @Sendable: without it the closure is inferred main-actor isolated, and Swift 6's
                // runtime isolation check traps when the source fires on the global queue.
                src.setEventHandler { @Sendable in s.request(sig) }
                src.resume()
                sources.append(src)
            }
        }
        return s
    }

    private static func isIgnore(_ handler: __sighandler_t?) -> Bool {
        guard let handler else { return false }
        return unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    /// Whether a stop was asked for. Also notices a standard output whose reader is gone before the
    /// next line would be written to it (a run printing once per epoch would otherwise train on for
    /// a whole epoch for nobody).
    var isRequested: Bool {
        if cause.load(ordering: .relaxed) != 0 { return true }
        if Console.outputIsGone() { request(SIGPIPE) }
        return cause.load(ordering: .relaxed) != 0
    }

    /// Asks for a stop (the first cause is kept).
    func request(_ signal: Int32) {
        _ = cause.compareExchange(expected: 0, desired: signal, ordering: .relaxed)
    }

    /// The signal that asked for the stop; nil while none did.
    var stoppedBy: Int32? {
        let c = cause.load(ordering: .relaxed)
        return c == 0 ? nil : c
    }

    /// What the run record's summary says (`"stopped"`).
    var recordReason: StopReason { stoppedBy == SIGPIPE ? .stdoutClosed : .interrupted }

    /// The process exit status after a stop.
    var exitStatus: Int32 { stoppedBy == SIGPIPE ? 141 : 130 }

    /// SIGTERM asked for the stop: how schedulers (Ray Tune, Slurm) end a trial they are done with,
    /// so `dlboard trial` ends it as a normal end ("terminated", exit 0) rather than an interruption.
    var isTermination: Bool { stoppedBy == SIGTERM }
}
