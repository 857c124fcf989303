import Foundation
import NN
import TUI
import Testing

@testable import dlboard

/// The whole dashboard rendered from a fixed state, compared with stored snapshots of the text and
/// the style of every cell (`Snapshots/*.txt`, `Buffer.styledText`). Run with
/// DLBOARD_RECORD_SNAPSHOTS=1 to write them after a deliberate change.
@Suite struct DashboardSnapshotTests {
    static func fixedState() -> PaneState {
        var s = PaneState(datasetName: "MNIST")
        var g = SeededGenerator(seed: 5)
        for step in 1...1200 {
            let base = 2.3 * exp(-Double(step) / 150) + 0.1
            s.losses.append(ChartPoint(x: Double(step), y: base * (0.8 + 0.4 * Double(g.nextUniform()))))
        }
        s.trainAccuracy = [0.90, 0.94].enumerated().map { ChartPoint(x: Double($0.offset + 1), y: $0.element) }
        s.testAccuracy = [0.89, 0.92].enumerated().map { ChartPoint(x: Double($0.offset + 1), y: $0.element) }
        s.markers = [ChartMarker(x: 400, label: "→ Momentum"), ChartMarker(x: 800, label: "+BN")]
        var config = TrainingConfig(optimizer: .momentum)
        config.network.batchNorm = true
        s.status = .init(
            config: config, step: 1200, stepsPerEpoch: 600, epochTarget: 20, stepTarget: 12000, paused: false,
            diverged: false,
            finished: false, samplesPerSecond: 98_500, lastLoss: 0.31)
        // Activation statistics of a real network on fixed inputs: deterministic.
        let net = Network(config: NetworkConfig(inputSize: 20, hidden: [50, 50, 50, 50]), seed: 3)
        let x = Matrix(rows: 100, cols: 20)
        for i in 0..<x.count { x.pointer[i] = g.nextNormal() }
        _ = net.predict(x, mode: .train)
        s.activations = net.displayActivationStatistics()
        return s
    }

    static func check(_ buffer: Buffer, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Snapshots/\(name).txt")
        let text = buffer.styledText + "\n"
        if ProcessInfo.processInfo.environment["DLBOARD_RECORD_SNAPSHOTS"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if expected != text {
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let g = text.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(e, g).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(e.count, g.count)
            let part = g.firstIndex(of: "-- styles --").map { first > $0 ? " (in the styles)" : "" } ?? ""
            Issue.record(
                "snapshot \(name) differs from line \(first + 1)\(part):\n- \(first < e.count ? e[first] : "∅")\n+ \(first < g.count ? g[first] : "∅")",
                sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [(80, 24), (160, 48)])
    func dashboard(width: Int, height: Int) throws {
        let buffer = PaneView(state: Self.fixedState(), glyphs: .braille).render(width: width, height: height)
        try Self.check(buffer, "dashboard-\(width)x\(height)")
        // What a user must find on the screen whatever the snapshot: status, hints, markers, layers.
        #expect(buffer.text.contains("Momentum lr 0.01 │ init He │ BN on │ dropout off"))
        #expect(buffer.text.contains("? help") && buffer.text.contains("q quit"))
        #expect(buffer.text.contains("→ Momentum") && buffer.text.contains("+BN"))
        #expect(buffer.text.contains("4 ReLU") || buffer.text.contains("layer 4 ReLU"))
    }

    @Test func asciiFallback() throws {
        let buffer = PaneView(state: Self.fixedState(), glyphs: .ascii).render(width: 80, height: 24)
        try Self.check(buffer, "dashboard-80x24-ascii")
        #expect(buffer.text.unicodeScalars.allSatisfy { $0.isASCII }, "ASCII mode draws ASCII only")
    }

    @Test func helpOverlayListsEveryKey() throws {
        var state = Self.fixedState()
        state.overlay = .help
        // Tall enough for every key (a shorter screen cuts the list).
        let buffer = PaneView(state: state, glyphs: .braille).render(width: 100, height: 34)
        try Self.check(buffer, "help-100x34")
        for b in KeyMap.bindings { #expect(buffer.text.contains(b.help)) }
    }

    /// At 80×24 the keys do not fit one column: they go into two, every key still named (its help cut
    /// with "…" where its column ends), and the popup stays inside the screen.
    @Test func helpAt80x24ShowsEveryKeyInColumns() throws {
        var state = Self.fixedState()
        state.overlay = .help
        let buffer = PaneView(state: state, glyphs: .braille).render(width: 80, height: 24)
        try Self.check(buffer, "help-80x24")
        let text = buffer.text
        for b in KeyMap.bindings {
            let key = b.keys.map(\.displayName).joined(separator: " ")
            let help = String(b.help.prefix(12))
            #expect(
                (0..<buffer.height).contains { buffer.line($0).contains(key + " ") && buffer.line($0).contains(help) },
                "\(key): \(help)")
        }
        #expect(text.contains("keys — Esc closes"))
    }

    @Test func tooSmallShowsANotice() {
        let buffer = PaneView(state: Self.fixedState(), glyphs: .braille).render(width: 40, height: 10)
        #expect(buffer.line(0).hasPrefix("terminal too small (40×10)"))
        #expect((1..<10).allSatisfy { buffer.line($0).isEmpty })
        _ = PaneView(state: Self.fixedState(), glyphs: .braille).render(width: 1, height: 1)
        _ = PaneView(state: Self.fixedState(), glyphs: .braille).render(width: 0, height: 0)
    }

    @Test func divergedStatusSaysWhatToDo() {
        var state = Self.fixedState()
        state.status?.diverged = true
        state.status?.paused = true
        state.losses.append(ChartPoint(x: 1201, y: .nan))
        let text = PaneView(state: state, glyphs: .braille).render(width: 120, height: 30).text
        #expect(text.contains("diverged: lower lr (-), restart (r)"))
    }

    /// The style of the first cell of `text` on the screen (nil when it is not there).
    static func style(of text: String, in buffer: Buffer) -> Style? {
        for y in 0..<buffer.height {
            if let r = buffer.line(y).range(of: text) {
                return buffer[buffer.line(y).distance(from: buffer.line(y).startIndex, to: r.lowerBound), y].style
            }
        }
        return nil
    }

    /// What a glance at the screen must tell: a bad layer and a stopped log in their warning colours.
    @Test func verdictsAndWarningsAreColoured() {
        var state = Self.fixedState()
        state.activations[1].zeroFraction = 0.95
        state.activations[2].activation = .sigmoid
        state.activations[2].saturatedFraction = 0.8
        state.warning = "log stopped: No space left on device"
        let buffer = PaneView(state: state, glyphs: .braille).render(width: 100, height: 30)
        #expect(Self.style(of: "1 ReLU · healthy", in: buffer)?.foreground == .green)
        #expect(Self.style(of: "2 ReLU · dead", in: buffer)?.foreground == .red)
        #expect(Self.style(of: "saturated", in: buffer)?.foreground == .yellow)
        let warning = Self.style(of: "⚠ log stopped: No space left on device", in: buffer)
        #expect(warning?.foreground == .red && warning?.reverse == true, "the stopped log is red in the status bar")
        state.warning = nil
        state.status?.diverged = true
        let diverged = PaneView(state: state, glyphs: .braille).render(width: 100, height: 30)
        #expect(Self.style(of: "✗ diverged", in: diverged)?.foreground == .red)
    }

    @Test func pathInsetReplaysTheCurrentOptimizer() {
        var state = Self.fixedState()
        #expect(state.handle(.character("e")).isEmpty, "a view key: no command for the trainer")
        let text = PaneView(state: state, glyphs: .braille).render(width: 120, height: 36).text
        #expect(text.contains("E1 bowl: Momentum 0.01"))
        // The inset shows where 30 steps of this optimizer and lr end on the bowl (start: f = 7²/20 + 2² = 6.45).
        let f = OptimizerPaths.path(.momentum, learningRate: 0.01).last.map { OptimizerPaths.f($0.x, $0.y) } ?? 0
        #expect(text.contains(String(format: "30 steps: f %.3g", f)) && f < 6.45)
        _ = state.handle(.character("e"))
        #expect(!PaneView(state: state, glyphs: .braille).render(width: 120, height: 36).text.contains("E1 bowl"))
    }
}
