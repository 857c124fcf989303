import ArgumentParser
import Foundation
import NN
import TUI

/// `dlboard preset NAME`: a chapter-6 experiment with the book's configuration, opened as a
/// comparison session that stays steerable (or run `--headless` for a script to check).
struct PresetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preset",
        abstract: "Run one of the book's chapter-6 experiments, or one beyond them (dlboard preset --list).",
        discussion: "Presets: " + Preset.allCases.map(\.rawValue).joined(separator: ", ")
    )

    @Argument(help: "The experiment: \(Preset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var name: String?

    @Flag(help: "List the presets with what each one runs.")
    var list = false

    @Flag(help: "No dashboard: print the results (and write --metrics-out) for a script to check.")
    var headless = false

    @Option(
        parsing: .unconditional,
        help:
            "Iterations per run (optimizer-race, init-compare: the book's 2000; weight-symmetry: 300; activations: 1000)."
    )
    var steps: Int?

    @Option(
        parsing: .unconditional,
        help:
            "Epochs per run (batchnorm-grid 20, overfit-weight-decay 201, overfit-dropout 301, random-search 50, grid-vs-random 20, batch-size 10, lr-decay 15, loss-functions 10, augmentation 201, normalization 10, successive-halving 9, population 20)."
    )
    var epochs: Int?

    @Option(
        name: .customLong("train-size"), parsing: .unconditional,
        help: "Use only the first N training images (default: the book's for the preset).")
    var trainSize: Int?

    @Option(
        name: .customLong("test-size"), parsing: .unconditional,
        help: "Judge on only the first N test images (default: all 10,000).")
    var testSize: Int?

    @Option(
        parsing: .unconditional, help: "batchnorm-grid: how many of the 16 init scales (evenly spread, both ends kept)."
    )
    var scales: Int?

    @Option(
        parsing: .unconditional,
        help:
            "random-search: trials per round (the book: 100); grid-vs-random: trials of each search (16; the grid is ⌊√N⌋², random gets as many); successive-halving: trials drawn for the ladder (27)."
    )
    var trials: Int?

    @Option(help: "activation-histograms: the activation to start with (a switches it on screen).")
    var activation: Activation = .sigmoid

    @Option(
        parsing: .unconditional,
        help: "random-search: rounds to run headless (each narrowed around the best 5 of the last).")
    var rounds: Int = 1

    @Option(
        name: .customLong("lr-range"), parsing: .unconditional,
        help: "random-search: exponent range of the learning rate, e.g. -6,-2 for 10^U(-6,-2).")
    var lrRange: CommaList<Double> = CommaList([-6, -2])

    @Option(
        name: .customLong("wd-range"), parsing: .unconditional,
        help: "random-search: exponent range of the weight decay, e.g. -8,-4.")
    var wdRange: CommaList<Double> = CommaList([-8, -4])

    @Flag(
        name: .customLong("shared-init"),
        help:
            "random-search: every trial from the same initial weights and batches (default: each its own, as the book's)."
    )
    var sharedInit = false

    @OptionGroup(title: "Search (random-search, grid-vs-random, successive-halving, population)")
    var search: SearchOptions
    @OptionGroup var source: DataOptions
    @OptionGroup var record: RecordOptions
    @OptionGroup var screen: ScreenOptions

    var seed: UInt64 { source.seed }

    var preset: Preset? { name.flatMap(Preset.init(rawValue:)) }

    var overrides: Preset.Overrides {
        Preset.Overrides(
            steps: steps, epochs: epochs, trainSize: trainSize, testSize: testSize,
            scales: scales, trials: trials, seed: seed)
    }

    func validate() throws {
        if list { return }
        guard let name else {
            throw ValidationError(
                "preset: name an experiment (\(Preset.allCases.map(\.rawValue).joined(separator: ", "))) or use --list")
        }
        guard Preset(rawValue: name) != nil else {
            throw ValidationError(
                "preset: unknown experiment '\(name)'; known: \(Preset.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        for (flag, value) in [
            ("--steps", steps), ("--epochs", epochs), ("--train-size", trainSize), ("--test-size", testSize),
            ("--scales", scales), ("--trials", trials),
        ] {
            if let v = value, v < 1 { throw ValidationError("\(flag): must be at least 1, got \(v)") }
        }
        if let s = scales, s > 16 { throw ValidationError("--scales: the book has 16 init scales, got \(s)") }
        if let t = trials, t > Self.maxTrials {
            throw ValidationError("--trials: at most \(Self.maxTrials) trials a search, got \(t)")
        }
        for (flag, r) in [("--lr-range", lrRange.values), ("--wd-range", wdRange.values)] {
            guard r.count == 2, r[0] < r[1], r.allSatisfy({ $0.isFinite && abs($0) < 30 }) else {
                throw ValidationError(
                    "\(flag): give two exponents, low,high with low < high (e.g. -6,-2), got \(r.map { "\($0)" }.joined(separator: ","))"
                )
            }
        }
        if rounds < 1 { throw ValidationError("--rounds: must be at least 1, got \(rounds)") }
        if sharedInit && name != Preset.randomSearch.rawValue {
            throw ValidationError("--shared-init: only random-search has trials to share an init, not \(name)")
        }
        try search.validateSettings()
        if let preset = Preset(rawValue: name) {
            for flag in search.givenFlags where !Self.searchFlags(of: preset).contains(flag) {
                throw ValidationError("\(flag): preset \(name) does not take it")
            }
            if lrRange.values != [-6, -2] || wdRange.values != [-8, -4] {
                guard preset == .randomSearch else {
                    throw ValidationError("--lr-range/--wd-range: only random-search takes them; use --space")
                }
                if !search.space.isEmpty || search.spaceFile != nil {
                    throw ValidationError("--lr-range/--wd-range and --space: give the ranges in --space only")
                }
            }
            _ = try search.givenSpace()
        }
    }

    func run() throws {
        if list {
            for line in Self.listing() { print(line) }
            return
        }
        guard let preset else { return }
        let log = try record.open(name: "preset-\(preset.rawValue)")
        BLASThreads.set(1)
        if let training = preset.training(overrides) {
            let (dataset, directory, configs) = try loadData(
                trainSize: training.trainSize, validation: training.validationFraction,
                usesTestSet: training.usesTestSet, configs: training.runs.map(\.config))
            let runs = zip(training.runs, configs).map { spec, config in
                var spec = spec
                spec.config = config
                return spec
            }
            let status = SessionLauncher(
                runs: runs, dataset: dataset, dataDirectory: directory, log: log, logEvery: record.logEvery,
                sessionName: "preset \(preset.rawValue)", headless: headless, glyphs: screen.glyphs,
                paused: screen.paused, groupSize: training.groupSize,
                report: training.verdict.map { PresetReport(sessionName: "preset \(preset.rawValue)", verdict: $0) }
            ).run()
            if status != 0 { throw ExitCode(status) }
            return
        }
        let status: Int32
        switch preset {
        case .activationHistograms:
            var model = ActivationHistogramsScreen(seed: seed, activation: activation)
            status = ExperimentRun.show(
                &model, report: model.report(), log: log, headless: headless, glyphs: screen.glyphs)
        case .optimizerPaths:
            var model = OptimizerPathsScreen(steps: steps ?? 30)
            status = ExperimentRun.show(
                &model, report: model.report(), log: log, headless: headless, glyphs: screen.glyphs)
        case .randomSearch:
            status = try randomSearch(log: log).run()
        case .gridVsRandom:
            status = try gridVsRandom(log: log)
        case .successiveHalving:
            status = try successiveHalving(log: log)
        case .population:
            status = try population(log: log)
        default:
            throw ValidationError("preset \(preset.rawValue): not available yet")
        }
        if status != 0 { throw ExitCode(status) }
    }

    /// The most trials one search (a round, a grid, a ladder) takes: each trial holds a network in
    /// memory while its round runs, and a rung record lists every trial of its rung, which the
    /// reader accepts up to `RangeCheck.binLimit` entries — a search must not write a record it
    /// cannot read back.
    static let maxTrials = RangeCheck.binLimit

    /// The `SearchOptions` flags each search preset reads.
    static func searchFlags(of preset: Preset) -> Set<String> {
        switch preset {
        case .randomSearch, .gridVsRandom: ["--space", "--space-file"]
        case .successiveHalving: ["--space", "--space-file", "--eta", "--min-epochs", "--keep-pruned"]
        case .population:
            ["--space", "--space-file", "--members", "--exploit-every", "--quantile", "--resample", "--check-record"]
        default: []
        }
    }

    /// The space a search preset draws from: `--space`/`--space-file`, else random-search's
    /// `--lr-range`/`--wd-range` (the book's E9 by default).
    func searchSpace() throws -> SearchSpace {
        if let given = try search.givenSpace() { return given }
        do {
            return try SearchSpace([
                .init(.learningRate, .logUniform(low: lrRange.values[0], high: lrRange.values[1])),
                .init(.weightDecay, .logUniform(low: wdRange.values[0], high: wdRange.values[1])),
            ])
        } catch { throw ValidationError("--lr-range/--wd-range: \(error)") }
    }

    /// `--list`: the presets grouped by where they come from, each with its source and what it runs.
    static func listing() -> [String] {
        var lines: [String] = []
        for source in Preset.Source.allCases {
            let presets = Preset.allCases.filter { $0.source == source }
            guard !presets.isEmpty else { continue }
            if !lines.isEmpty { lines.append("") }
            lines.append(source.heading)
            for p in presets {
                lines.append("  " + p.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0) + p.experiment)
                lines.append(String(repeating: " ", count: 24) + p.summary)
            }
        }
        return lines
    }

    /// E9: the book's 500 images, shuffled, 20 % held out for validation; 784-100×6-10 ReLU He,
    /// SGD, batch 100, 50 epochs; the test set is never loaded into the search. The trials draw
    /// from `searchSpace()`; a space with a value the engine refuses is refused here, before any
    /// trial trains.
    func randomSearch(log: MetricsLog?) throws -> RandomSearchRun {
        let (dataset, directory, base) = try searchData(epochs: epochs ?? 50)
        let space = try checkedSearchSpace(base: base, dataset: dataset)
        return RandomSearchRun(
            search: RandomSearch(
                dataset: dataset, base: base, space: space, trialsPerRound: trials ?? 100, sharedInit: sharedInit),
            rounds: rounds, seed: seed, directory: directory, log: log, headless: headless, glyphs: screen.glyphs)
    }

    /// E9's data and base network (see `randomSearch`), fitted to the data.
    func searchData(epochs: Int) throws -> (Dataset, String, TrainingConfig) {
        let book = TrainingConfig(
            network: NetworkConfig(hidden: Array(repeating: 100, count: 6), activation: .relu, initializer: .he),
            optimizer: .sgd, batchSize: 100, epochs: epochs, seed: seed)
        let (dataset, directory, fitted) = try loadData(
            trainSize: 500, validation: 0.2, usesTestSet: false, configs: [book])
        return (dataset, directory, fitted[0])
    }

    /// `searchSpace()`, refused in one line naming the flag it came from when a trial drawn from it
    /// could not train on `dataset` (`RandomSearch.check`).
    func checkedSearchSpace(base: TrainingConfig, dataset: Dataset) throws -> SearchSpace {
        let space = try searchSpace()
        try check(space, base: base, dataset: dataset)
        return space
    }

    /// Refuses `space` in one line naming the flag it came from when a trial drawn from it could not
    /// train on `dataset` (`RandomSearch.check`).
    func check(_ space: SearchSpace, base: TrainingConfig, dataset: Dataset) throws {
        do { try RandomSearch.check(space, base: base, dataset: dataset) } catch {
            throw ValidationError("\(spaceFlag): \(error)")
        }
    }

    /// How an error names where the space came from.
    var spaceFlag: String {
        !search.space.isEmpty ? "--space" : search.spaceFile.map { "--space-file: \($0)" } ?? "--lr-range/--wd-range"
    }

    /// MNIST (or --data), restricted to the preset's training subset and split; `configs` fitted
    /// to it (see `DataLocator.load`).
    func loadData(trainSize presetSize: Int?, validation: Double, usesTestSet: Bool, configs: [TrainingConfig]) throws
        -> (Dataset, String, [TrainingConfig])
    {
        let size: DataLocator.TrainSize? =
            trainSize.map { .flag($0) } ?? presetSize.map { .presetDefault($0, preset: name ?? "") }
        return try DataLocator.load(
            data: source.data, dataset: nil, trainSize: size, testSize: testSize, usesTestSet: usesTestSet,
            validation: validation, seed: seed, configs: configs)
    }
}
