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
        let config = regularization.config(options, defaultEpochs: 20)
        let (dataset, directory, log) = try options.prepare()
        let screen: NcursesScreen
        do {
            screen = try NcursesScreen(glyphs: glyphs)
        } catch {
            FileHandle.standardError.write(Data("dlboard: \(error.description); training without the dashboard\n".utf8))
            let status = HeadlessRun(config: config, dataset: dataset, dataDirectory: directory, log: log,
                                     logEvery: options.logEvery).run()
            if status != 0 { throw ExitCode(status) }
            return
        }
        let session = TrainingSession(config: config, dataset: dataset)
        var loop = DashboardLoop(screen: screen, session: session, datasetName: dataset.name, log: log, logEvery: options.logEvery)
        log?.writeConfig(config, dataset: dataset, dataDirectory: directory)
        let summary = loop.run(startPaused: paused)
        screen.close()
        log?.close()
        print(summary)
        if let failure = log?.failure {
            FileHandle.standardError.write(Data("dlboard: warning: \(failure); metrics after that point were not saved\n".utf8))
        }
    }
}

extension GlyphSet: ExpressibleByArgument {}
