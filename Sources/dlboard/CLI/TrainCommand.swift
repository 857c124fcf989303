import ArgumentParser
import Foundation
import NN

/// `dlboard train`: trains one network headless and prints a line per epoch.
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
        let run = HeadlessRun(
            config: configs[0], dataset: dataset, dataDirectory: directory,
            log: log, logEvery: options.logEvery)
        let status = run.run()
        if status != 0 { throw ExitCode(status) }
    }
}
