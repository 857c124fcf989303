import Foundation
import Testing

/// Two presses of one key reach the real dashboard in one read (one tmux send-keys call, so both
/// are waiting when the frame drains its keys): both count, on the screen and in the run record.
/// Needs tmux (installed by .ci/run).
@Suite(.serialized) struct KeyIntentTmuxTests {
    /// One tmux server per test, on its own socket, killed at the end: nothing outlives the test.
    final class Tmux {
        let session = "dlboard-intents"
        let socket = "dlboard-intents-\(UUID().uuidString.prefix(8))"
        static let path = ["/usr/bin/tmux", "/usr/local/bin/tmux"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }

        /// Runs a tmux client command (never longer than 20 s) and returns what it printed.
        @discardableResult
        func run(_ args: [String]) -> String {
            guard let tmux = Self.path else { return "" }
            return (try? Subprocess.run(tmux, ["-L", socket] + args, timeout: 20).stdout) ?? ""
        }

        func start(width: Int, height: Int, command: String) {
            run(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", command])
        }

        func screen() -> String { run(["capture-pane", "-p", "-t", session]) }
        /// Every key of one call is written to the terminal at once.
        func keys(_ k: String...) { run(["send-keys", "-t", session] + k) }
        func kill() { run(["kill-server"]) }

        /// Waits until the screen contains `text`; returns the screen (recording an issue on timeout).
        @discardableResult
        func waitFor(_ text: String, seconds: Double = 30, sourceLocation: SourceLocation = #_sourceLocation) -> String
        {
            let deadline = Date().addingTimeInterval(seconds)
            var s = ""
            while Date() < deadline {
                s = screen()
                if s.contains(text) { return s }
                usleep(100_000)
            }
            Issue.record("screen never showed '\(text)':\n\(s)", sourceLocation: sourceLocation)
            return s
        }
    }

    /// Sanitizer options pass into the pane explicitly: a tmux server started elsewhere would not
    /// have them in its environment.
    static var sanitizerEnvironment: String {
        ProcessInfo.processInfo.environment["TSAN_OPTIONS"].map { "TSAN_OPTIONS='\($0)' " } ?? ""
    }

    /// The shell command run in a pane: dlboard with `args` in a UTF-8 256-colour terminal, then its
    /// exit status, then a pause so the screen can be read.
    func dlboard(_ args: String) -> String {
        "env LANG=C.UTF-8 TERM=tmux-256color SWIFT_BACKTRACE=enable=no \(Self.sanitizerEnvironment)'\(BinaryRunner.executable.path)' \(args); echo \"EXIT=$?\"; sleep 60"
    }

    /// The run record's events, in order: (kind, from, to, marker label).
    func events(_ path: String) -> [[String]] {
        let lines = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n")
        return lines.compactMap { line in
            guard let r = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                r["type"] as? String == "event"
            else { return nil }
            return ["kind", "from", "to", "what"].map { r[$0] as? String ?? "-" }
        }
    }

    @Test func doublePressesInOneFrameBothCount() throws {
        try #require(Tmux.path != nil, "tmux is not installed")
        let t = Tmux()
        defer { t.kill() }
        let log = NSTemporaryDirectory() + "dlboard-intents-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: log) }
        // Paused: no step runs between the keys, so nothing but the keys changes the settings.
        t.start(
            width: 120, height: 40,
            command: dlboard("--paused --train-size 3000 --hidden 50,50 --metrics-out '\(log)'"))
        let start = t.waitFor("SGD lr 0.01 │ init He │ BN off")
        #expect(start.contains("paused"))
        t.keys("b", "b")
        t.keys("+", "+")
        let lr = t.waitFor("SGD lr 0.1 │")
        #expect(lr.contains("│ BN off │"), "b b leaves BatchNorm off")
        t.keys("o", "o")
        let optimizer = t.waitFor("Nesterov lr 0.01 │")
        #expect(optimizer.contains("│ BN off │") && optimizer.contains("paused"))
        t.keys("q")
        t.waitFor("Quit dlboard?")
        t.keys("q")
        t.waitFor("EXIT=0")
        #expect(
            events(log) == [
                ["batchnorm", "off", "on", "+BN"], ["batchnorm", "on", "off", "−BN"],
                ["lr", "0.01", "0.032", "lr 0.032"], ["lr", "0.032", "0.1", "lr 0.1"],
                ["optimizer", "sgd", "momentum", "→ Momentum"], ["optimizer", "momentum", "nesterov", "→ Nesterov"],
            ], "each press recorded as the change it made")
    }

    /// The run record's events with their runs: (run, kind, from, to).
    func runEvents(_ path: String) -> [[String]] {
        let lines = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n")
        return lines.compactMap { line in
            guard let r = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                r["type"] as? String == "event"
            else { return nil }
            return [(r["run"] as? Int).map(String.init) ?? "-"]
                + ["kind", "from", "to"].map { r[$0] as? String ?? "-" }
        }
    }

    /// F then b in one read: the b switches the fork, which has the focus at once, and not its parent.
    @Test func aSwitchTypedWithTheForkGoesToTheFork() throws {
        try #require(Tmux.path != nil, "tmux is not installed")
        let t = Tmux()
        defer { t.kill() }
        let log = NSTemporaryDirectory() + "dlboard-fork-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: log) }
        t.start(
            width: 120, height: 40,
            command: dlboard("--paused --train-size 3000 --hidden 50,50 --metrics-out '\(log)'"))
        t.waitFor("SGD lr 0.01 │ init He │ BN off")
        t.keys("F", "b")
        let forked = t.waitFor("▸ 2 · BN on (fork @0)")
        #expect(forked.contains("1 · BN off"), "the parent keeps BatchNorm off")
        #expect(!forked.contains("▸ 1"), "the fork has the focus")
        #expect(forked.contains("│ BN on │"), "and its status bar shows the switch")
        t.keys("q")
        t.waitFor("Quit dlboard?")
        t.keys("q")
        t.waitFor("EXIT=0")
        #expect(
            runEvents(log) == [
                ["0", "fork", "-", "1"], ["1", "forked", "0", "-"], ["1", "batchnorm", "off", "on"],
            ], "the switch is recorded on the fork's run")
    }
}
