import Foundation
import NN
import TUI
import Testing

@testable import dlboard

/// The comparison screen from fixed states: pane layouts, titles, overlay and difference views,
/// and the keys that act on the focused pane.
@Suite struct DashboardViewTests {
    /// Two or more panes built from the dashboard's fixed state, each with a different optimizer
    /// and a loss curve of its own.
    static func fixedState(runs: Int = 2) -> DashboardState {
        var c = DashboardState(datasetName: "MNIST", sessionName: "compare")
        let kinds: [OptimizerKind] = [.sgd, .adam, .momentum, .adagrad]
        for i in 0..<runs {
            var s = DashboardSnapshotTests.fixedState()
            s.status?.config.optimizer = kinds[i]
            s.status?.config.network.batchNorm = false
            s.losses = s.losses.map { ChartPoint(x: $0.x, y: $0.y * (1 - 0.15 * Double(i))) }
            s.testAccuracy = s.testAccuracy.map { ChartPoint(x: $0.x, y: $0.y + 0.01 * Double(i)) }
            c.panes.append(.init(id: i, state: s))
        }
        return c
    }

    @Test(arguments: [(80, 24), (160, 48)])
    func twoPanes(width: Int, height: Int) throws {
        var state = Self.fixedState()
        state.focus = 1
        let buffer = DashboardView(state: state, glyphs: .braille).render(width: width, height: height)
        try DashboardSnapshotTests.check(buffer, "compare-2-\(width)x\(height)")
        let text = buffer.text
        #expect(text.contains("1 · SGD lr 0.01"), "the first pane shows its value of the varied knob")
        #expect(text.contains("▸ 2 · Adam lr 0.001"), "the focused pane is marked and titled by what differs")
        #expect(!text.contains("init He BN"), "titles are a diff, not the whole config")
        #expect(text.contains("2 runs in lock-step"))
        #expect(text.contains("tab pane") && text.contains("F fork"))
        #expect(text.contains("→ Momentum"), "markers show in the panes")
    }

    @Test(arguments: [(80, 24), (160, 48)])
    func fourPanes(width: Int, height: Int) throws {
        let buffer = DashboardView(state: Self.fixedState(runs: 4), glyphs: .braille).render(
            width: width, height: height)
        try DashboardSnapshotTests.check(buffer, "compare-4-\(width)x\(height)")
        for t in ["1 · SGD", "2 · Adam", "3 · Momentum", "4 · AdaGrad"] { #expect(buffer.text.contains(t)) }
    }

    @Test func gridWhenColumnsWouldBeTooNarrow() {
        let rects = PaneGridView.paneRects(count: 4, in: Rect(x: 0, y: 1, width: 80, height: 21))
        #expect(rects.count == 4)
        #expect(rects.allSatisfy { $0.width == 40 }, "2×2 at 80 columns")
        #expect(Set(rects.map(\.y)).count == 2)
        let wide = PaneGridView.paneRects(count: 4, in: Rect(x: 0, y: 1, width: 160, height: 45))
        #expect(Set(wide.map(\.y)).count == 1, "one row of four at 160 columns")
    }

    @Test func overlayView() throws {
        var state = Self.fixedState(runs: 3)
        state.layout = .overlay
        let buffer = DashboardView(state: state, glyphs: .braille).render(width: 120, height: 36)
        try DashboardSnapshotTests.check(buffer, "compare-overlay-120x36")
        let text = buffer.text
        #expect(text.contains("loss, all runs") && text.contains("test accuracy, all runs"))
        #expect(text.contains("━━ 1 · SGD") && text.contains("━━ 3 · Momentum"), "legend names every run")
        // Fixed colours: run k's legend swatch is drawn in pane colour k.
        let row = (0..<buffer.height).first { buffer.line($0).contains("━━ 1 ·") }!
        let x = Array(buffer.line(row)).firstIndex(of: "━")!
        #expect(buffer[x, row].style.foreground == DashboardState.color(0))
    }

    /// Four overlaid runs: four colours, each legend swatch in its run's colour and each colour
    /// drawing a curve; on an 8-colour terminal the four still map to four colours.
    @Test func fourOverlaidRunsHaveFourColours() {
        var state = Self.fixedState(runs: 4)
        state.layout = .overlay
        let buffer = DashboardView(state: state, glyphs: .braille).render(width: 120, height: 36)
        var swatches: [Int: Color] = [:]
        for y in 0..<buffer.height {
            let line = Array(buffer.line(y))
            for k in 1...4 {
                guard let r = buffer.line(y).range(of: "━━ \(k) ·") else { continue }
                let x = buffer.line(y).distance(from: buffer.line(y).startIndex, to: r.lowerBound)
                #expect(line[x] == "━")
                swatches[k - 1] = buffer[x, y].style.foreground
            }
        }
        #expect(swatches.count == 4)
        for k in 0..<4 { #expect(swatches[k] == DashboardState.color(k), "legend of run \(k + 1)") }
        let curves = Set(
            buffer.cells.filter { ("\u{2801}"..."\u{28FF}").contains($0.character) }.compactMap(\.style.foreground))
        #expect(curves == Set((0..<4).map(DashboardState.color)), "every run's curves in its colour, and nothing else")
        let basic = Set((0..<4).compactMap { NcursesScreen.foregroundIndex(DashboardState.color($0), mode: .basic8) })
        #expect(basic.count == 4, "four runs stay four colours on an 8-colour terminal")
    }

    /// Train and test accuracy differ in colour, in a pane as on the dashboard, on any terminal.
    @Test func trainAndTestDifferInColour() {
        let buffer = DashboardView(state: Self.fixedState(), glyphs: .braille).render(width: 160, height: 48)
        let y = (0..<buffer.height).first { buffer.line($0).contains("● train") }!
        let line = buffer.line(y)
        let col = { (s: String) in line.distance(from: line.startIndex, to: line.range(of: s)!.lowerBound) }
        let train = buffer[col("● train"), y].style.foreground
        let test = buffer[col("● test"), y].style.foreground
        #expect(train != nil && test != nil && train != test)
        for mode in [NcursesScreen.ColorMode.palette256, .basic8] {
            #expect(
                NcursesScreen.foregroundIndex(train!, mode: mode) != NcursesScreen.foregroundIndex(test!, mode: mode),
                "\(mode)")
        }
    }

    @Test func differenceView() {
        var state = Self.fixedState()
        state.focus = 1
        state.layout = .difference
        let text = DashboardView(state: state, glyphs: .braille).render(width: 100, height: 30).text
        #expect(text.contains("loss 2 − 1"))
        // Run 2's loss is 15 % below run 1's everywhere: the difference is negative throughout.
        let d = DifferenceChartView.difference(state.panes[1].state.losses, minus: state.panes[0].state.losses)
        #expect(d.count == 1200 && d.allSatisfy { $0.y < 0 })
        #expect(abs(d[0].y - (-0.15 * state.panes[0].state.losses[0].y)) < 1e-12)
    }

    @Test func asciiComparison() {
        let text = DashboardView(state: Self.fixedState(), glyphs: .ascii).render(width: 80, height: 24).text
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func tooSmall() {
        let b = DashboardView(state: Self.fixedState(), glyphs: .braille).render(width: 50, height: 12)
        #expect(b.line(0).hasPrefix("terminal too small (50×12)"))
    }

    // MARK: Keys

    @Test func singleRunKeysGoToTheFocusedPane() {
        var state = Self.fixedState()
        #expect(state.handle(.tab).isEmpty)
        #expect(state.focus == 1)
        let commands = state.handle(.character("b"))
        #expect(commands.count == 1 && commands[0].run == 1 && commands[0].command == .cycleNormalization)
        #expect(state.panes[1].state.status?.config.network.batchNorm == true)
        #expect(state.panes[0].state.status?.config.network.batchNorm == false, "the other pane is left alone")
        let o = state.handle(.character("o"))
        #expect(o.first?.run == 1 && o.first?.command == .cycleOptimizer(by: 1))
        #expect(state.panes[1].state.status?.config.optimizer == .sgd, "Adam → SGD (the cycle wraps)")
        _ = state.handle(.backTab)
        #expect(state.focus == 0)
        #expect(state.handle(.character("o")).first?.run == 0)
    }

    @Test func forkFocusesTheForkAtOnceAndStopsAtFourPanes() {
        var state = Self.fixedState()
        _ = state.handle(.tab)
        let f = state.handle(.character("F"))
        #expect(f.count == 1 && f[0].run == 1 && f[0].command == .fork(as: 2), "run 2 forked as the next free id")
        #expect(state.panes.map(\.id) == [0, 1, 2] && state.focus == 2, "the fork's pane is there at once, focused")
        #expect(state.panes[2].state.losses == state.panes[1].state.losses, "showing its parent's history")
        #expect(state.panes[2].origin == "fork @1200")
        #expect(state.panes[2].state.markers.last == ChartMarker(x: 1200, label: "⑂ forked"), "marked where it forks")
        #expect(state.handle(.character("b")).first?.run == 2, "so the next key, in the same frame, goes to the fork")
        #expect(state.panes[2].state.status?.config.network.batchNorm == true)
        #expect(state.panes[1].state.status?.config.network.batchNorm == false, "the parent is left alone")
        // The fork's first output: made a few steps later than shown, before it took the b.
        var snap = TrainingSession.Snapshot()
        snap.order = [0, 1, 2]
        var parentOut = SessionOutput()
        parentOut.losses = [(1201, 0.3), (1202, 0.3)]
        parentOut.events = [.init(step: 1202, label: "⑂ fork → fork of run 2 @1202", kind: .fork, to: "2")]
        parentOut.status = state.panes[1].state.status
        parentOut.status?.step = 1202
        snap.runs[1] = parentOut
        var forkOut = SessionOutput()
        forkOut.status = parentOut.status
        forkOut.events = [.init(step: 1202, label: "⑂ forked", kind: .forked, from: "1")]
        snap.runs[2] = forkOut
        _ = state.apply(snap)
        #expect(state.focus == 2 && state.panes.map(\.id) == [0, 1, 2], "the fork stays where it was, focused")
        #expect(state.panes[2].origin == "fork @1202", "at the step it was really made")
        #expect(state.panes[2].state.losses.last?.x == 1202, "with its parent's history up to there")
        #expect(state.panes[2].state.status?.config.network.batchNorm == true, "and the b still on its way")
        #expect(state.panes[2].state.markers.map(\.label).suffix(2) == ["⑂ forked", "+BN"])
        var full = Self.fixedState(runs: 4)
        #expect(full.handle(.character("F")).isEmpty)
        #expect(full.notice?.contains("at most 4 panes") == true)
        #expect(full.panes.count == 4)
    }

    @Test func aForkArrivingInASnapshotInheritsTheCurves() {
        var state = Self.fixedState()
        var snap = TrainingSession.Snapshot()
        state.focus = 0
        snap.order = [0, 7, 1]
        var out = SessionOutput()
        out.status = state.panes[0].state.status
        out.events = [.init(step: 1200, label: "⑂ forked", kind: .forked, from: "0")]
        snap.runs[7] = out
        let changed = state.apply(snap)
        #expect(changed)
        #expect(state.panes.map(\.id) == [0, 7, 1])
        #expect(state.panes[1].state.losses == state.panes[0].state.losses, "the fork's history is its parent's")
        #expect(state.panes[1].origin == "fork @1200")
        #expect(state.titles[1].contains("(fork @1200)"))
    }

    @Test func viewModesAndPauseAll() {
        var state = Self.fixedState()
        _ = state.handle(.character("v"))
        #expect(state.layout == .overlay)
        _ = state.handle(.character("v"))
        #expect(state.layout == .panes)
        _ = state.handle(.character("x"))
        #expect(state.layout == .difference && state.notice != nil, "x on pane 1 says to focus another pane")
        let p = state.handle(.character("P"))
        #expect(p.map(\.run) == [0, 1] && p.allSatisfy { $0.command == .pause })
        #expect(state.panes.allSatisfy { $0.state.status?.paused == true }, "shown paused at once")
        let again = state.handle(.character("P"))
        #expect(again.map(\.run) == [0, 1] && again.allSatisfy { $0.command == .resume }, "P P: pause, then resume")
    }

    @Test func helpListsTheComparisonKeys() {
        var state = Self.fixedState()
        _ = state.handle(.character("?"))
        let text = DashboardView(state: state, glyphs: .braille).render(width: 120, height: 40).text
        for b in KeyMap.comparisonBindings { #expect(text.contains(b.help)) }
        // Esc closes it, and Tab works again afterwards.
        _ = state.handle(.escape)
        _ = state.handle(.tab)
        #expect(state.focus == 1)
    }

    @Test func aSingleRunCanBeForked() {
        var state = Self.fixedState(runs: 1)
        let f = state.handle(.character("F"))
        #expect(f.count == 1 && f[0].run == 0 && f[0].command == .fork(as: 1))
        #expect(state.isComparison && state.focus == 1)
        #expect(state.handle(.tab).isEmpty && state.focus == 0, "tab works before the fork has published")
        var snap = TrainingSession.Snapshot()
        snap.order = [0, 1]
        snap.runs[1] = SessionOutput()
        _ = state.apply(snap)
        #expect(state.panes.map(\.id) == [0, 1] && state.focus == 0, "its output lands in its pane")
    }

    @Test func moreThanFourRunsBecomeSmallMultiples() {
        var state = DashboardState(datasetName: "MNIST", sessionName: "preset batchnorm-grid")
        state.groupSize = 2
        for (i, title) in [
            "std 1 BN", "std 1 no BN", "std 0.01 BN", "std 0.01 no BN", "std 0.0001 BN", "std 0.0001 no BN",
        ].enumerated() {
            var s = PaneState(datasetName: "MNIST")
            s.title = title
            s.status = DashboardSnapshotTests.fixedState().status
            s.trainAccuracy = (1...5).map { ChartPoint(x: Double($0), y: i % 2 == 0 ? 0.2 * Double($0) : 0.1) }
            state.panes.append(.init(id: i, state: s))
        }
        let text = DashboardView(state: state, glyphs: .braille).render(width: 120, height: 36).text
        #expect(text.contains("━━ BN") && text.contains("━━ no BN"), "one legend for the pair")
        for cell in ["std 1 1.00/0.10", "std 0.01 1.00/0.10", "std 0.0001 1.00/0.10"] { #expect(text.contains(cell)) }
        #expect(!text.contains("┌─"), "cells, not bordered panes")
        #expect(SmallMultiplesView.split(["std 1 BN", "std 1 no BN"]).common == "std 1")
    }
}

/// The random-search screen from a real (tiny) search.
@Suite struct RandomSearchScreenTests {
    @Test func leaderboardScatterAndNarrowing() throws {
        var data = try SessionTests.dataset().restricted(trainSize: nil, validationFraction: 0.2, seed: 1)
        data.name = "synthetic"
        let base = TrainingConfig(
            network: NetworkConfig(inputSize: 16, hidden: [8, 8], outputSize: 4), optimizer: .sgd,
            batchSize: 20, epochs: 3, seed: 4)
        let search = RandomSearch(dataset: data, base: base, trialsPerRound: 5)
        #expect(search.dataset.test.count == 0, "the search's dataset holds no test images")
        search.startRound(try SearchSpace(parsing: ["lr=log:-3,-0.5", "wd=log:-8,-4"]))
        search.waitForRound()
        var screen = RandomSearchScreen(search: search)
        _ = screen.tick(now: 1)
        let trials = screen.snapshot.trials
        #expect(trials.count == 5 && trials.allSatisfy { $0.done && $0.validationAccuracy.count == 3 })
        let board = RandomSearchScreen.leaderboard(trials)
        #expect(zip(board, board.dropFirst()).allSatisfy { $0.finalValidation >= $1.finalValidation }, "best first")
        for width in [80, 120] {
            let text = screen.render(width: width, height: 24, glyphs: .braille).text
            #expect(text.contains("round 1") && text.contains("5/5 trials done"))
            #expect(
                text.contains(width < 96 ? " # val   train lr      wd" : "round  val    train  lr        weight decay"),
                "the table fits at \(width) columns")
            #expect(text.contains(String(format: "%.3f", board[0].finalValidation)))
        }
        // n: the next round samples around the best trials.
        let started = screen.handle(.character("n"))
        #expect(started)
        search.waitForRound()
        let round2 = search.snapshot().trials.filter { $0.round == 2 }
        let r = try #require(search.snapshot().space.dimension(of: .learningRate)?.coordinateBounds)
        #expect(round2.count == 5 && r.upperBound - r.lowerBound < 2.5 + 0.5)
        for t in round2 { #expect(r.contains(log10(Double(t.learningRate)))) }
        search.stop()
    }
}
