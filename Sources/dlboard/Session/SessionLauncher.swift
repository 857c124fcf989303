import Foundation
import NN
import TUI

/// Opens a session of one or more runs on the dashboard, or headless when asked or when there is
/// no terminal to draw on (`Frontend`). Shared by the dashboard, `compare` and `preset`; a single run
/// without a screen gets the epoch table of `dlboard train` (`HeadlessSession`).
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
    /// Draw the runs as small multiples, this many per cell (more than 4 runs on screen).
    var groupSize: Int? = nil
    /// Headless, what to print instead of the default (`HeadlessSession.report`).
    var report: (any HeadlessReport)? = nil

    /// Trains until done, quit or stopped; returns the process exit status (0, or the stop's:
    /// 130 after a signal, 141 when stdout closed).
    func run() -> Int32 {
        // The commands refuse more runs than fit side by side before loading anything.
        precondition(
            headless || runs.count <= DashboardState.sideBySide || groupSize != nil,
            "\(runs.count) runs do not fit side by side")
        guard
            let screen = Frontend.screen(headless: headless, glyphs: glyphs, instead: "training without the dashboard")
        else { return runHeadless() }
        let stop = StopSignal.install()
        // Whatever ends this scope leaves the alternate screen (close() is idempotent).
        defer {
            TerminalGuard.disarm()
            screen.close()
        }
        TerminalGuard.arm()
        // The dashboard shows the layers (and a record keeps them): collected at its rate.
        let session = TrainingSession(
            runs: runs, dataset: dataset, maxRuns: max(DashboardState.sideBySide, runs.count),
            layerStatisticsInterval: RunDriver.defaultLayerStatisticsInterval)
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
        return interrupted ? stop.exitStatus : 0
    }

    /// Headless, nobody looks at the layers: they are collected only for a run record.
    private func runHeadless() -> Int32 {
        // The dashboard says it in its status bar; here nobody would see it until the numbers are bad.
        for (i, spec) in runs.enumerated() {
            guard let warning = spec.config.batchNormWarning else { continue }
            Console.error("dlboard: warning: " + (runs.count > 1 ? "run \(i + 1): " : "") + warning)
        }
        let session = TrainingSession(
            runs: runs, dataset: dataset, publishInterval: 0.05, histogramInterval: 1e9, maxRuns: runs.count,
            layerStatisticsInterval: log == nil ? 0 : RunDriver.defaultLayerStatisticsInterval)
        return HeadlessSession(
            session: session, sessionName: sessionName, dataDirectory: dataDirectory, log: log, logEvery: logEvery,
            report: report
        ).run().status
    }
}
