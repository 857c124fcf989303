import Foundation
import Testing

/// Two presses of one key reach the real dashboard in one read (one tmux send-keys call, so both
/// are waiting when the frame drains its keys): both count, on the screen and in the run record.
/// Needs tmux (installed by .ci/run).
@Suite(.serialized) struct KeyIntentTmuxTests {
    /// The end-to-end tests' tmux driver (one server per test, on its own socket) and pane command.
    typealias Tmux = TmuxEndToEndTests.Tmux

    func dlboard(_ args: String) -> String { TmuxEndToEndTests().dlboard(args) }

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
        // Paused: no step runs between the keys, so nothing but the keys changes the settings.
        let log = t.startPausedDashboard()
        let start = t.waitFor("SGD lr 0.01 │ init He │ BN off")
        #expect(start.contains("paused"))
        t.keys("b", "b")
        t.keys("+", "+")
        let lr = t.waitFor("SGD lr 0.1 │")
        #expect(lr.contains("│ LN on │"), "b b goes on from BatchNorm to LayerNorm")
        t.keys("o", "o")
        let optimizer = t.waitFor("Nesterov lr 0.01 │")
        #expect(optimizer.contains("│ LN on │") && optimizer.contains("paused"))
        t.keys("q")
        t.waitFor("Quit dlboard?")
        t.keys("q")
        t.waitFor("EXIT=0")
        #expect(
            events(log) == [
                ["norm", "none", "batch", "+BN"], ["norm", "batch", "layer", "+LN"],
                ["lr", "0.01", "0.032", "lr 0.032"], ["lr", "0.032", "0.1", "lr 0.1"],
                ["optimizer", "sgd", "momentum", "→ Momentum"], ["optimizer", "momentum", "nesterov", "→ Nesterov"],
            ], "each press recorded as the change it made")
    }

    /// a through the new activations (each re-initializes; the header names it) and m to MSE and
    /// back: the status bar says the loss, each switch leaves a marker on the chart and an event.
    @Test func activationsAndTheLossSwitchLive() throws {
        try #require(Tmux.path != nil, "tmux is not installed")
        let t = Tmux()
        defer { t.kill() }
        let log = t.startPausedDashboard()
        t.waitFor("SGD lr 0.01 │ init He │ BN off")
        t.keys("a", "a", "a")
        t.waitFor("784-50-50-10 Leaky ReLU")
        t.keys("a")
        t.waitFor("784-50-50-10 SoftPlus")
        t.keys("a")
        // Before the first step the chart has no axis to put markers on; the record has them below.
        t.waitFor("784-50-50-10 Identity")
        // One step, so the loss's markers stand apart from the activations'.
        t.keys("n")
        t.waitFor("step 1")
        t.keys("m")
        let mse = t.waitFor("SGD lr 0.01 · loss MSE │ init He")
        #expect(mse.contains("→ MSE"), "a marker on the chart")
        t.keys("n")
        t.waitFor("step 2")
        t.keys("m")
        // The marker is drawn at once; the status bar follows when the trainer has taken the switch.
        let back = t.waitFor(" SGD lr 0.01 │ init He")
        #expect(back.contains("→ cross-entropy"), "a marker on the chart; cross-entropy goes unsaid again")
        t.keys("q")
        t.waitFor("Quit dlboard?")
        t.keys("q")
        t.waitFor("EXIT=0")
        #expect(
            events(log) == [
                ["activation", "relu", "sigmoid", "→ Sigmoid"], ["activation", "sigmoid", "tanh", "→ Tanh"],
                ["activation", "tanh", "leaky-relu", "→ Leaky ReLU"],
                ["activation", "leaky-relu", "softplus", "→ SoftPlus"],
                ["activation", "softplus", "identity", "→ Identity"],
                ["loss", "cross-entropy", "mse", "→ MSE"], ["loss", "mse", "cross-entropy", "→ cross-entropy"],
            ], "each switch recorded")
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
        let log = t.startPausedDashboard()
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
                ["0", "fork", "-", "1"], ["1", "forked", "0", "-"], ["1", "norm", "none", "batch"],
            ], "the switch is recorded on the fork's run")
    }

    /// The batch size switched while training, then the x-axis flipped: the status bar and the
    /// marker show the new size, the record has its event, and the charts count epochs, then seconds.
    @Test func batchSizeLiveAndTheAxisKey() throws {
        try #require(Tmux.path != nil, "tmux is not installed")
        let t = Tmux()
        defer { t.kill() }
        let log = NSTemporaryDirectory() + "dlboard-batch-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: log) }
        t.start(
            width: 120, height: 40,
            command: dlboard("--train-size 3000 --hidden 20 --epochs 200 --batch 100 --metrics-out '\(log)'"))
        t.waitFor("▶ training")
        t.keys(">")
        let switched = t.waitFor("│ batch 200 │")
        #expect(switched.contains("batch 200"), "the marker names the new size")
        /// The charts' axis row (below both charts, ending in the accuracy chart's unit) once it
        /// satisfies `axis`, or nil after 30 s.
        func waitForAxis(_ axis: (Substring) -> Bool) -> Substring? {
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                if let row = t.screen().split(separator: "\n").first(where: axis) { return row }
                usleep(100_000)
            }
            return nil
        }
        #expect(waitForAxis { $0.hasSuffix(" epoch") && $0.contains(" step ") } != nil, "loss on steps at first")
        t.keys("X")
        let epochs = waitForAxis { $0.hasSuffix(" epoch") && $0.components(separatedBy: " epoch").count == 3 }
        #expect(epochs?.contains(" step") == false, "both charts count epochs")
        t.keys("X")
        let seconds = waitForAxis { $0.hasSuffix(" s") && $0.components(separatedBy: " s ").count == 2 }
        #expect(seconds != nil, "then seconds of training")
        t.keys(" ")
        t.waitFor("paused")
        t.keys("q")
        t.waitFor("Quit dlboard?")
        t.keys("q")
        t.waitFor("EXIT=0")
        #expect(events(log).first == ["batch_size", "100", "200", "batch 200"], "the switch is recorded")
    }
}
