import Foundation
import NN
import TUI
import Testing

@testable import dlboard

/// Whatever keys came before, Esc then q asks to quit: no key sequence leaves the screen deaf.
@Suite struct KeyStormStateTests {
    @Test func escapeThenQAlwaysAsksToQuit() {
        let keys: [Key] =
            "oO+=-iabd[]w nrslfe?ykcvxFP1zZ".map { .character($0) }
            + [.tab, .backTab, .left, .right, .up, .down, .escape, .enter, .function(1), .backspace]
        var g = SeededGenerator(seed: 7)
        for trial in 0..<300 {
            var state = DashboardViewTests.fixedState(runs: 2)
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
            let text = DashboardView(state: state, glyphs: .braille).render(width: 160, height: 48).text
            if !text.contains("Quit dlboard") {
                Issue.record(
                    "trial \(trial): no quit dialog after \(history.suffix(12)) + Esc q; focus \(state.focus) mode \(state.layout) overlays \(state.panes.map(\.state.overlay))"
                )
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
        BowlPlot.draw(
            points, color: .palette(39), in: Rect(x: 0, y: 0, width: 60, height: 20), into: &buffer, glyphs: .braille)
        #expect(buffer.text.contains("+"), "the minimum is still marked")
    }
}

/// Found by the key storm: a fork arriving while "quit?" was open took the focus, the dialog stayed
/// open unseen on the old pane, and a later y quit.
@Suite struct PopupFocusTests {
    @Test func aForkArrivingUnderAPopupLeavesTheFocusWithThePopup() {
        var state = DashboardViewTests.fixedState(runs: 2)
        state.focus = 0
        _ = state.handle(.character("q"))
        #expect(state.panes[0].state.overlay == .quit)
        var snap = TrainingSession.Snapshot()
        snap.order = [0, 7, 1]
        var out = SessionOutput()
        out.status = state.panes[0].state.status
        out.events = [.init(step: 1200, label: "⑂ forked", kind: .forked, from: "0")]
        snap.runs[7] = out
        _ = state.apply(snap)
        #expect(state.focus == 0, "the popup's pane keeps the focus")
        _ = state.handle(.character("n"))
        #expect(state.panes[0].state.overlay == .none && !state.shouldQuit)
        // Without a popup the fork takes the focus, as before.
        var snap2 = TrainingSession.Snapshot()
        snap2.order = [0, 8, 7, 1]
        out.events = [.init(step: 1300, label: "⑂ forked", kind: .forked, from: "0")]
        snap2.runs[8] = out
        _ = state.apply(snap2)
        #expect(state.focus == 1 && state.panes[1].id == 8)
    }

    @Test func aPopupNeverOutlivesItsFocus() {
        var state = DashboardViewTests.fixedState(runs: 2)
        state.focus = 0
        _ = state.handle(.character("?"))
        state.focus = 1  // as a fork arrival or a click would
        _ = state.handle(.character("y"))
        #expect(state.panes[0].state.overlay == .none)
        #expect(!state.shouldQuit)
    }
}
