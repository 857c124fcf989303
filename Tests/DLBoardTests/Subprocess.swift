import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a child process for the tests with `posix_spawn` + `waitpid`, always under a deadline.
///
/// Why not Foundation's `Process`: on Linux its `waitUntilExit()` can hang for ever when a child exits
/// very quickly under load (seen here: a `tmux new-session -d` client left as a zombie, the test
/// process waiting on it, CI running out of time). Here the test owns the wait: `waitpid` on the
/// child's own pid, polled, with SIGKILL at the deadline.
///
/// Output goes to temporary files rather than pipes, so a grandchild that outlives the child (the
/// tmux server) can never hold a pipe open, and every descriptor above stderr is closed in the child.
enum Subprocess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// The child ended by a signal (a trap, a crash, or our kill at the deadline).
        var crashed: Bool
        var timedOut: Bool
        var stderrLines: [Substring] { stderr.split(separator: "\n") }
    }

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    /// glibc ≥ 2.34 has `posix_spawn_file_actions_addclosefrom_np`, but Swift's Glibc module does not
    /// import it; look it up at run time.
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let closeFromAction: CloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        else { return nil }
        return unsafeBitCast(symbol, to: CloseFrom.self)
    }()

    static func run(
        _ path: String, _ arguments: [String], environment: [String: String]? = nil,
        captureOutput: Bool = true, timeout: TimeInterval
    ) throws -> Result {
        let tag = UUID().uuidString
        let outPath = captureOutput ? NSTemporaryDirectory() + "dlboard-out-\(tag)" : "/dev/null"
        let errPath = captureOutput ? NSTemporaryDirectory() + "dlboard-err-\(tag)" : "/dev/null"
        defer {
            if captureOutput {
                unlink(outPath)
                unlink(errPath)
            }
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if let closeFrom = closeFromAction { _ = closeFrom(&actions, 3) }

        // The calling thread may be a Dispatch worker with signals blocked; the child must start with
        // an empty mask and default dispositions, as it would from a shell.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        var all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let env = environment ?? ProcessInfo.processInfo.environment
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw SpawnError(description: "cannot run \(path): \(String(cString: strerror(rc)))") }

        var status: Int32 = 0
        var timedOut = false
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { throw SpawnError(description: "waitpid failed for \(path): \(errno)") }
            if Date() >= deadline {
                timedOut = true
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                break
            }
            usleep(5_000)
        }

        let signalled = (status & 0x7F) != 0 && (status & 0x7F) != 0x7F
        let exitCode = signalled ? 128 + (status & 0x7F) : (status >> 8) & 0xFF
        func read(_ p: String) -> String {
            captureOutput ? String(decoding: FileManager.default.contents(atPath: p) ?? Data(), as: UTF8.self) : ""
        }
        return Result(
            status: exitCode, stdout: read(outPath), stderr: read(errPath), crashed: signalled, timedOut: timedOut)
    }
}
