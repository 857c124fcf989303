import Foundation
import NN
import TUI
import Testing

@testable import dlboard

/// Whatever keys came before, Esc then q asks to quit: no key sequence leaves the screen deaf.
@Suite struct KeyStormStateTests {
    @Test func escapeThenQAlwaysAsksToQuit() {
        let keys: [Key] =
            "oO+=-iabd[]w nrslfe?ykcvxFPq1zZ".map { .character($0) }
            + [.tab, .backTab, .left, .right, .up, .down, .escape, .enter, .function(1), .backspace]
        var g = SeededGenerator(seed: 7)
        // Never started: the commands the keys send only queue up.
        let session = TrainingSession(
            runs: [.init(config: SessionTests.config)], dataset: SessionTests.dataset(), maxRuns: 4)
        var quits = 0
        for trial in 0..<300 {
            var screen = DashboardScreen(session: session, datasetName: "MNIST", recorder: nil)
            screen.state = DashboardViewTests.fixedState(runs: 2)
            var model = QuitConfirmation(screen)
            var history: [Key] = []
            for _ in 0..<60 {
                let k = keys[g.nextInt(below: keys.count)]
                history.append(k)
                _ = model.handle(k)
                if model.shouldQuit { break }
            }
            if model.shouldQuit {
                quits += 1
                continue
            }
            _ = model.handle(.escape)
            _ = model.handle(.character("q"))
            let text = model.render(width: 160, height: 48, glyphs: .braille).text
            if !text.contains("Quit dlboard") || !model.asking {
                let state = model.base.state
                Issue.record(
                    "trial \(trial): no quit dialog after \(history.suffix(12)) + Esc q; focus \(state.focus) mode \(state.layout) overlays \(state.panes.map(\.state.overlay))"
                )
                return
            }
        }
        #expect(quits < 300, "some storms leave the screen up, to be checked")
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

/// Found by the key storm: a fork arriving while a popup was open took the focus, the popup stayed
/// open unseen on the old pane, and a later y answered it.
@Suite struct PopupFocusTests {
    @Test func aForkArrivingUnderAPopupLeavesTheFocusWithThePopup() {
        var state = DashboardViewTests.fixedState(runs: 2)
        state.focus = 0
        _ = state.handle(.character("i"))
        #expect(state.panes[0].state.overlay == .confirmInitializer(.std(0.01)))
        var snap = TrainingSession.Snapshot()
        snap.order = [0, 7, 1]
        var out = SessionOutput()
        out.status = state.panes[0].state.status
        out.events = [.init(step: 1200, label: "⑂ forked", kind: "forked", from: "0")]
        snap.runs[7] = out
        _ = state.apply(snap)
        #expect(state.focus == 0, "the popup's pane keeps the focus")
        let answer = state.handle(.character("y"))
        #expect(answer.map(\.run) == [0], "the answer lands on the pane that asked, not on the fork")
        #expect(state.panes[0].state.overlay == .none)
        // Without a popup the fork takes the focus, as before.
        var snap2 = TrainingSession.Snapshot()
        snap2.order = [0, 8, 7, 1]
        out.events = [.init(step: 1300, label: "⑂ forked", kind: "forked", from: "0")]
        snap2.runs[8] = out
        _ = state.apply(snap2)
        #expect(state.focus == 1 && state.panes[1].id == 8)
    }

    @Test func aPopupNeverOutlivesItsFocus() {
        var state = DashboardViewTests.fixedState(runs: 2)
        state.focus = 0
        _ = state.handle(.character("i"))
        state.focus = 1  // as a fork arrival or a click would
        #expect(state.handle(.character("y")).isEmpty, "the hidden question is not answered")
        #expect(state.panes[0].state.overlay == .none)
    }
}
