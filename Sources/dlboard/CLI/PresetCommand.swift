import ArgumentParser
import Foundation
import NN
import TUI

/// `dlboard preset NAME`: a chapter-6 experiment with the book's configuration, opened as a
/// comparison session that stays steerable (or run `--headless` for a script to check).
struct PresetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preset",
        abstract: "Run one of the book's chapter-6 experiments (dlboard preset --list).",
        discussion: "Presets: " + Preset.allCases.map(\.rawValue).joined(separator: ", ")
    )

    @Argument(help: "The experiment: \(Preset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var name: String?

    @Flag(help: "List the presets with what each one runs.")
    var list = false

    @Flag(help: "No dashboard: print the results (and write --metrics-out) for a script to check.")
    var headless = false

    @Option(help: "Iterations per run (optimizer-race, init-compare; the book: 2000).")
    var steps: Int?

    @Option(help: "Epochs per run (batchnorm-grid 20, overfit-weight-decay 201, overfit-dropout 301, random-search 50).")
    var epochs: Int?

    @Option(name: .customLong("train-size"), help: "Use only the first N training images (default: the book's for the preset).")
    var trainSize: Int?

    @Option(name: .customLong("test-size"), help: "Judge on only the first N test images (default: all 10,000).")
    var testSize: Int?

    @Option(help: "batchnorm-grid: how many of the 16 init scales (evenly spread, both ends kept).")
    var scales: Int?

    @Option(help: "random-search: trials per round (the book: 100).")
    var trials: Int?

    @Option(help: "activation-histograms: the activation to start with (a switches it on screen).")
    var activation: Activation = .sigmoid

    @Option(help: "Seed of every random choice.")
    var seed: UInt64 = 0

    @Option(help: "Folder with the four MNIST-format IDX files (default: the bundled assets/mnist).")
    var data: String?

    @Option(name: .customLong("metrics-out"), help: "Write JSON Lines metrics to this file.")
    var metricsOut: String?

    @Option(name: .customLong("log-every"), help: "Write a step record every N steps.")
    var logEvery: Int = 1

    @Option(help: "Characters for charts: braille, blocks or ascii.")
    var glyphs: GlyphSet?

    @Flag(help: "Start paused.")
    var paused = false

    var preset: Preset? { name.flatMap(Preset.init(rawValue:)) }

    var overrides: Preset.Overrides {
        Preset.Overrides(steps: steps, epochs: epochs, trainSize: trainSize, testSize: testSize,
                         scales: scales, trials: trials, seed: seed)
    }

    func validate() throws {
        if list { return }
        guard let name else {
            throw ValidationError("preset: name an experiment (\(Preset.allCases.map(\.rawValue).joined(separator: ", "))) or use --list")
        }
        guard Preset(rawValue: name) != nil else {
            throw ValidationError("preset: unknown experiment '\(name)'; known: \(Preset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        for (flag, value) in [("--steps", steps), ("--epochs", epochs), ("--train-size", trainSize), ("--test-size", testSize),
                              ("--scales", scales), ("--trials", trials)] {
            if let v = value, v < 1 { throw ValidationError("\(flag): must be at least 1, got \(v)") }
        }
        if let s = scales, s > 16 { throw ValidationError("--scales: the book has 16 init scales, got \(s)") }
        if logEvery < 1 { throw ValidationError("--log-every: must be at least 1, got \(logEvery)") }
    }

    func run() throws {
        if list {
            for p in Preset.allCases {
                print(p.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0) + p.experiment)
                print(String(repeating: " ", count: 22) + p.summary)
            }
            return
        }
        guard let preset else { return }
        let log = try metricsOut.map { path throws(LogError) in try MetricsLog(path: path) }
        BLASThreads.set(1)
        if let training = preset.training(overrides) {
            let (dataset, directory) = try loadData(trainSize: training.trainSize, validation: training.validationFraction,
                                                    usesTestSet: training.usesTestSet)
            try SessionLauncher(runs: training.runs, dataset: dataset, dataDirectory: directory, log: log, logEvery: logEvery,
                                sessionName: "preset \(preset.rawValue)", headless: headless, glyphs: glyphs, paused: paused,
                                trainEvaluationLimit: training.trainEvaluationLimit, groupSize: training.groupSize).run()
            return
        }
        switch preset {
        case .activationHistograms:
            var screen = ActivationHistogramsScreen(seed: seed, activation: activation)
            try show(&screen, report: screen.report(), log: log)
        case .optimizerPaths:
            var screen = OptimizerPathsScreen(steps: steps ?? 30)
            try show(&screen, report: screen.report(), log: log)
        default:
            throw ValidationError("preset \(preset.rawValue): not available yet")
        }
    }

    /// An experiment without training: its screen, or its report when headless (or no terminal).
    func show<S: InteractiveScreen>(_ model: inout S, report: [String], log: MetricsLog?) throws {
        func printReport() {
            for line in report { print(line) }
            for line in report { log?.write(#"{"type":"report","line":\#(MetricsLog.quoted(line))}"#) }
            log?.close()
        }
        if headless { return printReport() }
        let screen: NcursesScreen
        do {
            screen = try NcursesScreen(glyphs: glyphs)
        } catch {
            FileHandle.standardError.write(Data("dlboard: \(error.description); printing the results instead\n".utf8))
            return printReport()
        }
        ScreenLoop.run(&model, on: screen)
        screen.close()
        log?.close()
    }

    /// MNIST (or --data), restricted to the preset's training subset and split.
    func loadData(trainSize presetSize: Int?, validation: Double, usesTestSet: Bool) throws -> (Dataset, String) {
        let (directory, name) = try DataLocator.resolve(data: data, dataset: nil)
        let loaded = try MNIST.load(directory: directory)
        let size = trainSize ?? presetSize
        if let n = size, n > loaded.train.count {
            throw ValidationError("--train-size: \(n) is more than the \(loaded.train.count) training images in \(directory)")
        }
        var test = loaded.test
        if !usesTestSet { test = test.prefix(0) } else if let n = testSize { test = test.prefix(n) }
        let dataset = Dataset(name: name, train: loaded.train, test: test)
            .restricted(trainSize: size, validationFraction: validation, seed: seed)
        return (dataset, directory)
    }
}
