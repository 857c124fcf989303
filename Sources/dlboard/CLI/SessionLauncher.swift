import ArgumentParser
import Foundation
import NN
import TUI

/// Opens a session of one or more runs on the dashboard, or headless when asked or when there is
/// no terminal to draw on. Shared by the dashboard, `compare` and `preset`; a single run without a
/// terminal gets the line-per-epoch output of `dlboard train`.
struct SessionLauncher {
    var runs: [TrainingSession.RunSpec]
    var dataset: Dataset
    var dataDirectory: String
    var log: MetricsLog?
    var logEvery: Int
    var sessionName: String
    var headless: Bool
    var glyphs: GlyphSet?
    var paused: Bool
    /// Training accuracy is measured on at most this many images per evaluation.
    var trainEvaluationLimit = 10_000
    /// Draw the runs as small multiples, this many per cell (more than 4 runs on screen).
    var groupSize: Int? = nil

    func run() throws {
        if !headless && runs.count > DashboardState.sideBySide && groupSize == nil {
            throw ValidationError(
                "\(sessionName): at most \(DashboardState.sideBySide) runs side by side, got \(runs.count); add --headless to train more"
            )
        }
        if headless { return try runHeadless() }
        // Before the screen opens: a signal from here on ends the session cleanly, never with the
        // default action over the screen (a kill, or SIGQUIT's crash report).
        let stop = StopSignal.install()
        let screen: NcursesScreen
        do {
            screen = try NcursesScreen(glyphs: glyphs)
        } catch {
            Console.error("dlboard: \(error.description); training without the dashboard")
            return try runHeadless()
        }
        // Whatever ends this scope — an error thrown from here on included — leaves the alternate
        // screen before `DLBoard.main` prints the error's one line (close() is idempotent).
        defer {
            TerminalGuard.disarm()
            screen.close()
        }
        TerminalGuard.arm()
        let session = TrainingSession(
            runs: runs, dataset: dataset, trainEvaluationLimit: trainEvaluationLimit,
            maxRuns: max(DashboardState.sideBySide, runs.count))
        let recorder = log.map {
            SessionRecorder(log: $0, dataset: dataset, dataDirectory: dataDirectory, logEvery: logEvery, specs: runs)
        }
        var dashboard = DashboardScreen(
            session: session, datasetName: dataset.name, sessionName: sessionName, recorder: recorder)
        dashboard.state.groupSize = groupSize
        dashboard.start(paused: paused)
        let interrupted = ScreenLoop.run(&dashboard, on: screen)
        // The record is complete (summary written, closed: `DashboardScreen.finish`) before the
        // terminal is touched: after a SIGHUP the terminal is gone and writing to it fails (EIO),
        // which curses and print ignore.
        TerminalGuard.disarm()
        screen.close()
        log?.close()
        print(dashboard.summary)
        log?.announceFailure()
        if interrupted { throw ExitCode(stop.exitStatus) }
    }

    private func runHeadless() throws {
        if runs.count == 1 {
            let status = HeadlessRun(
                config: runs[0].config, dataset: dataset, dataDirectory: dataDirectory, log: log,
                logEvery: logEvery
            ).run()
            if status != 0 { throw ExitCode(status) }
            return
        }
        let session = TrainingSession(
            runs: runs, dataset: dataset, trainEvaluationLimit: trainEvaluationLimit,
            publishInterval: 0.05, histogramInterval: 1e9, maxRuns: runs.count)
        let status = HeadlessComparison(
            session: session, sessionName: sessionName, dataDirectory: dataDirectory,
            log: log, logEvery: logEvery
        ).run().status
        if status != 0 { throw ExitCode(status) }
    }
}
