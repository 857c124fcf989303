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

    @Option(parsing: .unconditional, help: "Iterations per run (optimizer-race, init-compare; the book: 2000).")
    var steps: Int?

    @Option(
        parsing: .unconditional,
        help: "Epochs per run (batchnorm-grid 20, overfit-weight-decay 201, overfit-dropout 301, random-search 50).")
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

    @Option(parsing: .unconditional, help: "random-search: trials per round (the book: 100).")
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

    @Option(parsing: .unconditional, help: "Seed of every random choice.")
    var seed: UInt64 = 0

    @Option(help: "Folder with the four MNIST-format IDX files (default: the bundled assets/mnist).")
    var data: String?

    @Option(name: .customLong("metrics-out"), help: "Write JSON Lines metrics to this file.")
    var metricsOut: String?

    @Flag(help: "Keep a run record under runs/<timestamp>-preset-<name>/metrics.jsonl.")
    var save = false

    @Option(name: .customLong("log-every"), parsing: .unconditional, help: "Write a step record every N steps.")
    var logEvery: Int = 1

    @Option(help: "Characters for charts: braille, blocks or ascii.")
    var glyphs: GlyphSet?

    @Flag(help: "Start paused.")
    var paused = false

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
        for (flag, r) in [("--lr-range", lrRange.values), ("--wd-range", wdRange.values)] {
            guard r.count == 2, r[0] < r[1], r.allSatisfy({ $0.isFinite && abs($0) < 30 }) else {
                throw ValidationError(
                    "\(flag): give two exponents, low,high with low < high (e.g. -6,-2), got \(r.map { "\($0)" }.joined(separator: ","))"
                )
            }
        }
        if rounds < 1 { throw ValidationError("--rounds: must be at least 1, got \(rounds)") }
        if logEvery < 1 { throw ValidationError("--log-every: must be at least 1, got \(logEvery)") }
        if save && metricsOut != nil { throw ValidationError("--save and --metrics-out: give only one of them") }
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
        let log = try MetricsLog.open(metricsOut: metricsOut, save: save, name: "preset-\(preset.rawValue)")
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
            try SessionLauncher(
                runs: runs, dataset: dataset, dataDirectory: directory, log: log, logEvery: logEvery,
                sessionName: "preset \(preset.rawValue)", headless: headless, glyphs: glyphs, paused: paused,
                trainEvaluationLimit: training.trainEvaluationLimit, groupSize: training.groupSize
            ).run()
            return
        }
        switch preset {
        case .activationHistograms:
            var screen = ActivationHistogramsScreen(seed: seed, activation: activation)
            try show(&screen, report: screen.report(), log: log)
        case .optimizerPaths:
            var screen = OptimizerPathsScreen(steps: steps ?? 30)
            try show(&screen, report: screen.report(), log: log)
        case .randomSearch:
            try runRandomSearch(log: log)
        default:
            throw ValidationError("preset \(preset.rawValue): not available yet")
        }
    }

    /// E9: the book's 500 images, shuffled, 20 % held out for validation; 784-100×6-10 ReLU He,
    /// SGD, batch 100, 50 epochs; the test set is never loaded into the search.
    func runRandomSearch(log: MetricsLog?) throws {
        let book = TrainingConfig(
            network: NetworkConfig(hidden: Array(repeating: 100, count: 6), activation: .relu, initializer: .he),
            optimizer: .sgd, batchSize: 100, epochs: epochs ?? 50, seed: seed)
        let (dataset, directory, fitted) = try loadData(
            trainSize: 500, validation: 0.2, usesTestSet: false, configs: [book])
        let base = fitted[0]
        let search = RandomSearch(dataset: dataset, base: base, trialsPerRound: trials ?? 100)
        let steps = max(1, search.dataset.train.count / base.batchSize)
        let ranges = RandomSearch.Ranges(
            lr: lrRange.values[0]...lrRange.values[1], weightDecay: wdRange.values[0]...wdRange.values[1])
        // Each trial gets its own config header when it is first logged (see `logTrials`), so replay
        // and export see every trial as a run.
        let header = TrialHeader(
            base: base, dataset: search.dataset, checksum: log == nil ? "" : search.dataset.checksum,
            directory: directory)
        if !headless, let screen = try? ScreenLoop.openScreen(glyphs: glyphs) {
            var model = RandomSearchScreen(search: search)
            search.startRound(ranges)
            let interrupted = ScreenLoop.run(&model, on: screen)
            search.stop()
            screen.close()
            logTrials(search.snapshot(), log: log, logged: [:], stepsPerEpoch: steps, header: header)
            log?.close()
            if let best = RandomSearchScreen.leaderboard(search.snapshot().trials).first {
                print(
                    String(
                        format: "dlboard: best trial val %.4f at lr %.3e, weight decay %.3e", best.finalValidation,
                        best.learningRate, best.weightDecay))
            }
            if interrupted { throw ExitCode(130) }
            return
        }
        if !headless { Console.error("dlboard: no terminal to draw on; running the search headless") }
        let stop = StopSignal.install()
        print(
            "dlboard preset random-search (E9): \(search.dataset.train.count) train / \(search.dataset.validation?.count ?? 0) validation from \(directory); test set not used"
        )
        print(
            "\(search.trialsPerRound) trials per round · \(base.network.inputSize)-100×6-10 ReLU He · SGD · batch 100 · \(base.epochs) epochs · seed \(seed)"
        )
        var current = ranges
        var logged: [Int: Int] = [:]
        for round in 1...rounds {
            print("round \(round): \(current.description)")
            search.startRound(current)
            while search.snapshot().running {
                if stop.isRequested {
                    search.stop()
                    break
                }
                logged = logTrials(search.snapshot(), log: log, logged: logged, stepsPerEpoch: steps, header: header)
                usleep(50_000)
            }
            logged = logTrials(search.snapshot(), log: log, logged: logged, stepsPerEpoch: steps, header: header)
            log?.flush()
            let board = RandomSearchScreen.leaderboard(search.snapshot().trials.filter { $0.round == round })
            print(" rank  trial   val    train  lr         weight decay")
            for (i, t) in board.prefix(20).enumerated() {
                print(
                    String(
                        format: " %4d  %5d  %.3f  %.3f  %.3e  %.3e%@", i + 1, t.id + 1, t.finalValidation,
                        t.trainAccuracy.last ?? 0,
                        t.learningRate, t.weightDecay, t.diverged ? "  diverged" : ""))
            }
            fflush(nil)
            if stop.isRequested {
                Console.say("interrupted")
                log?.close()
                throw ExitCode(stop.exitStatus)
            }
            guard round < rounds else { break }
            guard let next = search.narrowed() else {
                print("too few finished trials to narrow; stopping")
                break
            }
            current = next
        }
        log?.close()
    }

    /// Writes each trial's new epochs to the log (trial record first); returns the epochs logged per trial.
    @discardableResult
    func logTrials(
        _ s: RandomSearch.Snapshot, log: MetricsLog?, logged: [Int: Int], stepsPerEpoch: Int, header: TrialHeader
    ) -> [Int: Int] {
        guard let log else { return logged }
        var logged = logged
        for t in s.trials {
            let already = logged[t.id] ?? -1
            if already < 0 {
                var config = header.base
                config.learningRate = t.learningRate
                config.network.weightDecay = t.weightDecay
                log.writeConfig(
                    config, dataset: header.dataset, checksum: header.checksum, dataDirectory: header.directory,
                    run: t.id,
                    title: String(
                        format: "trial %d (round %d) lr %.2e wd %.2e", t.id + 1, t.round, t.learningRate, t.weightDecay)
                )
                log.write(
                    TrialRecord(
                        run: t.id, round: t.round, learningRate: Double(t.learningRate),
                        weightDecay: Double(t.weightDecay)))
            }
            for e in max(0, already)..<t.validationAccuracy.count {
                log.writeEval(
                    epoch: e + 1, step: (e + 1) * stepsPerEpoch, loss: nil, trainAccuracy: t.trainAccuracy[e],
                    testAccuracy: nil,
                    validationAccuracy: t.validationAccuracy[e], trainSeconds: 0, samplesPerSecond: 0, run: t.id)
            }
            logged[t.id] = t.validationAccuracy.count
        }
        return logged
    }

    /// An experiment without training: its screen, or its report when headless (or no terminal).
    func show<S: InteractiveScreen>(_ model: inout S, report: [String], log: MetricsLog?) throws {
        func printReport() {
            for line in report { print(line) }
            for line in report { log?.write(ReportRecord(line: line)) }
            log?.close()
        }
        if headless { return printReport() }
        let screen: NcursesScreen
        do {
            screen = try ScreenLoop.openScreen(glyphs: glyphs)
        } catch {
            Console.error("dlboard: \(error.description); printing the results instead")
            return printReport()
        }
        let interrupted = ScreenLoop.run(&model, on: screen)
        screen.close()
        log?.close()
        if interrupted { throw ExitCode(130) }
    }

    /// MNIST (or --data), restricted to the preset's training subset and split; `configs` fitted
    /// to it (see `DataLocator.load`).
    func loadData(trainSize presetSize: Int?, validation: Double, usesTestSet: Bool, configs: [TrainingConfig]) throws
        -> (Dataset, String, [TrainingConfig])
    {
        let size: DataLocator.TrainSize? =
            trainSize.map { .flag($0) } ?? presetSize.map { .presetDefault($0, preset: name ?? "") }
        return try DataLocator.load(
            data: data, dataset: nil, trainSize: size, testSize: testSize, usesTestSet: usesTestSet,
            validation: validation, seed: seed, configs: configs)
    }

}

/// What every trial's config header shares.
struct TrialHeader {
    var base: TrainingConfig
    var dataset: Dataset
    var checksum: String
    var directory: String
}
