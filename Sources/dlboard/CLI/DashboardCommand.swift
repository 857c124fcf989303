import ArgumentParser
import Foundation
import NN
import TUI

/// `dlboard` / `dlboard dashboard`: the live dashboard. Falls back to the headless trainer when
/// there is no terminal to draw on (output piped, `TERM` unset, `dumb` or unknown).
struct DashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Train with the live dashboard (the default command)."
    )

    @OptionGroup var options: RunOptions
    @OptionGroup var regularization: RegularizationOptions

    @Option(help: "Characters for charts: braille, blocks or ascii (default: braille in a UTF-8 locale, else ascii).")
    var glyphs: GlyphSet?

    @Flag(help: "Start paused (space starts training, n steps once).")
    var paused = false

    func run() throws {
        let (dataset, directory, log, configs) = try options.prepare(
            name: "dashboard", configs: [regularization.config(options, defaultEpochs: 20)])
        try SessionLauncher(
            runs: [TrainingSession.RunSpec(config: configs[0])], dataset: dataset, dataDirectory: directory,
            log: log, logEvery: options.logEvery, sessionName: "dashboard", headless: false,
            glyphs: glyphs, paused: paused
        ).run()
    }
}

extension GlyphSet: ExpressibleByArgument {}
