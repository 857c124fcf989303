import ArgumentParser
import Foundation
import NN

/// `dlboard trial`: one trial of a search as one process, for schedulers (Ray Tune, Slurm): a
/// configuration in (flags, and/or a JSON spec), the run record out (JSON Lines), a summary line,
/// exit 0; checkpoints to go on from; SIGTERM as a normal end. The contract is the README's
/// "dlboard trial" section; `TrialRun` is the loop.
struct TrialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trial",
        abstract: "Run one search trial as one process: spec in, run record out (JSON Lines), checkpoints."
    )

    @OptionGroup var options: RunOptions
    @OptionGroup var regularization: RegularizationOptions

    @Option(
        help:
            ArgumentHelp(
                "The configuration as JSON: a record's config object or a whole config record line; - reads standard input. Flags given as well override its fields.",
                valueName: "FILE"))
    var spec: String?

    @Option(
        parsing: .unconditional,
        help: "Stop at this step (counted from step 0, also after --restore) instead of after --epochs.")
    var steps: Int?

    @Option(
        name: .customLong("checkpoint-dir"),
        help: ArgumentHelp(
            "At each evaluation write a checkpoint into DIR (atomically), before the evaluation's line.",
            valueName: "DIR"))
    var checkpointDir: String?

    @Option(
        help: ArgumentHelp(
            "Go on from the checkpoint in DIR; only --lr and --weight-decay may differ from its configuration.",
            valueName: "DIR"))
    var restore: String?

    @Flag(help: "After each evaluation, wait for a line on standard input before training on; end of input stops.")
    var paced = false

    func validate() throws {
        // As early as a subcommand can: a SIGTERM from here on ends the trial cleanly (a summary
        // "terminated", exit 0) rather than killing it; `run` gets the same object.
        _ = StopSignal.install()
        if let steps, steps < 1 { throw ValidationError("--steps: must be at least 1, got \(steps)") }
        if paced && spec == "-" {
            throw ValidationError("--paced and --spec -: standard input paces the trial; give the spec as a file")
        }
        if steps != nil && options.epochs != nil {
            throw ValidationError("--steps and --epochs: give only one of them (the budget)")
        }
        for (flag, value) in [("--checkpoint-dir", checkpointDir), ("--restore", restore), ("--spec", spec)]
        where value?.isEmpty == true {
            throw ValidationError("\(flag): expected a path, got an empty one")
        }
    }

    func run() throws {
        // First: a SIGTERM while the data loads must end the trial as one during training does.
        let stop = StopSignal.install()
        let restored = try restore.map { directory throws(TrialRun.Failure) in
            try TrialRestore.read(directory: directory)
        }
        if let restored {
            // Its values are the checkpoint's, not flags the user gave: said as the file's, exit 1.
            do { try restored.checkpoint.config.validate() } catch {
                throw TrialRun.Failure(
                    "--restore \(RecordText.printable(restored.directory)): checkpoint '\(RecordText.printable(restored.path))' holds an invalid configuration: \(error.message)"
                )
            }
        }
        let config = try requestedConfig(base: restored?.checkpoint.config)
        // The record is opened before the data loads, so an unwritable path fails first.
        let log: MetricsLog
        if let file = try options.record.open(name: "trial") {
            // The file holds the record; stdout the lines a scheduler reads.
            file.echoedTypes = [.eval, .summary]
            log = file
        } else {
            log = MetricsLog.standardOutput()
        }
        // A restored run's validation split must be the one it trained with: its seed's.
        let (dataset, directory, fitted) = try DataLocator.load(
            data: options.source.data, dataset: options.dataset, trainSize: options.trainSize.map { .flag($0) },
            validation: options.validation, seed: restored?.checkpoint.config.seed ?? config.seed,
            configs: [config])
        BLASThreads.set(options.threads)
        if let warning = fitted[0].batchNormWarning { Console.error("dlboard: warning: " + warning) }
        var driver: RunDriver
        var header = fitted[0]
        var firstEpoch: Int?
        let statistics = RunDriver.defaultLayerStatisticsInterval
        if let restored {
            if let problem = restored.mismatch(fitted[0]) { throw TrialRun.Failure(problem) }
            let trainer = try Self.restoredTrainer(restored, data: dataset)
            header = trainer.config
            header.learningRate = fitted[0].learningRate
            header.network.weightDecay = fitted[0].network.weightDecay
            header.epochs = fitted[0].epochs
            driver = RunDriver(
                id: 0, trainer: trainer, title: "", paused: false, stepTarget: steps, histogramInterval: 1e9,
                layerStatisticsInterval: statistics)
            if steps == nil { driver.epochTarget = fitted[0].epochs }
            driver.trainingSeconds = restored.trainingSeconds
            driver.layerStatisticsOrigin = trainer.steps
            driver.pendingEvents.append(
                .init(
                    step: trainer.steps, label: EventKind.restore.rawValue, kind: .restore,
                    from: trainer.stateDigest().hex))
            // The changes a restore may make, as ordinary events at the restore step.
            if fitted[0].effectiveLearningRate != trainer.config.effectiveLearningRate {
                driver.apply(.setLearningRate(fitted[0].effectiveLearningRate))
            }
            if fitted[0].network.weightDecay != trainer.config.network.weightDecay {
                driver.apply(.setWeightDecay(fitted[0].network.weightDecay))
            }
            firstEpoch = trainer.completedEpochs + 1
            if driver.reachedTarget {
                // Nothing to train: the result is the checkpoint's, evaluated once, so the record
                // (and a scheduler reading stdout) still ends with an evaluation and a summary.
                Console.error(
                    "dlboard: warning: --restore \(RecordText.printable(restored.directory)): the checkpoint is at step \(trainer.steps) (epoch \(trainer.completedEpochs)), the budget is \(steps.map { "\($0) steps" } ?? "\(fitted[0].epochs) epochs"): nothing to train; recording its evaluation"
                )
                driver.evaluate()
            }
        } else {
            driver = RunDriver(
                id: 0, trainer: Trainer(config: fitted[0], data: dataset), title: "", paused: false,
                stepTarget: steps, histogramInterval: 1e9, layerStatisticsInterval: statistics)
        }
        if let steps {
            // The header states the epochs that train (the last one partial when the step target
            // ends mid-epoch), not the spec's or the default's.
            let perEpoch = driver.trainer.stepsPerEpoch
            header.epochs = min(TrainingConfig.maximumEpochs, max(1, steps / perEpoch + (steps % perEpoch > 0 ? 1 : 0)))
        }
        if let checkpointDir { try TrialRun.probeCheckpointDirectory(checkpointDir, trainer: driver.trainer) }
        let recorder = SessionRecorder(
            log: log, dataset: dataset, dataDirectory: directory, logEvery: options.logEvery,
            specs: [TrainingSession.RunSpec(config: header)])
        recorder.firstEpochs[0] = firstEpoch
        var trial = TrialRun(
            driver: driver, recorder: recorder, log: log, checkpointDirectory: checkpointDir,
            pacer: paced ? TrialPacer() : nil, stop: stop)
        let (_, status) = try trial.run()
        if status != 0 { throw ExitCode(status) }
    }

    private static func restoredTrainer(_ restored: TrialRestore, data: Dataset) throws(TrialRun.Failure) -> Trainer {
        do { return try Trainer.restoring(restored.checkpoint, data: data, path: restored.path) } catch {
            throw TrialRun.Failure(flag: "--restore \(RecordText.printable(restored.directory))", error)
        }
    }

    // MARK: Spec and flags

    /// The configuration to train: `base` (the checkpoint's on a restore, else the flags' with
    /// their defaults), the spec's fields over it, then every configuration flag given on the
    /// command line over that. Validated; an invalid value is named by its flag when a flag set
    /// it, else by the spec.
    func requestedConfig(base: TrainingConfig?) throws -> TrainingConfig {
        var config = base ?? regularization.config(options, defaultEpochs: 5)
        var specName: String?
        if let spec {
            do {
                let parsed = try TrialSpec.read(spec)
                specName = parsed.name
                config = try parsed.applied(to: config)
            } catch { throw ValidationError(error.description) }
        }
        let given = Self.givenOptions(Array(CommandLine.arguments.dropFirst()))
        for (flags, set) in overrides where !given.isDisjoint(with: flags) { set(&config) }
        do { try config.validate() } catch {
            let flag = error.setting.flatMap(ConfigError.flag(for:))
            if let specName, flag.map({ !given.contains($0) }) ?? true {
                throw ValidationError("\(specName): \(error.message)")
            }
            throw ValidationError(error.flagMessage)
        }
        return config
    }

    /// The options of this command that take no value: everything else that starts with `--`
    /// takes one (the next argument, whatever it looks like, or after `=`).
    static let valuelessOptions: Set<String> = ["--batchnorm", "--save", "--paced", "--help", "--version"]

    /// The `--` options the arguments give (ArgumentParser cannot tell a value given from a
    /// default for a non-optional option, and the spec must keep its fields unless a flag is given).
    static func givenOptions(_ arguments: [String]) -> Set<String> {
        var given: Set<String> = []
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            i += 1
            guard argument.hasPrefix("--"), argument != "--" else { continue }
            if let equals = argument.firstIndex(of: "=") {
                given.insert(String(argument[..<equals]))
                continue
            }
            given.insert(argument)
            if !valuelessOptions.contains(argument) { i += 1 }
        }
        return given
    }

    /// Each configuration flag of `dlboard train` and what it sets: the value the flags parsed.
    private var overrides: [(flags: Set<String>, set: (inout TrainingConfig) -> Void)] {
        let o = options
        let r = regularization
        return [
            (["--optimizer"], { $0.optimizer = o.optimizer }),
            (["--lr"], { $0.learningRate = o.lr }),
            (["--lr-schedule"], { $0.schedule = o.lrSchedule }),
            (["--momentum"], { $0.optimizerParameters.momentum = o.momentum }),
            (["--beta1"], { $0.optimizerParameters.beta1 = o.beta1 }),
            (["--beta2"], { $0.optimizerParameters.beta2 = o.beta2 }),
            (["--rho"], { $0.optimizerParameters.rho = o.rho }),
            (["--eps"], { $0.optimizerParameters.epsilon = o.epsilon }),
            (["--init"], { $0.network.initializer = o.initializer.value }),
            (["--activation"], { $0.network.activation = o.activation }),
            (["--loss"], { $0.network.loss = o.loss }),
            (["--dropout-style"], { $0.network.dropoutStyle = o.dropoutStyle }),
            (["--hidden"], { $0.network.hidden = o.hidden.sizes }),
            (["--batch"], { $0.batchSize = o.batch }),
            (["--epochs"], { $0.epochs = o.epochs ?? $0.epochs }),
            (["--inputs"], { $0.inputs = o.inputs }),
            (["--augment"], { $0.augmentation = o.augment }),
            (["--sampling"], { $0.sampling = o.sampling }),
            (["--seed"], { $0.seed = o.source.seed }),
            (["--batchnorm", "--norm"], { $0.network.normalization = r.normalization }),
            (["--dropout"], { $0.network.dropout = r.dropout }),
            (["--input-dropout"], { $0.network.inputDropout = r.inputDropout }),
            (["--weight-decay"], { $0.network.weightDecay = r.weightDecay }),
        ]
    }
}
