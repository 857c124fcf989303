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

/// Every press counts, however fast: a storm of setting keys with the run's statuses arriving at
/// random moments (often stale, published before the run took the latest commands). The pane's
/// prediction always ends where the live trainer ends, every press of a setting key makes one real
/// change (from ≠ to), and the published status and the run's markers then replace the predicted ones.
@Suite struct KeyIntentStormTests {
    @Test func thePredictionEndsWhereTheTrainerDoes() {
        let keys: [Key] = "oO+=-abd[]w nr".map { .character($0) } + [.character("i"), .character("y")]
        var g = SeededGenerator(seed: 11)
        let data = SessionTests.dataset()
        for trial in 0..<60 {
            var driver = RunDriver(
                id: 0, trainer: Trainer(config: SessionTests.config, data: data), title: "", paused: true,
                histogramInterval: 1)
            var state = DashboardState(datasetName: data.name)
            var snapshot = TrainingSession.Snapshot()
            snapshot.order = [0]
            var events: [SessionOutput.Event] = []
            func publish() {
                let out = driver.takeOutput()
                events += out.events
                snapshot.runs[0] = out
                _ = state.apply(snapshot)
            }
            // As the session's training loop takes a command.
            func take(_ c: SessionCommand) {
                if c != .stepOnce {
                    driver.apply(c)
                } else if !driver.diverged {
                    driver.trainOneStep()
                }
            }
            publish()
            // Commands sent but not yet taken by the run: it takes them at random moments too.
            var inFlight: [SessionCommand] = []
            var settingPresses = 0
            for _ in 0..<40 {
                let k = keys[g.nextInt(below: keys.count)]
                let commands = state.handle(k).map(\.command)
                if "oOabw".contains(where: { k == .character($0) }) && !commands.isEmpty { settingPresses += 1 }
                inFlight += commands
                switch g.nextInt(below: 4) {
                case 0: publish()  // a status from before the commands in flight
                case 1:
                    inFlight.forEach(take)
                    inFlight.removeAll()
                    publish()
                default: break
                }
            }
            inFlight.forEach(take)
            let predicted = state.panes[0].state.status?.config
            let trained = driver.trainer.config
            publish()
            let switches = events.filter {
                [EventKind.optimizer, .activation, .normalization, .weightDecay].contains($0.kind)
            }
            var problem: String?
            if predicted != trained {
                problem = "the screen showed \(String(describing: predicted)), the trainer has \(trained)"
            } else if !Self.sameSettings(state.panes[0].state.status, snapshot.runs[0]?.status) {
                problem = "the published status did not replace the prediction"
            } else if state.panes[0].state.markers.map(\.label) != events.map(\.label) {
                problem = "markers \(state.panes[0].state.markers.map(\.label)) for the events \(events.map(\.label))"
            } else if switches.count != settingPresses {
                problem = "\(settingPresses) presses of o O a b w made \(switches.count) changes"
            } else if let e = events.first(where: { $0.from != nil && $0.from == $0.to }) {
                problem = "an event changed nothing: \(e)"
            }
            if let problem {
                Issue.record("trial \(trial): \(problem)")
                return
            }
        }
    }

    /// The settings and run state of two statuses agree (the loss before the first step is NaN,
    /// which no status equals).
    static func sameSettings(_ a: SessionOutput.Status?, _ b: SessionOutput.Status?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return a.config == b.config && a.paused == b.paused && a.diverged == b.diverged && a.finished == b.finished
            && a.step == b.step && a.appliedCommands == b.appliedCommands
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
        out.events = [.init(step: 1200, label: "⑂ forked", kind: .forked, from: "0")]
        snap.runs[7] = out
        _ = state.apply(snap)
        #expect(state.focus == 0, "the popup's pane keeps the focus")
        let answer = state.handle(.character("y"))
        #expect(answer.map(\.run) == [0], "the answer lands on the pane that asked, not on the fork")
        #expect(state.panes[0].state.overlay == .none)
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
        _ = state.handle(.character("i"))
        state.focus = 1  // as a fork arrival or a click would
        #expect(state.handle(.character("y")).isEmpty, "the hidden question is not answered")
        #expect(state.panes[0].state.overlay == .none)
    }
}
