import TUI

/// An experiment without training (E1, E3): its screen, or its printed report — with `--headless`,
/// or when there is no terminal — which the run record keeps line by line.
enum ExperimentRun {
    /// Returns the process exit status (130 after a stop signal on screen: `StopSignal.exitStatus`).
    static func show<S: InteractiveScreen>(
        _ model: inout S, report: [String], log: MetricsLog?, headless: Bool, glyphs: GlyphSet?
    ) -> Int32 {
        func printReport() {
            for line in report { print(line) }
            for line in report { log?.write(ReportRecord(line: line)) }
            log?.close()
        }
        guard let screen = Frontend.screen(headless: headless, glyphs: glyphs, instead: "printing the results instead")
        else {
            printReport()
            return 0
        }
        let interrupted = ScreenLoop.run(&model, on: screen)
        log?.close()
        screen.close()
        return interrupted ? StopSignal.install().exitStatus : 0
    }
}
