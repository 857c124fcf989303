import ArgumentParser
import Foundation
import NN
import TUI

/// `dlboard` / `dlboard dashboard`: the live dashboard. Falls back to `train`'s headless output when
/// there is no terminal to draw on (output piped, `TERM` unset, `dumb` or unknown).
struct DashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Train with the live dashboard (the default command)."
    )

    @OptionGroup var options: RunOptions
    @OptionGroup var regularization: RegularizationOptions
    @OptionGroup var screen: ScreenOptions

    func run() throws {
        let (dataset, directory, log, configs) = try options.prepare(
            name: "dashboard", configs: [regularization.config(options, defaultEpochs: 20)])
        let status = SessionLauncher(
            runs: [TrainingSession.RunSpec(config: configs[0])], dataset: dataset, dataDirectory: directory,
            log: log, logEvery: options.logEvery, sessionName: "dashboard", headless: false,
            glyphs: screen.glyphs, paused: screen.paused
        ).run()
        if status != 0 { throw ExitCode(status) }
    }
}
