import Foundation
import NN
import TUI
import Testing

@testable import dlboard

/// The parts every screen shares look and behave the same on each: the "terminal too small"
/// notice, the key help, the hint line.
@Suite struct SharedViewTests {
    /// Every kind of screen that needs no training to draw: the dashboard of one and of two runs
    /// (a replay draws the same), and the experiment screens.
    static func screens() -> [(name: String, render: (Int, Int) -> Buffer)] {
        let one = DashboardSnapshotTests.fixedState()
        let two = DashboardViewTests.fixedState(runs: 2)
        let paths = OptimizerPathsScreen()
        let histograms = ActivationHistogramsScreen(seed: 0)
        return [
            ("dashboard", { PaneView(state: one, glyphs: .braille).render(width: $0, height: $1) }),
            ("compare", { DashboardView(state: two, glyphs: .braille).render(width: $0, height: $1) }),
            ("optimizer-paths", { paths.render(width: $0, height: $1, glyphs: .braille) }),
            ("activation-histograms", { histograms.render(width: $0, height: $1, glyphs: .braille) }),
        ]
    }

    @Test func everyScreenSaysTheSameWhenTheTerminalIsTooSmall() {
        for (name, render) in Self.screens() {
            let small = render(59, 30)
            #expect(
                small.line(0) == "terminal too small (59×30): dlboard needs 60×16 — q quits", "\(name)")
            #expect((1..<30).allSatisfy { small.line($0).isEmpty }, "\(name): nothing else drawn")
            #expect(render(60, 16).line(0).hasPrefix("dlboard"), "\(name) draws itself at the minimum size")
        }
    }

    @Test func theExperimentScreensHelpListsEveryKeyWithTheKeysBold() {
        var paths = OptimizerPathsScreen()
        var histograms = ActivationHistogramsScreen(seed: 0)
        _ = paths.handle(.character("?"))
        _ = histograms.handle(.character("?"))
        let shown: [(keys: [(keys: String, help: String)], buffer: Buffer)] = [
            (OptimizerPathsScreen.keys, paths.render(width: 100, height: 30, glyphs: .braille)),
            (ActivationHistogramsScreen.keys, histograms.render(width: 100, height: 30, glyphs: .braille)),
        ]
        for (keys, buffer) in shown {
            #expect(buffer.text.contains("keys — any key closes"))
            for entry in keys {
                #expect(buffer.text.contains(entry.help), "\(entry.keys) is listed")
                let style = DashboardSnapshotTests.style(of: entry.keys + " ", in: buffer)
                #expect(style?.bold == true, "the key \(entry.keys) is bold, as in the dashboard's help")
            }
        }
    }

    @Test func theHelpNeverGrowsPastTheScreen() {
        var state = DashboardSnapshotTests.fixedState()
        state.overlay = .help
        let buffer = PaneView(state: state, glyphs: .braille).render(width: 60, height: 16)
        let top = (0..<16).map(buffer.line).first { $0.contains("keys — Esc closes") }
        #expect(top?.contains("┌") == true && top?.contains("┐") == true, "the frame fits whole at the minimum size")
    }

    @Test func theHintLineDropsWhatDoesNotFitWhole() {
        var buffer = Buffer(width: 20, height: 1)
        let end = HintsBar(items: [("o", "optim"), ("+/-", "lr"), ("space", "pause")]).render(
            row: 0, width: 20, into: &buffer)
        #expect(buffer.line(0) == "o optim  +/- lr", "a hint that would be cut is left out")
        #expect(end == 17)
        #expect(buffer[0, 0].style.bold && buffer[2, 0].style.dim)
    }
}
