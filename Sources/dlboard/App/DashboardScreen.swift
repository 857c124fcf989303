import Foundation
import TUI

/// The live dashboard as a screen of the screen loop: a training session of one or more runs, its
/// screen state and its run record. On the clock it folds in what the trainer published and writes
/// it to the record; keys go through the screen state, and its commands to the session. It never
/// waits for the trainer, and the trainer never waits for it.
struct DashboardScreen: InteractiveScreen {
    let session: TrainingSession
    var state: DashboardState
    let recorder: SessionRecorder?
    private var started: Double?

    var log: MetricsLog? { recorder?.log }

    init(session: TrainingSession, datasetName: String, sessionName: String = "", recorder: SessionRecorder?) {
        self.session = session
        self.state = DashboardState(datasetName: datasetName, sessionName: sessionName)
        self.state.maxPanes = session.maxRuns
        self.recorder = recorder
    }

    /// Starts training (with `paused`, waits for space or `n`).
    mutating func start(paused: Bool) {
        started = ScreenLoop.now()
        session.start(paused: paused)
    }

    var showsOverlay: Bool { state.showsPopup }

    var keepAnswer: String? { "keep training" }

    /// Keep training: a paused focused run (paused by space, or at its target) trains on; a diverged
    /// one stays paused, as space leaves it.
    mutating func keep() {
        guard let s = state.focused?.status, s.paused, !s.diverged else { return }
        // Through the pane, as every key's command: it shows "running" at once and counts the
        // command, so its later predictions stay in step with what the run has applied.
        let id = state.panes[state.focus].id
        for command in state.panes[state.focus].state.send(.resume) { session.send(command, to: id) }
    }

    mutating func handle(_ key: Key) -> Bool {
        session.send(state.handle(key).map { (run: Int?($0.run), command: $0.command) })
        return true
    }

    mutating func tick(now: Double) -> Bool {
        var changed = false
        let snapshot = session.drainAll()
        if state.apply(snapshot) {
            recorder?.record(snapshot)
            changed = true
        }
        log?.flushIfDue()
        if state.warning == nil, let failure = log?.failure {
            // Disk full or similar: say so for good; training goes on without the record.
            state.warning = "log stopped: \(failure)"
            changed = true
        }
        return changed
    }

    func render(width: Int, height: Int, glyphs: GlyphSet) -> Buffer {
        DashboardView(state: state, glyphs: glyphs).render(width: width, height: height)
    }

    /// Stops the trainers, records what they published last and the summary, and closes the record,
    /// all before the terminal is touched: after a SIGHUP the terminal is gone and writing to it fails.
    mutating func finish(stopReason: StopReason?) {
        session.stop()
        let last = session.drainAll()
        _ = state.apply(last)
        recorder?.record(last)
        recorder?.finish(seconds: ScreenLoop.now() - (started ?? ScreenLoop.now()), stopReason: stopReason)
    }

    /// The end-of-session line, e.g. "dlboard: stopped at step 9642 (epoch 16.07); last test
    /// accuracy 0.9763; metrics in …", with every run's accuracy when there are several.
    var summary: String {
        guard let first = state.panes.first?.state, let s = first.status else {
            return "dlboard: stopped before the first step"
        }
        var line = String(format: "dlboard: stopped at step %d (epoch %.2f)", s.step, s.epochProgress)
        if state.isComparison {
            let accs = state.panes.enumerated().compactMap { i, p in
                p.state.testAccuracy.last.map { String(format: "%d: %.4f", i + 1, $0.y) }
            }
            if !accs.isEmpty { line += "; last test accuracy " + accs.joined(separator: ", ") }
        } else if let acc = first.testAccuracy.last {
            line += String(format: "; last test accuracy %.4f", acc.y)
        }
        if let log { line += "; metrics in \(log.path)" }
        return line
    }
}
