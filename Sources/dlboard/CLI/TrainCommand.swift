import ArgumentParser
import Foundation
import NN

/// `dlboard train`: trains one network headless and prints a line per epoch — a one-run session
/// without a screen (`HeadlessSession`), so it measures what the dashboard measures.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train one network without the dashboard, printing one line per epoch."
    )

    @OptionGroup var options: RunOptions
    @OptionGroup var regularization: RegularizationOptions

    func run() throws {
        let (dataset, directory, log, configs) = try options.prepare(
            name: "train", configs: [regularization.config(options, defaultEpochs: 5)])
        let status = SessionLauncher(
            runs: [TrainingSession.RunSpec(config: configs[0])], dataset: dataset, dataDirectory: directory,
            log: log, logEvery: options.logEvery, sessionName: "train", headless: true, glyphs: nil, paused: false
        ).run()
        if status != 0 { throw ExitCode(status) }
    }
}
