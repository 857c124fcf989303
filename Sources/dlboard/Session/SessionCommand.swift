import NN

/// A change the user asks of a running session. Applied by the training thread between two steps,
/// in the order sent.
///
/// A key that changes a setting relative to where it stands sends a relative intent (`cycleNormalization`,
/// `stepLearningRate(up:)`, …): the training thread resolves it against the live trainer when it
/// applies it, so two presses before the screen hears back still make two changes. A value the user
/// chose (the initializer confirmed in its popup, a preset's or a test's setting) is sent as it is.
enum SessionCommand: Sendable, Equatable {
    /// A fresh optimizer of this kind (state restarts at 0), at the book's default learning rate.
    case setOptimizer(OptimizerKind)
    /// The base rate α0 (the schedule scales it); keeps optimizer state.
    case setLearningRate(Float)
    /// From the next step on, the rate follows this schedule at the run's current epoch; keeps
    /// optimizer state and the step count.
    case setSchedule(LearningRateSchedule)
    /// Draws new weights from this initializer (and restarts optimizer state and BatchNorm/LayerNorm).
    case reinitialize(Initializer)
    case setActivation(Activation)
    /// Fresh normalization layers of this kind (γ 1, β 0) in place of the ones there were; weights kept.
    case setNormalization(Normalization)
    case setDropout(Float)
    case setWeightDecay(Float)
    /// Later batches hold this many images; the sampler keeps its place in samples.
    case setBatchSize(Int)
    /// Keeps weights and optimizer state; the next step's gradient is the new loss's.
    case setLoss(Loss)
    /// Later training batches get this augmentation (`.none`: as they are); evaluation never does.
    case setAugmentation(Augmentation)

    /// The optimizer `by` places on in `OptimizerKind.allCases` (wrapping), as `setOptimizer`.
    case cycleOptimizer(by: Int)
    /// The learning rate × or ÷ √10, rounded to two significant digits, within `SettingSteps`' limits.
    case stepLearningRate(up: Bool)
    /// The activation `by` places on in `Activation.allCases` (wrapping; see `Activation.cycled`), as
    /// `setActivation`.
    case cycleActivation(by: Int)
    /// The next normalization: none → BatchNorm → LayerNorm → none, as `setNormalization`.
    case cycleNormalization
    /// Dropout off when on; when off, on at `onRatio` (the ratio last used on this run).
    case toggleDropout(onRatio: Float)
    /// The Dropout ratio `by` steps of 0.05 on (from 0 when off), clamped.
    case stepDropout(by: Int)
    /// The next weight decay of `SettingSteps.weightDecays` (wrapping).
    case cycleWeightDecay
    /// The next larger (or smaller) size of `SettingSteps.batchSizes`, as `setBatchSize`.
    case stepBatchSize(up: Bool)
    /// The next loss of `Loss.allCases` (wrapping), as `setLoss`.
    case cycleLoss
    /// The next schedule of `LearningRateSchedule.cycle(epochs:)` (wrapping), as `setSchedule`.
    case cycleSchedule
    /// Augmentation off when on; when off, on as `onAugmentation` (the run's own, or `shift:2`).
    case toggleAugmentation(onAugmentation: Augmentation)

    case pause
    case resume
    /// One step while paused.
    case stepOnce
    /// Fresh weights from the current initializer and a fresh optimizer; curves are kept.
    case restart
    /// A copy of the run from where it stands (weights, optimizer state, batch position), added
    /// beside it as run `as`; switches sent to the copy leave the original alone. The screen picks
    /// the id so that it can send the copy's switches at once, before the copy has published
    /// anything: the session applies commands in order, so the copy exists when they arrive.
    case fork(as: Int)
}

extension SessionCommand {
    /// The absolute command this one amounts to for a run configured as `config`: a relative intent
    /// resolved, any other command as it is. nil when the intent changes nothing (a limit is reached).
    ///
    /// The one rule for both sides: the training thread applies what this gives against the live
    /// trainer, and the screen predicts the same against the settings it shows.
    func resolved(against config: TrainingConfig) -> SessionCommand? {
        let network = config.network
        switch self {
        case .cycleOptimizer(let by):
            return .setOptimizer(Self.cycle(OptimizerKind.allCases, from: config.optimizer, by: by))
        case .stepLearningRate(let up):
            return SettingSteps.learningRate(from: config.effectiveLearningRate, up: up).map { .setLearningRate($0) }
        case .cycleActivation(let by):
            return .setActivation(network.activation.cycled(by: by))
        case .cycleNormalization:
            return .setNormalization(network.normalization.next)
        case .toggleDropout(let onRatio):
            return .setDropout(network.dropout > 0 ? 0 : onRatio)
        case .stepDropout(let by):
            let ratio = SettingSteps.dropout(from: network.dropout, by: by)
            return ratio == network.dropout ? nil : .setDropout(ratio)
        case .cycleWeightDecay:
            return .setWeightDecay(Self.cycle(SettingSteps.weightDecays, from: network.weightDecay, by: 1))
        case .stepBatchSize(let up):
            return SettingSteps.batchSize(from: config.batchSize, up: up).map { .setBatchSize($0) }
        case .cycleLoss:
            return .setLoss(network.loss.cycled(by: 1))
        case .cycleSchedule:
            return .setSchedule(config.schedule.next(epochs: config.epochs))
        case .toggleAugmentation(let on):
            return .setAugmentation(config.augmentation.isNone ? on : .none)
        case .setOptimizer, .setLearningRate, .setSchedule, .reinitialize, .setActivation, .setNormalization,
            .setDropout, .setWeightDecay, .setBatchSize, .setLoss, .setAugmentation, .pause, .resume, .stepOnce,
            .restart, .fork:
            return self
        }
    }

    /// The chart marker of an absolute command that changes the run (nil for the others): what the
    /// run's event says, and what the screen shows at once for a command still on its way.
    var markerLabel: String? {
        switch self {
        case .setOptimizer(let kind): return "→ \(kind.displayName)"
        case .setLearningRate(let lr): return "lr \(Format.number(lr))"
        case .setSchedule(let schedule): return "lr \(schedule.argument)"
        case .reinitialize(let initializer): return "↺ \(initializer.displayName)"
        case .setActivation(let activation): return "→ \(activation.displayName)"
        case .setNormalization(let n): return Self.normalizationMarkers[n]
        case .setDropout(let ratio): return ratio > 0 ? "dropout \(Format.number(ratio))" : "−dropout"
        case .setWeightDecay(let decay): return "wd \(Format.number(decay))"
        case .setBatchSize(let size): return "batch \(size)"
        case .setLoss(let loss): return "→ \(loss.displayName)"
        case .setAugmentation(let a): return a.isNone ? "−aug" : "+aug \(a.argument)"
        case .restart: return "↺ restart"
        case .cycleOptimizer, .stepLearningRate, .cycleActivation, .cycleNormalization, .toggleDropout, .stepDropout,
            .cycleWeightDecay, .stepBatchSize, .cycleLoss, .cycleSchedule, .toggleAugmentation, .pause, .resume,
            .stepOnce, .fork:
            return nil
        }
    }

    /// The markers of a switch to each normalization (BatchNorm's "+BN" as before there was a choice).
    static let normalizationMarkers: [Normalization: String] = [.batch: "+BN", .layer: "+LN", .none: "−norm"]

    /// The book's BatchNorm switch, as the normalization it picks.
    static func setBatchNorm(_ on: Bool) -> SessionCommand { .setNormalization(on ? .batch : .none) }

    /// What the status bar says when this intent resolves to nothing; nil when silence is right.
    var limitNotice: String? {
        if case .stepLearningRate = self { return "learning rate limit" }
        if case .stepBatchSize(let up) = self { return up ? "largest batch size" : "smallest batch size" }
        return nil
    }

    /// The element `by` places after `value` in `all`, wrapping; a value not in `all` counts as the first.
    private static func cycle<T: Equatable>(_ all: [T], from value: T, by: Int) -> T {
        let i = all.firstIndex(of: value) ?? 0
        let n = all.count
        return all[((i + by) % n + n) % n]
    }
}
