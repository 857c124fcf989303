import Foundation
import NN
import TUI

/// The main-thread loop of the dashboard: read keys (the frame clock), fold in what the trainer
/// published, redraw at most 30 times a second when something changed. It never waits for the
/// trainer, and the trainer never waits for it.
struct DashboardLoop {
    let screen: NcursesScreen
    let session: TrainingSession
    var state: DashboardState
    let recorder: SessionRecorder?
    /// Set when a stop signal (Ctrl-C, Ctrl-\\, SIGTERM, SIGHUP: see `StopSignal`) ended the loop
    /// rather than the user's q.
    private(set) var interrupted = false
    var log: MetricsLog? { recorder?.log }
    static let frameSeconds = 1.0 / 30

    init(
        screen: NcursesScreen, session: TrainingSession, datasetName: String, sessionName: String = "",
        recorder: SessionRecorder?
    ) {
        self.screen = screen
        self.session = session
        self.state = DashboardState(datasetName: datasetName, sessionName: sessionName)
        self.state.maxPanes = session.maxRuns
        self.recorder = recorder
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Runs until the user quits or a stop signal arrives; returns a one-line summary.
    mutating func run(startPaused: Bool) -> String {
        let stop = StopSignal.install()
        let started = Self.now()
        session.start(paused: startPaused)
        var lastDraw = -1.0
        var dirty = true
        while !state.shouldQuit && !stop.isRequested {
            let before = Self.now()
            // With something to draw, wake for the next frame; otherwise wait a whole frame for keys.
            let wait = dirty ? max(0, lastDraw + Self.frameSeconds - before) : Self.frameSeconds
            var key = screen.readKey(timeoutMilliseconds: Int(wait * 1000))
            var sawKey = false
            while let k = key {
                sawKey = true
                dirty = true
                if k != .resize {
                    for (run, command) in state.handle(k) { session.send(command, to: run) }
                }
                if state.shouldQuit { break }
                key = screen.readKey(timeoutMilliseconds: 0)
            }
            let snapshot = session.drainAll()
            if state.apply(snapshot) {
                recorder?.record(snapshot)
                dirty = true
            }
            log?.flushIfDue()
            if state.warning == nil, let failure = log?.failure {
                // Disk full or similar: say so for good; training goes on without the record.
                state.warning = "log stopped: \(failure)"
                dirty = true
            }
            let now = Self.now()
            if dirty && now - lastDraw >= Self.frameSeconds * 0.9 {
                let (w, h) = screen.size
                screen.present(DashboardView(state: state, glyphs: screen.glyphs).render(width: w, height: h))
                lastDraw = now
                dirty = false
            }
            // wgetch returns at once when stdin is at EOF: keep to the clock anyway, never spin.
            let elapsed = Self.now() - before
            if !sawKey && elapsed < wait - 0.001 { usleep(UInt32((wait - elapsed) * 1e6)) }
        }
        session.stop()
        let last = session.drainAll()
        _ = state.apply(last)
        recorder?.record(last)
        interrupted = stop.isRequested
        recorder?.finish(seconds: Self.now() - started, stopReason: interrupted ? stop.recordReason : nil)
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
