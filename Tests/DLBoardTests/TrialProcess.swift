import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A `dlboard` child the test talks to while it runs, as a scheduler does with `dlboard trial`: its
/// stdin a pipe the test writes lines to (or closes), its stdout and stderr files the test reads as
/// they grow, signals sent to its pid, and every wait under a deadline (SIGKILL at the end of it).
final class TrialProcess {
    let pid: pid_t
    private var input: Int32
    private let outPath: String
    private let errPath: String
    private var status: Int32?

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    init(_ arguments: [String]) throws {
        let tag = UUID().uuidString
        outPath = NSTemporaryDirectory() + "dlboard-trial-out-\(tag)"
        errPath = NSTemporaryDirectory() + "dlboard-trial-err-\(tag)"
        // A write to a child that has already ended must be an EPIPE here, not the test run's death.
        Glibc.signal(SIGPIPE, SIG_IGN)
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw SpawnError(description: "pipe failed: \(errno)") }
        // The test's end must not leak into the child (it would never see end of input).
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
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
        var env = ProcessInfo.processInfo.environment
        env["SWIFT_BACKTRACE"] = "enable=no"
        let path = BinaryRunner.executable.path
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var child: pid_t = 0
        let rc = posix_spawn(&child, path, &actions, &attributes, argv, envp)
        close(fds[0])
        guard rc == 0 else {
            close(fds[1])
            throw SpawnError(description: "cannot run \(path): \(String(cString: strerror(rc)))")
        }
        pid = child
        input = fds[1]
    }

    deinit {
        if status == nil {
            kill(pid, SIGKILL)
            _ = wait(timeout: 10)
        }
        closeInput()
        unlink(outPath)
        unlink(errPath)
    }

    var stdout: String { String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self) }
    var stderr: String { String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self) }
    var stdoutLines: [Substring] { stdout.split(separator: "\n") }

    /// Writes `text` to the child's stdin.
    func write(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(input, $0.baseAddress!, $0.count) }
    }

    func closeInput() {
        if input >= 0 { close(input) }
        input = -1
    }

    func signal(_ sig: Int32) { kill(pid, sig) }

    /// Waits until stdout has at least `count` complete lines; false at the deadline or when the
    /// child has ended without them.
    @discardableResult
    func waitForLines(_ count: Int, timeout: TimeInterval = 60) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if stdout.filter({ $0 == "\n" }).count >= count { return true }
            if status == nil, poll() != nil { return stdout.filter({ $0 == "\n" }).count >= count }
            usleep(10_000)
        }
        return false
    }

    /// The exit status once ended (128 + n for a signal), nil while running.
    private func poll() -> Int32? {
        if let status { return status }
        var raw: Int32 = 0
        guard waitpid(pid, &raw, WNOHANG) == pid else { return nil }
        let signalled = (raw & 0x7F) != 0 && (raw & 0x7F) != 0x7F
        status = signalled ? 128 + (raw & 0x7F) : (raw >> 8) & 0xFF
        return status
    }

    /// Waits for the exit; nil at the deadline (the child is then killed).
    func wait(timeout: TimeInterval = 60) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let s = poll() { return s }
            usleep(5_000)
        }
        kill(pid, SIGKILL)
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        status = -1
        return nil
    }
}
