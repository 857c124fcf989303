import Foundation
import NN
import TUI
import Testing
@testable import dlboard

/// Whatever keys came before, Esc then q asks to quit: no key sequence leaves the screen deaf.
@Suite struct KeyStormStateTests {
    @Test func escapeThenQAlwaysAsksToQuit() {
        let keys: [Key] = "oO+=-iabd[]w nrslfe?ykcvxFP1zZ".map { .character($0) }
            + [.tab, .backTab, .left, .right, .up, .down, .escape, .enter, .function(1), .backspace]
        var g = SeededGenerator(seed: 7)
        for trial in 0..<300 {
            var state = ComparisonViewTests.fixedState(runs: 2)
            var history: [Key] = []
            for _ in 0..<60 {
                let k = keys[g.nextInt(below: keys.count)]
                history.append(k)
                _ = state.handle(k)
                if state.shouldQuit { break }
            }
            if state.shouldQuit { continue }
            _ = state.handle(.escape)
            _ = state.handle(.character("q"))
            let text = ComparisonView(state: state, glyphs: .braille).render(width: 160, height: 48).text
            if !text.contains("Quit dlboard") {
                Issue.record("trial \(trial): no quit dialog after \(history.suffix(12)) + Esc q; focus \(state.focus) mode \(state.mode) overlays \(state.panes.map(\.state.overlay))")
                return
            }
        }
    }
}

/// The E1 inset and the optimizer-paths screen draw a diverging path (lr too large for the bowl).
@Suite struct DivergingPathTests {
    @Test func aDivergingPathDrawsAtOnce() {
        var points: [(x: Float, y: Float)] = [(-7, 2)]
        for i in 1..<30 { points.append((x: -7 * Float(i * i * i) * 1e6, y: Float(i % 2 == 0 ? 1 : -1) * 1e30)) }
        points.append((x: .nan, y: .infinity))
        var buffer = Buffer(width: 60, height: 20)
        BowlPlot.draw(points, color: .palette(39), in: Rect(x: 0, y: 0, width: 60, height: 20), into: &buffer, glyphs: .braille)
        #expect(buffer.text.contains("+"), "the minimum is still marked")
    }
}
