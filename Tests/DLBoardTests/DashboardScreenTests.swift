import Foundation
import NN
import TUI
import Testing

@testable import dlboard

/// The live dashboard on the screen loop, driven as the loop drives it: keys through the quit
/// question, the clock folding in what the trainer published, the end-of-session line.
@Suite struct DashboardScreenTests {
    /// Ticks until `done` holds, or fails after `seconds`.
    func tick(
        _ model: inout QuitConfirmation<DashboardScreen>, seconds: Double = 20, until done: (DashboardState) -> Bool
    )
        -> Bool
    {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            _ = model.tick(now: ScreenLoop.now())
            if done(model.base.state) { return true }
            usleep(2000)
        }
        return false
    }

    @Test func keepTrainingResumesAPausedRunAndQuitSummarizes() throws {
        let session = TrainingSession(runs: [.init(config: SessionTests.config)], dataset: SessionTests.dataset())
        var screen = DashboardScreen(session: session, datasetName: "synthetic", recorder: nil)
        screen.start(paused: true)
        var model = QuitConfirmation(screen)
        #expect(tick(&model) { $0.focused?.status?.paused == true }, "starts paused")
        _ = model.handle(.character("q"))
        let asked = model.render(width: 100, height: 30, glyphs: .braille).text
        #expect(asked.contains("Quit dlboard?") && asked.contains("q quit   k keep training   Esc cancel"))
        _ = model.handle(.character("k"))
        #expect(!model.asking && !model.shouldQuit, "k closes the question")
        // (It may have reached its 30-step target and paused again by the time it is seen.)
        #expect(tick(&model) { ($0.focused?.status?.step ?? 0) > 0 }, "k resumed the paused run")
        _ = model.handle(.character("q"))
        _ = model.handle(.character("y"))
        #expect(model.shouldQuit, "q y quits")
        model.base.finish(stopReason: nil)
        let step = try #require(model.base.state.focused?.status?.step)
        #expect(model.base.summary.hasPrefix("dlboard: stopped at step \(step) (epoch "))
    }

    /// "Keep training" is a command like any key's: the pane counts it, so the pane's later
    /// predictions are replaced only once the run has applied them (a resume sent around the pane
    /// left the run one command ahead for good, and a switch then flickered back).
    @Test func keepTrainingIsCountedLikeAKey() throws {
        var config = SessionTests.config
        config.epochs = 1000
        let session = TrainingSession(runs: [.init(config: config)], dataset: SessionTests.dataset())
        var screen = DashboardScreen(session: session, datasetName: "synthetic", recorder: nil)
        screen.start(paused: true)
        var model = QuitConfirmation(screen)
        #expect(tick(&model) { $0.focused?.status?.paused == true })
        _ = model.handle(.character("q"))
        _ = model.handle(.character("k"))
        #expect(model.base.state.focused?.status?.paused == false, "shown running in the frame of the key")
        #expect(model.base.state.focused?.sentCommands == 1)
        #expect(tick(&model) { $0.focused?.status?.appliedCommands == 1 }, "the run applied it")
        _ = model.handle(.character("b"))
        #expect(model.base.state.focused?.status?.config.network.batchNorm == true)
        // Every status published from here on shows BN on: before the run applies b the pane keeps
        // its prediction, after it the run says so itself.
        let deadline = Date().addingTimeInterval(3)
        while Date() < deadline {
            _ = model.tick(now: ScreenLoop.now())
            let shown = try #require(model.base.state.focused?.status)
            #expect(shown.config.network.batchNorm, "BN shown off again at step \(shown.step)")
            if shown.appliedCommands == 2 { break }
            usleep(500)
        }
        #expect(model.base.state.focused?.status?.appliedCommands == 2)
        model.base.finish(stopReason: nil)
    }

    @Test func escapeInTheQuestionLeavesAPausedRunPaused() {
        let session = TrainingSession(runs: [.init(config: SessionTests.config)], dataset: SessionTests.dataset())
        var screen = DashboardScreen(session: session, datasetName: "synthetic", recorder: nil)
        screen.start(paused: true)
        var model = QuitConfirmation(screen)
        #expect(tick(&model) { $0.focused?.status?.paused == true })
        _ = model.handle(.character("q"))
        _ = model.handle(.escape)
        #expect(!model.asking && !model.shouldQuit)
        #expect(!tick(&model, seconds: 0.5) { ($0.focused?.status?.step ?? 0) > 0 }, "Esc only closes the question")
        model.base.finish(stopReason: nil)
        #expect(model.base.summary == "dlboard: stopped at step 0 (epoch 0.00)")
    }

    @Test func beforeTheFirstStepQAsksToo() {
        let session = TrainingSession(runs: [.init(config: SessionTests.config)], dataset: SessionTests.dataset())
        var model = QuitConfirmation(DashboardScreen(session: session, datasetName: "MNIST", recorder: nil))
        _ = model.handle(.character("q"))
        #expect(model.asking && !model.shouldQuit)
        _ = model.handle(.character("q"))
        #expect(model.shouldQuit)
        #expect(model.base.summary == "dlboard: stopped before the first step")
    }
}
