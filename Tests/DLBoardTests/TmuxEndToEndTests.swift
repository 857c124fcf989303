import Foundation
import Testing

/// The real binary in a real terminal (tmux), driven by keys as a person would, asserting on the
/// captured screen. Needs tmux (installed by .ci/run).
@Suite(.serialized) struct TmuxEndToEndTests {
    /// One tmux server per test, on its own socket, killed at the end: nothing outlives the test.
    final class Tmux {
        let session = "dlboard-test"
        let socket = "dlboard-test-\(UUID().uuidString.prefix(8))"
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
        func keys(_ k: String...) { run(["send-keys", "-t", session] + k) }
        func kill() {
            run(["kill-server"])
            for f in temporaryFiles { try? FileManager.default.removeItem(atPath: f) }
        }

        /// Files this test's dashboards recorded to, removed by `kill()`.
        private var temporaryFiles: [String] = []

        /// The key tests' dashboard: paused, 3,000 images, 784-50-50-10, at 120×40, recording to a
        /// temporary file (removed by `kill()`) whose path it returns.
        func startPausedDashboard(_ extraArguments: String = "") -> String {
            let log = NSTemporaryDirectory() + "dlboard-tmux-\(UUID().uuidString).jsonl"
            temporaryFiles.append(log)
            let arguments = ["--paused", extraArguments, "--train-size 3000 --hidden 50,50 --metrics-out '\(log)'"]
            start(
                width: 120, height: 40,
                command: TmuxEndToEndTests().dlboard(arguments.filter { !$0.isEmpty }.joined(separator: " ")))
            return log
        }

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

    static var tmuxAvailable: Bool { Tmux.path != nil }

    /// Sanitizer options pass into the pane explicitly: a tmux server started elsewhere would not
    /// have them in its environment.
    static var sanitizerEnvironment: String {
        ProcessInfo.processInfo.environment["TSAN_OPTIONS"].map { "TSAN_OPTIONS='\($0)' " } ?? ""
    }

    /// The dashboard on 3,000 bundled images.
    func command(_ extra: String = "") -> String { dlboard("--train-size 3000 --hidden 50,50 \(extra)") }

    /// The shell command run in a pane: dlboard with `args` in a UTF-8 256-colour terminal, then its
    /// exit status, then a pause so the screen can be read.
    func dlboard(_ args: String) -> String {
        "env LANG=C.UTF-8 TERM=tmux-256color SWIFT_BACKTRACE=enable=no \(Self.sanitizerEnvironment)'\(BinaryRunner.executable.path)' \(args); echo \"EXIT=$?\"; sleep 60"
    }

    func switchAndQuit(width: Int, height: Int, resizeTo: (Int, Int)? = nil) throws {
        try #require(Self.tmuxAvailable, "tmux is not installed")
        let t = Tmux()
        defer { t.kill() }
        t.start(width: width, height: height, command: command())
        t.waitFor("samples/s")
        t.waitFor("step 3")
        #expect(t.screen().contains("loss"))
        t.keys("o")
        t.waitFor("Momentum lr 0.01")
        t.keys("b")
        t.waitFor("BN on")
        t.keys("d")
        t.waitFor("dropout 0.2")
        t.keys("+")
        t.waitFor("lr 0.032")
        if let (w, h) = resizeTo {
            t.run(["resize-window", "-t", t.session, "-x", "\(w)", "-y", "\(h)"])
            usleep(500_000)
            t.waitFor("Momentum lr 0.032")
        }
        t.keys("Space")
        let paused = t.waitFor("paused")
        #expect(paused.contains("→ Momentum"), "marker of the optimizer switch")
        #expect(paused.contains("+BN"), "marker of the BatchNorm switch")
        #expect(
            paused.contains("⠀") || paused.contains { ("\u{2801}"..."\u{28FF}").contains($0) }, "braille curves drawn")
        t.keys("q")
        t.waitFor("Quit dlboard?")
        t.keys("q")
        let after = t.waitFor("EXIT=0")
        #expect(after.contains("dlboard: stopped at step"))
        #expect(!after.contains("space pause"), "the dashboard is gone: the shell screen is back")
    }

    @Test func switchesAt120x40() throws { try switchAndQuit(width: 120, height: 40) }

    @Test func switchesAt80x24() throws { try switchAndQuit(width: 80, height: 24) }

    @Test func survivesAResizeMidRun() throws { try switchAndQuit(width: 120, height: 40, resizeTo: (90, 28)) }

    @Test func tooSmallShowsANoticeAndCtrlCRestores() throws {
        try #require(Self.tmuxAvailable, "tmux is not installed")
        let t = Tmux()
        defer { t.kill() }
        t.start(width: 50, height: 12, command: command())
        t.waitFor("terminal too small (50×12)")
        t.run(["resize-window", "-t", t.session, "-x", "100", "-y", "30"])
        t.waitFor("samples/s")
        t.keys("C-c")
        let after = t.waitFor("EXIT=130")
        #expect(
            after.contains("dlboard: stopped at step"),
            "Ctrl-C restores the terminal and exits with the shell's interrupted status")
        #expect(!after.contains("error"))
    }

    @Test func sigtermRestoresTheTerminal() throws {
        try #require(Self.tmuxAvailable, "tmux is not installed")
        let t = Tmux()
        defer { t.kill() }
        t.start(width: 100, height: 30, command: command())
        t.waitFor("samples/s")
        let pid = t.run(["display-message", "-p", "-t", t.session, "#{pane_pid}"]).trimmingCharacters(
            in: .whitespacesAndNewlines)
        // The pane runs sh; dlboard is its child.
        let r = try Subprocess.run("/usr/bin/pkill", ["-TERM", "-P", pid, "dlboard"], timeout: 20)
        #expect(r.status == 0, "pkill found dlboard under the pane's shell")
        let after = t.waitFor("EXIT=130")
        #expect(after.contains("dlboard: stopped at step"))
        #expect(!after.contains("space pause"))
    }

    @Test func compareFocusesTogglesAndForks() throws {
        try #require(Self.tmuxAvailable, "tmux is not installed")
        let t = Tmux()
        defer { t.kill() }
        t.start(
            width: 120, height: 40,
            command: dlboard("compare --optimizers sgd,adam --train-size 3000 --hidden 50,50 --epochs 50"))
        let first = t.waitFor("2 runs in lock-step")
        #expect(
            first.contains("1 · SGD lr 0.01") && first.contains("2 · Adam lr 0.001"), "pane titles name what differs")
        t.waitFor("step 3")
        t.keys("Tab")
        t.waitFor("▸ 2 · Adam")
        t.keys("b")
        let toggled = t.waitFor("2 · Adam lr 0.001 BN on")
        #expect(toggled.contains("1 · SGD lr 0.01 BN off"), "the switch applied to the focused pane only")
        #expect(toggled.contains("+BN"), "the switch is marked on the curve")
        t.keys("F")
        let forked = t.waitFor("3 runs in lock-step")
        t.waitFor("(fork @")
        let after = t.waitFor("▸ 3 · Adam lr 0.001 BN on (fork @")
        #expect(after.contains("⑂"), "the fork point is marked at once")
        #expect(forked.contains("1 · SGD") && forked.contains("2 · Adam"))
        t.keys("q")
        t.waitFor("Quit dlboard?")
        t.keys("q")
        let end = t.waitFor("EXIT=0")
        #expect(end.contains("dlboard: stopped at step"))
        #expect(!end.contains("lock-step"), "the shell screen is back")
    }

    /// The shell command for a preset screen.
    func presetCommand(_ args: String) -> String { dlboard("preset " + args) }

    @Test func optimizerPathsAreSteerable() throws {
        try #require(Self.tmuxAvailable, "tmux is not installed")
        let t = Tmux()
        defer { t.kill() }
        t.start(width: 100, height: 30, command: presetCommand("optimizer-paths"))
        let s = t.waitFor("step 30/30")
        for title in ["SGD lr 0.95", "Momentum lr 0.1", "AdaGrad lr 1.5", "Adam lr 0.3"] { #expect(s.contains(title)) }
        t.keys("Tab", "o")
        t.waitFor("▸ Nesterov lr 0.01")
        t.keys("+")
        t.waitFor("▸ Nesterov lr 0.032")
        t.keys("Escape")
        usleep(300_000)
        #expect(!t.screen().contains("EXIT="), "Esc does not quit")
        t.keys("q")
        t.waitFor("Quit dlboard?")
        t.keys("q")
        let end = t.waitFor("EXIT=0")
        #expect(!end.contains("tab panel"), "the shell screen is back")
    }

    @Test func randomSearchRunsRoundsOnScreen() throws {
        try #require(Self.tmuxAvailable, "tmux is not installed")
        let t = Tmux()
        defer { t.kill() }
        t.start(width: 120, height: 36, command: presetCommand("random-search --trials 4 --epochs 2"))
        let done = t.waitFor("4/4 trials done", seconds: 60)
        #expect(done.contains("test set never used") && done.contains("lr × weight decay"))
        // The last trial is done a moment before the round is: n is refused until the screen says
        // it may be pressed (a busy machine made that moment long enough to hit).
        t.waitFor("n: next round, narrowed")
        t.keys("n")
        t.waitFor("round 2", seconds: 30)
        t.waitFor("8/8 trials done", seconds: 60)
        t.keys("q")
        t.waitFor("Quit dlboard?")
        t.keys("q")
        let end = t.waitFor("EXIT=0")
        #expect(end.contains("best trial val"))
    }

    @Test func noTerminalMeansHeadless() throws {
        // Output to a pipe: the line-per-epoch trainer runs instead of the dashboard.
        let r = try BinaryRunner.run(["--train-size", "500", "--hidden", "20", "--epochs", "2"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("training without the dashboard"))
        #expect(r.stdout.contains("done: 2 epochs"))
    }

    @Test func asciiWhenTheLocaleIsNotUTF8() throws {
        try #require(Self.tmuxAvailable, "tmux is not installed")
        let t = Tmux()
        defer { t.kill() }
        let exe = BinaryRunner.executable.path
        t.start(
            width: 100, height: 30,
            command:
                "env LANG=C LC_ALL=C TERM=tmux-256color NO_COLOR=1 \(Self.sanitizerEnvironment)'\(exe)' --train-size 3000 --hidden 50; echo \"EXIT=$?\"; sleep 60"
        )
        let s = t.waitFor("samples/s")
        #expect(s.contains(" | init He | BN off"), "ASCII separators")
        #expect(!s.contains { ("\u{2800}"..."\u{28FF}").contains($0) }, "no braille")
        t.keys("q", "q")
        t.waitFor("EXIT=0")
    }

    /// The last record of a run record file (its summary when the run ended cleanly).
    func lastRecord(_ path: String) -> [String: Any]? {
        let lines = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n")
        return lines.last.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// SIGHUP (what a closing terminal sends) stops the dashboard as SIGTERM does: terminal restored,
    /// exit 130, the record ends with its summary.
    @Test func sighupRestoresTheTerminalAndCompletesTheRecord() throws {
        try #require(Self.tmuxAvailable, "tmux is not installed")
        let t = Tmux()
        defer { t.kill() }
        let log = NSTemporaryDirectory() + "dlboard-hup-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: log) }
        t.start(width: 100, height: 30, command: command("--metrics-out '\(log)'"))
        t.waitFor("samples/s")
        let pid = t.run(["display-message", "-p", "-t", t.session, "#{pane_pid}"]).trimmingCharacters(
            in: .whitespacesAndNewlines)
        let r = try Subprocess.run("/usr/bin/pkill", ["-HUP", "-P", pid, "dlboard"], timeout: 20)
        #expect(r.status == 0, "pkill found dlboard under the pane's shell")
        let after = t.waitFor("EXIT=130")
        #expect(after.contains("dlboard: stopped at step"))
        #expect(!after.contains("space pause"), "the shell screen is back")
        let last = lastRecord(log)
        #expect(last?["type"] as? String == "summary" && last?["stopped"] as? String == "interrupted")
    }

    /// Ctrl-\ (SIGQUIT) restores the terminal and stops cleanly instead of dumping over the screen.
    @Test func ctrlBackslashRestoresTheTerminal() throws {
        try #require(Self.tmuxAvailable, "tmux is not installed")
        let t = Tmux()
        defer { t.kill() }
        t.start(width: 100, height: 30, command: command())
        t.waitFor("samples/s")
        t.keys("C-\\")
        let after = t.waitFor("EXIT=130")
        #expect(after.contains("dlboard: stopped at step"))
        #expect(!after.contains("space pause") && !after.contains("Quit"), "no core dump, the shell screen is back")
    }
}

// MARK: - Colour and locale on the real terminal

extension TmuxEndToEndTests {
    /// The pane with its escape sequences: colours and attributes as the terminal got them.
    func styledScreen(_ t: Tmux) -> StyledCapture {
        StyledCapture(t.run(["capture-pane", "-e", "-p", "-t", t.session]))
    }

    /// As `dlboard(_:)`, with `environment` (e.g. "TERM=xterm") after the defaults, so it wins.
    /// NO_COLOR is removed first: `swift test` sets it for the processes it starts, and the tmux
    /// server passes it on to the pane.
    func dlboard(_ args: String, environment: String) -> String {
        "env -u NO_COLOR LANG=C.UTF-8 TERM=tmux-256color SWIFT_BACKTRACE=enable=no \(environment) \(Self.sanitizerEnvironment)'\(BinaryRunner.executable.path)' \(args); echo \"EXIT=$?\"; sleep 60"
    }

    /// Polls the styled screen until `ready` holds; returns the last capture (an issue on timeout).
    @discardableResult
    func waitForStyled(
        _ t: Tmux, _ what: String, seconds: Double = 30, sourceLocation: SourceLocation = #_sourceLocation,
        _ ready: (StyledCapture) -> Bool
    ) -> StyledCapture {
        let deadline = Date().addingTimeInterval(seconds)
        var s = styledScreen(t)
        while Date() < deadline {
            if ready(s) { return s }
            usleep(200_000)
            s = styledScreen(t)
        }
        Issue.record(
            "screen never showed \(what):\n\(s.rows.indices.map(s.text).joined(separator: "\n"))",
            sourceLocation: sourceLocation)
        return s
    }

    func quit(_ t: Tmux, sourceLocation: SourceLocation = #_sourceLocation) {
        t.keys("q")
        t.waitFor("Quit dlboard?", sourceLocation: sourceLocation)
        t.keys("q")
        t.waitFor("EXIT=0", sourceLocation: sourceLocation)
    }

    /// The colours of the accuracy legend's two dots, once both curves are drawn in them.
    static func trainAndTest(_ s: StyledCapture) -> (train: String, test: String)? {
        guard case .some(let train?) = s.foreground(of: "● train"), case .some(let test?) = s.foreground(of: "● test"),
            train != test, (s.brailleColors[train] ?? 0) > 0, (s.brailleColors[test] ?? 0) > 0
        else { return nil }
        return (train, test)
    }

    /// On a 256-colour terminal the palette colours (38;5;N), on an 8-colour one only SGR 30–37.
    @Test(arguments: ["TERM=tmux-256color", "TERM=xterm", "TERM=screen"])
    func trainAndTestCurvesInTwoColours(term: String) throws {
        try #require(Self.tmuxAvailable, "tmux is not installed")
        let t = Tmux()
        defer { t.kill() }
        t.start(
            width: 120, height: 40, command: dlboard("--train-size 3000 --hidden 50,50 --epochs 50", environment: term))
        let s = waitForStyled(t, "train and test curves in two colours (\(term))") { Self.trainAndTest($0) != nil }
        let colours = Set(s.colorSequences)
        if term == "TERM=tmux-256color" {
            #expect(colours.contains { $0.hasPrefix("38;5;") }, "palette colours: \(colours.sorted())")
        } else {
            #expect(
                !colours.isEmpty && colours.allSatisfy { Int($0).map { (30...37).contains($0) } ?? false },
                "an 8-colour terminal gets SGR 30–37 only: \(colours.sorted())")
        }
        if let (train, test) = Self.trainAndTest(s) {
            let loss = s.brailleColors.keys.compactMap { $0 }.filter { $0 != train && $0 != test }
            #expect(!loss.isEmpty, "the loss curve has a colour of its own")
        }
        quit(t)
    }

    /// A record that cannot be written: the warning in red; healthy layers in green.
    @Test func logWarningAndVerdictsInColour() throws {
        try #require(Self.tmuxAvailable, "tmux is not installed")
        let t = Tmux()
        defer { t.kill() }
        t.start(
            width: 120, height: 40,
            command: dlboard("--train-size 3000 --hidden 50,50 --epochs 50 --metrics-out /dev/full", environment: ""))
        t.waitFor("log stopped")
        let s = waitForStyled(t, "a healthy layer") { ($0.foreground(of: "healthy") ?? nil) != nil }
        #expect(s.foreground(of: "⚠ log stopped") == .some("31"), "the warning is red")
        #expect(s.foreground(of: "healthy") == .some("32"), "a healthy layer is green")
        quit(t)
    }

    /// `compare` with four optimizers, overlay view: four colours, the legend's swatches in them.
    @Test(arguments: ["TERM=tmux-256color", "TERM=xterm"])
    func fourOverlaidRunsInFourColours(term: String) throws {
        try #require(Self.tmuxAvailable, "tmux is not installed")
        let t = Tmux()
        defer { t.kill() }
        t.start(
            width: 140, height: 40,
            command: dlboard(
                "compare --optimizers sgd,momentum,adagrad,adam --train-size 3000 --hidden 50,50 --epochs 50",
                environment: term))
        t.waitFor("4 runs in lock-step")
        t.waitFor("step 3")
        t.keys("v")
        t.waitFor("overlay view (v)")
        var swatches: [String] = []
        let s = waitForStyled(t, "four runs in four colours (\(term))") { s in
            swatches = (1...4).compactMap { k in s.foreground(of: "━━ \(k) ·") ?? nil }
            return swatches.count == 4 && Set(swatches).count == 4
                && swatches.allSatisfy { (s.brailleColors[$0] ?? 0) > 0 }
        }
        #expect(Set(swatches).count == 4, "swatches \(swatches)")
        #expect(
            Set(s.brailleColors.keys.compactMap { $0 }).isSubset(of: Set(swatches)), "every curve is in a run's colour")
        quit(t)
    }

    /// NO_COLOR with any value (no-color.org), or a terminal without colours: not one colour SGR,
    /// and the dashboard is drawn all the same. An empty NO_COLOR does not count.
    @Test(arguments: [("NO_COLOR=1", false), ("NO_COLOR=0", false), ("TERM=xterm-mono", false), ("NO_COLOR=", true)])
    func noColorMeansNoColour(environment: String, coloured: Bool) throws {
        try #require(Self.tmuxAvailable, "tmux is not installed")
        let t = Tmux()
        defer { t.kill() }
        t.start(
            width: 120, height: 40,
            command: dlboard("--train-size 3000 --hidden 50,50 --epochs 50", environment: environment))
        t.waitFor("● train")
        let s = waitForStyled(t, "curves drawn (\(environment))") { $0.brailleColors.values.reduce(0, +) > 50 }
        if coloured {
            #expect(!s.colorSequences.isEmpty, "\(environment): colours")
        } else {
            #expect(s.colorSequences.isEmpty, "\(environment): no colour, got \(Set(s.colorSequences).sorted())")
        }
        quit(t)
    }

    /// The environment that selects de_DE.UTF-8: the system's when installed, otherwise one compiled
    /// with localedef into a private folder (LOCPATH; needs the `locales` package's sources, no
    /// root), so the test runs on a fresh machine too. nil when neither works.
    static let germanLocaleEnvironment: String? = {
        let names = (try? Subprocess.run("/usr/bin/locale", ["-a"], timeout: 20))?.stdout.split(separator: "\n") ?? []
        if names.contains(where: { $0.lowercased() == "de_de.utf8" || $0.lowercased() == "de_de.utf-8" }) {
            return "LANG=de_DE.UTF-8 LC_ALL=de_DE.UTF-8"
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dlboard-locales-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        _ = try? Subprocess.run(
            "/usr/bin/localedef", ["-i", "de_DE", "-f", "UTF-8", "\(folder)/de_DE.UTF-8"], timeout: 120)
        guard FileManager.default.fileExists(atPath: "\(folder)/de_DE.UTF-8/LC_NUMERIC") else { return nil }
        return "LOCPATH=\(folder) LANG=de_DE.UTF-8 LC_ALL=de_DE.UTF-8"
    }()

    /// In a comma-decimal locale the run record stays JSON and the screen writes decimals with a
    /// point (curses takes only the character set from the locale).
    @Test(
        .enabled(
            if: germanLocaleEnvironment != nil, "de_DE.UTF-8 can be neither found nor made: apt-get install locales"))
    func commaDecimalLocaleKeepsRecordsJSON() throws {
        try #require(Self.tmuxAvailable, "tmux is not installed")
        let record = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dlboard-de-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: record) }
        let t = Tmux()
        defer { t.kill() }
        t.start(
            width: 120, height: 40,
            command: dlboard(
                "--train-size 3000 --hidden 50,50 --epochs 50 --metrics-out '\(record.path)'",
                environment: Self.germanLocaleEnvironment ?? ""))
        // "accuracy 0" with a point or (the fault) a comma after it: the first epoch is done.
        let screen = t.waitFor("accuracy 0")
        #expect(
            screen.contains { ("\u{2801}"..."\u{28FF}").contains($0) },
            "braille: the UTF-8 character set reached curses")
        #expect(screen.contains(try Regex("loss [0-9]+\\.[0-9]{4}")), "loss with a decimal point:\n\(screen)")
        #expect(!screen.contains(try Regex("[0-9],[0-9]")), "no decimal comma anywhere:\n\(screen)")
        quit(t)
        let lines = try String(contentsOf: record, encoding: .utf8).split(separator: "\n")
        #expect(lines.count > 3)
        for (i, line) in lines.enumerated() {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object != nil, "line \(i + 1) is not JSON: \(line.prefix(120))")
        }
        #expect(lines.last?.contains(#""type":"summary""#) == true)
    }
}
