import ArgumentParser
import Foundation
import NN
import TUI

/// `dlboard compare`: several runs that differ in one knob, in lock-step on the same batches,
/// side by side (or headless).
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare runs that differ in one knob, side by side, trained in lock-step on the same batches.",
        discussion:
            "Example: dlboard compare --optimizers sgd,momentum,adagrad,adam. Up to \(DashboardState.sideBySide) runs on screen; more with --headless."
    )

    @OptionGroup var options: RunOptions
    @OptionGroup var variation: VariationOptions

    @Option(parsing: .unconditional, help: "Stop every run after this many steps instead of after --epochs epochs.")
    var steps: Int?

    @Flag(help: "No dashboard: a line per run and evaluation, then a summary.")
    var headless = false

    @OptionGroup var screen: ScreenOptions

    func validate() throws {
        if let s = steps, s < 1 { throw ValidationError("--steps: must be at least 1, got \(s)") }
        if variation.variedFlags.isEmpty {
            throw ValidationError(
                "compare needs one knob with several values, e.g. --optimizers sgd,adam or --batchnorm both")
        }
        if let problem = variation.unusedParameterProblem(for: options.optimizer) { throw ValidationError(problem) }
    }

    func run() throws {
        let wanted = variation.configs(options, defaultEpochs: 5)
        if !headless && wanted.count > DashboardState.sideBySide {
            throw ValidationError(
                "compare: at most \(DashboardState.sideBySide) runs side by side, got \(wanted.count); add --headless to train more"
            )
        }
        let (dataset, directory, log, configs) = try options.prepare(name: "compare", configs: wanted)
        let titles = ConfigDiff.titles(configs)
        let status = SessionLauncher(
            runs: zip(configs, titles).map { TrainingSession.RunSpec(config: $0, title: $1, stepTarget: steps) },
            dataset: dataset, dataDirectory: directory, log: log, logEvery: options.logEvery,
            sessionName: "compare", headless: headless, glyphs: screen.glyphs, paused: screen.paused
        ).run()
        if status != 0 { throw ExitCode(status) }
    }
}
