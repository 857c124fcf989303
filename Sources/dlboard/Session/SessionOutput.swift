import NN

/// What the training thread publishes for the screen. Values only: it crosses threads.
struct SessionOutput: Sendable {
    /// (step, loss) of every step since the last drain.
    var losses: [(step: Int, loss: Float)] = []
    /// Evaluations since the last drain.
    var evaluations: [Evaluation] = []
    /// Switches applied since the last drain, with the step before which they took effect.
    var events: [Event] = []
    /// The latest state (always present after the first publish).
    var status: Status?
    /// The latest activation statistics, one per hidden layer.
    var activations: [ActivationStatistics] = []
    /// Per-layer statistics of the steps since the last drain that collected them (at the
    /// dashboard's rate and at each evaluation's step), oldest first.
    var layerSamples: [LayerSample] = []
    /// Each step's batch indices, only when the session records them (tests).
    var batches: [[Int]] = []
    /// What the screen calls this run.
    var title = ""

    /// One step's per-Affine statistics (hidden layers, then the output layer).
    struct LayerSample: Sendable, Equatable {
        var step: Int
        var layers: [LayerStatistics]
    }

    struct Evaluation: Sendable, Equatable {
        var step: Int
        var epoch: Int
        /// The mean batch loss (as the run's `LossRecording` takes it) of the steps since the previous
        /// evaluation; nil when none were taken (or a record did not say). The run record's `loss`.
        var meanLoss: Double?
        var trainAccuracy: Double
        /// nil when the run has no test set (random search never looks at it).
        var testAccuracy: Double?
        var validationAccuracy: Double?
        /// Wall seconds of the epoch's training (evaluation excluded) and its throughput.
        var trainSeconds: Double
        var samplesPerSecond: Double
        /// The hidden layers' activations right after this evaluation's step (for the run record's
        /// histograms); empty when not measured.
        var activations: [ActivationStatistics] = []
        /// The learning rate the evaluation's step trained with (the schedule's, for its epoch);
        /// nil when a record did not say.
        var learningRate: Float? = nil
    }

    /// A user switch, fork, restart or divergence: the marker label the charts show, plus what
    /// changed in machine form for the run record (`kind`, `from` → `to`), from which a replay
    /// rebuilds the run's configuration.
    struct Event: Sendable, Equatable {
        /// How the parent's marker of a fork begins (then the fork's title): a fork's pane takes
        /// its parent's markers up to this one.
        static let forkLabelPrefix = "⑂ fork →"
        /// The fork's own marker, at the step it was made.
        static let forkedLabel = "⑂ forked"

        var step: Int
        var label: String
        var kind: EventKind
        var from: String?
        var to: String?
    }

    struct Status: Sendable, Equatable {
        var config: TrainingConfig
        var step: Int
        var stepsPerEpoch: Int
        var epochTarget: Int
        var stepTarget: Int
        var paused: Bool
        var diverged: Bool
        var finished: Bool
        var samplesPerSecond: Double
        var lastLoss: Float
        /// How many commands the run has applied (see `RunDriver.appliedCommands`); 0 in a replay.
        var appliedCommands = 0
        /// Epochs trained, as samples seen over the training set's size (`Trainer.epochProgress`);
        /// nil where only steps are known, and then steps over `stepsPerEpoch`.
        var epochs: Double?
        /// Wall seconds spent in training steps so far (evaluations and pauses left out).
        var trainingSeconds = 0.0
        /// The training set's size (0 when not known): what an epoch of samples is.
        var trainSize = 0
        /// Training samples drawn so far (0 when not known).
        var samplesSeen = 0
        /// Steps that read inputs another run gathered (lock-step lanes, `RunDriver.sharedInputSteps`);
        /// 0 in a replay.
        var sharedInputSteps = 0

        var epochProgress: Double { epochs ?? Double(step) / Double(max(1, stepsPerEpoch)) }
        /// The rate the next step trains with: the schedule at its epoch, from the base rate (the same
        /// rule the trainer follows, so a replay and a predicted switch show it too).
        var currentLearningRate: Float {
            // Epochs counted in samples where the status has them (the trainer's rule), else steps.
            guard let epochs, epochs.isFinite, epochs >= 0, epochs < 1e9 else {
                return config.learningRate(forStep: step + 1, stepsPerEpoch: stepsPerEpoch)
            }
            return config.schedule.rate(base: config.effectiveLearningRate, epoch: Int(epochs) + 1)
        }
        /// Seconds until the epoch target at the current speed; nil when not running.
        var secondsToTarget: Double? {
            guard !paused, !finished, samplesPerSecond > 0 else { return nil }
            // In Double: a replayed record's step target and batch size may each be large (up to
            // RunRecordReader.countLimit), and their product would overflow Int.
            let remaining = Double(max(0, stepTarget - step))
            return remaining * Double(config.batchSize) / samplesPerSecond
        }
    }
}
