import Foundation
import Synchronization

/// Puts the terminal back when dlboard crashes while a full-screen view is up: a trap (a Swift
/// runtime error), an abort or a segfault would otherwise leave the shell on the alternate screen,
/// without echo, the crash report drawn into whatever the dashboard showed.
///
/// While armed (from just after the screen opened until it closes), the first fatal signal restores
/// the terminal settings the shell had (saved at start-up) and leaves the alternate screen, then hands
/// the signal on to whoever handled it before — the Swift crash reporter, or the default action — so
/// the report lands on the normal screen and the exit status is the crash's own. Only
/// async-signal-safe calls (tcsetattr, write, sigaction, raise) run in the handler, on memory
/// allocated beforehand. Curses itself is never called here: the escape sequences are the
/// xterm-family ones (tmux, screen, xterm, VTE, rxvt-unicode all leave the alternate screen with
/// them; a terminal without one ignores them).
enum TerminalGuard {
    static let fatalSignals: [Int32] = [SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV]

    private static let armed = Atomic<Bool>(false)
    private static let hasOriginal = Atomic<Bool>(false)
    private static let installed = Mutex<Bool>(false)
    /// The terminal settings before curses, and the handlers before ours (indexed by signal number).
    /// Why `nonisolated(unsafe)` is safe: the pointers themselves never change; `original` is written
    /// once at start-up before any screen (or handler) exists, `previous` only inside `installed`'s
    /// lock before the handlers that read it are live, and the handler only reads them.
    private nonisolated(unsafe) static let original = UnsafeMutablePointer<termios>.allocate(capacity: 1)
    private nonisolated(unsafe) static let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)

    /// Saves the terminal settings as the shell left them; call before any screen opens.
    static func rememberTerminal() {
        guard isatty(STDIN_FILENO) == 1, tcgetattr(STDIN_FILENO, original) == 0 else { return }
        hasOriginal.store(true, ordering: .relaxed)
    }

    /// From now until `disarm()`, a crash restores the terminal first.
    static func arm() {
        installed.withLock { done in
            guard !done else { return }
            done = true
            for sig in fatalSignals {
                var action = sigaction()
                action.__sigaction_handler.sa_sigaction = handler
                sigemptyset(&action.sa_mask)
                // SA_ONSTACK: a stack overflow must still reach the handler (on the crash reporter's
                // alternate stack, when there is one).
                action.sa_flags = SA_SIGINFO | SA_ONSTACK
                // The previous handler is saved before ours can run and read it.
                sigaction(sig, nil, previous + Int(sig))
                sigaction(sig, &action, nil)
            }
        }
        armed.store(true, ordering: .relaxed)
    }

    static func disarm() { armed.store(false, ordering: .relaxed) }

    private static let handler:
        @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void = { sig, info, _ in
            if TerminalGuard.armed.exchange(false, ordering: .relaxed) {
                if TerminalGuard.hasOriginal.load(ordering: .relaxed) {
                    tcsetattr(STDIN_FILENO, TCSANOW, TerminalGuard.original)
                }
                let restore: StaticString = "\u{1b}[0m\u{1b}[?25h\u{1b}[?1049l\r\n"
                _ = write(STDOUT_FILENO, restore.utf8Start, restore.utf8CodeUnitCount)
            }
            sigaction(sig, TerminalGuard.previous + Int(sig), nil)
            // A fault raised by the CPU (si_code > 0) happens again when the handler returns, now with
            // the previous handler and the genuine context; a sent one (abort, kill) is sent again.
            if (info?.pointee.si_code ?? 0) <= 0 { raise(sig) }
        }
}
