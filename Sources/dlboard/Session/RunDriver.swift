import Foundation
import NN

/// One run inside a session: its `Trainer` plus what the screen needs to know about it (paused,
/// diverged, finished, throughput) and what it has produced since the last publish.
///
/// Lives on the training queue only. Several drivers may step at the same time on different threads
/// (lock-step comparison); each touches only its own trainer.
struct RunDriver {
    let id: Int
    /// Replaced only by `exploit(from:)`, which takes on another run's state.
    private(set) var trainer: Trainer
    /// The train-accuracy rule of every run dlboard trains (`train`, the dashboard, `compare`, the
    /// presets, the random search's trials): each evaluation measures the first
    /// min(count, 10,000) training images — the book's `evaluate_sample_num_per_epoch`, which keeps an
    /// evaluation of the full 60,000 from costing about a third of an epoch of training. The test and
    /// validation sets are always measured whole.
    static let trainEvaluationLimit = 10_000
    let histogramInterval: Double
    /// The dashboard's rate of per-layer statistics (`LayerStatistics`): every this many steps.
    /// Counted in steps, not seconds, so runs in lock-step sample the same steps (apart from the
    /// early steps after a switch made in one of them, `layerStatisticsOrigin`).
    static let defaultLayerStatisticsInterval = 50
    /// Collect per-layer statistics on every `layerStatisticsInterval`-th step and on each step that
    /// ends in an evaluation; 0 never (headless without a record, random-search trials).
    let layerStatisticsInterval: Int
    /// The step of the run's start or of its last switch: the steps 1, 2, 4, … 32 after it collect
    /// too, because what a switch does shows in its first steps (lr 10 with SGD diverges by step
    /// 6, long before step 50) and the strips must show it before the loss does.
    var layerStatisticsOrigin = 0
    /// Epochs added by each resume past the target.
    let epochsPerTarget: Int
    /// Training stops (finished) after this many epochs, counted in samples (`Trainer.completedEpochs`,
    /// right across batch-size switches); nil when a preset's iteration count (`stepTarget`) ends it.
    var epochTarget: Int?
    /// A preset's iteration count: training stops at this step (nil: the epoch target ends it).
    var stepTarget: Int?
    var paused: Bool
    var diverged = false
    var finished = false
    var pendingLosses: [(step: Int, loss: Float)] = []
    /// When set, every step's batch indices are published too (tests check lock-step with them).
    var recordsBatches = false
    var pendingBatches: [[Int]] = []
    var pendingEvaluations: [SessionOutput.Evaluation] = []
    var pendingEvents: [SessionOutput.Event] = []
    var pendingLayerSamples: [SessionOutput.LayerSample] = []
    var activations: [ActivationStatistics] = []
    var lastLoss: Float = .nan
    var lastHistogram = -1.0
    var rateWindowSteps = 0
    var trainingSecondsInWindow = 0.0
    var samplesPerSecond = 0.0
    /// Wall-clock training seconds of the current epoch, the steps it has taken so far and their samples.
    var epochSeconds = 0.0
    var epochSteps = 0
    var epochSampleCount = 0
    var rateWindowSamples = 0
    /// Wall-clock seconds spent in training steps since the run began (evaluations and pauses left
    /// out): the charts' seconds axis.
    var trainingSeconds = 0.0
    /// How many commands `apply(_:)` has taken, published with the status: the screen shows its own
    /// prediction of the settings until the status has caught up with every command it sent.
    var appliedCommands = 0
    /// Steps that read the inputs another run of the lane had gathered (`Trainer.lastStepSharedInputs`),
    /// published with the status; a fork counts its own from 0.
    var sharedInputSteps = 0
    /// The sum of the batch losses since the last evaluation (its mean goes into the evaluation).
    var epochLossSum = 0.0
    /// The label the screen gives this run (what differs from the first run, or a preset's name).
    var title: String

    init(
        id: Int, trainer: Trainer, title: String, paused: Bool, stepTarget: Int? = nil, histogramInterval: Double,
        layerStatisticsInterval: Int = 0
    ) {
        precondition(layerStatisticsInterval >= 0, "layer statistics interval must be ≥ 0")
        self.id = id
        self.trainer = trainer
        self.title = title
        self.paused = paused
        self.epochsPerTarget = trainer.config.epochs
        self.stepTarget = stepTarget
        self.epochTarget = stepTarget == nil ? trainer.config.epochs : nil
        self.histogramInterval = histogramInterval
        self.layerStatisticsInterval = layerStatisticsInterval
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    var isRunning: Bool { !paused && !diverged && !finished }

    /// A copy that goes on from exactly here (weights, optimizer state, batch position); see
    /// `Trainer.fork()`. Both get a fork marker. The copy counts its own commands from 0
    /// (`appliedCommands`), as the screen counts those it sends to the new run.
    mutating func fork(id newID: Int, title: String) -> RunDriver {
        var copy = RunDriver(
            id: newID, trainer: trainer.fork(), title: title, paused: paused, stepTarget: stepTarget,
            histogramInterval: histogramInterval, layerStatisticsInterval: layerStatisticsInterval)
        copy.epochTarget = epochTarget
        copy.epochSampleCount = epochSampleCount
        copy.trainingSeconds = trainingSeconds
        copy.diverged = diverged
        copy.finished = finished
        copy.lastLoss = lastLoss
        copy.layerStatisticsOrigin = layerStatisticsOrigin
        copy.recordsBatches = recordsBatches
        copy.activations = activations
        copy.epochSteps = epochSteps
        copy.epochSeconds = epochSeconds
        copy.epochLossSum = epochLossSum
        pendingEvents.append(
            .init(
                step: trainer.steps, label: "\(SessionOutput.Event.forkLabelPrefix) \(title)", kind: .fork,
                to: String(newID)))
        copy.pendingEvents.append(
            .init(step: trainer.steps, label: SessionOutput.Event.forkedLabel, kind: .forked, from: String(id)))
        return copy
    }

    /// Population-based training's exploit: this run goes on from exactly where `donor` stands
    /// (a `Trainer.fork()` of it: weights, optimizer state, BatchNorm statistics, batch position,
    /// and with them the donor's lr and weight decay, which the caller then explores with `apply`),
    /// keeping its own id, title and epoch clock. A diverged run is revived this way. The event
    /// names the donor (`from`, its run id) and labels the marker "←n" with the donor's 1-based number.
    mutating func exploit(from donor: RunDriver) {
        trainer = donor.trainer.fork()
        diverged = donor.diverged
        finished = donor.finished
        paused = donor.paused
        lastLoss = donor.lastLoss
        activations = donor.activations
        layerStatisticsOrigin = trainer.steps
        pendingEvents.append(
            .init(
                step: trainer.steps, label: "←\(donor.id + 1)", kind: .exploit, from: String(donor.id)))
    }

    /// One step of the run. `donors`: trainers stepped just before on this thread whose inputs it
    /// may read instead of gathering its own (`Trainer.step(collectingStatistics:sharingInputsWith:)`
    /// checks they are the same numbers).
    mutating func trainOneStep(sharingInputsWith donors: ArraySlice<Trainer> = []) {
        let t0 = Self.now()
        epochSteps += 1
        let collect = collectsLayerStatistics(atStep: trainer.steps + 1)
        let samplesBefore = trainer.samplesSeen
        let exactLoss = trainer.step(collectingStatistics: collect, sharingInputsWith: donors)
        if trainer.lastStepSharedInputs { sharedInputSteps += 1 }
        let loss = Float(exactLoss)
        let dt = Self.now() - t0
        let samples = trainer.samplesSeen - samplesBefore
        epochLossSum += exactLoss
        trainingSecondsInWindow += dt
        epochSeconds += dt
        trainingSeconds += dt
        rateWindowSteps += 1
        rateWindowSamples += samples
        epochSampleCount += samples
        lastLoss = loss
        pendingLosses.append((trainer.steps, loss))
        if recordsBatches { pendingBatches.append(trainer.lastBatch) }
        if collect && trainer.lastLayerStatisticsStep == trainer.steps {
            pendingLayerSamples.append(.init(step: trainer.steps, layers: trainer.lastLayerStatistics))
        }
        if !loss.isFinite {
            diverged = true
            paused = true
            pendingEvents.append(.init(step: trainer.steps, label: "✗ diverged", kind: .diverged))
        }
        let now = Self.now()
        if now - lastHistogram >= histogramInterval {
            activations = trainer.network.displayActivationStatistics()
            lastHistogram = now
        }
        // A step always draws samples, so an epoch count of 0 samples means this step ended one.
        if !diverged && (trainer.epochSamples == 0 || trainer.steps == stepTarget) {
            evaluate()
        }
        if !diverged && reachedTarget {
            finished = true
            paused = true
        }
    }

    /// The epoch target or a preset's step target is reached.
    var reachedTarget: Bool {
        if let stepTarget { return trainer.steps >= stepTarget }
        return trainer.completedEpochs >= (epochTarget ?? 0)
    }

    /// The step at which the run will finish if the batch size stays as it is.
    var projectedStepTarget: Int {
        if let stepTarget { return stepTarget }
        let epochsLeft = Double(epochTarget ?? 0) - trainer.epochProgress
        // Clamped: a replayed or resumed run's product must not overflow Int (10¹⁵ steps is never reached).
        let left = min(1e15, max(0, (epochsLeft * Double(trainer.stepsPerEpoch)).rounded(.up)))
        return trainer.steps + (left.isFinite ? Int(left) : 0)
    }

    /// Whether the step that will be number `step` collects per-layer statistics: at the interval, at
    /// the steps 1, 2, 4, … after the start or the last switch (`layerStatisticsOrigin`), and at every
    /// step that ends in an evaluation (an epoch's end, the step target), so each evaluation has the
    /// layers as they stood. An epoch's end is known for the next step only (`trainer.steps + 1`):
    /// counted in samples, it moves when the batch size does.
    func collectsLayerStatistics(atStep step: Int) -> Bool {
        guard layerStatisticsInterval > 0 else { return false }
        let sinceOrigin = step - layerStatisticsOrigin
        let early = sinceOrigin > 0 && sinceOrigin < layerStatisticsInterval && sinceOrigin & (sinceOrigin - 1) == 0
        let endsEpoch = step == trainer.steps + 1 && trainer.nextStepEndsEpoch
        return early || step % layerStatisticsInterval == 0 || endsEpoch || step == stepTarget
    }

    mutating func evaluate() {
        let data = trainer.data
        let samples = epochSampleCount
        let seconds = epochSeconds
        epochSampleCount = 0
        let meanLoss = epochSteps > 0 ? epochLossSum / Double(epochSteps) : nil
        epochSteps = 0
        epochSeconds = 0
        epochLossSum = 0
        // The last training batch's activations, before the evaluation's forward passes replace them.
        let activations = trainer.network.displayActivationStatistics()
        let rate = trainer.optimizer.learningRate
        pendingEvaluations.append(
            .init(
                step: trainer.steps, epoch: trainer.completedEpochs, meanLoss: meanLoss,
                trainAccuracy: trainer.accuracy(on: data.train, limit: Self.trainEvaluationLimit),
                testAccuracy: data.test.count > 0 ? trainer.accuracy(on: data.test) : nil,
                validationAccuracy: data.validation.map { trainer.accuracy(on: $0) },
                trainSeconds: seconds, samplesPerSecond: seconds > 0 ? Double(samples) / seconds : 0,
                activations: activations, learningRate: rate))
    }

    /// Applies one command (`.stepOnce` and `.fork` are the session's). A relative intent is resolved
    /// against the trainer as it stands now, after every command before it, and its event names the
    /// real change (from → to).
    mutating func apply(_ command: SessionCommand) {
        appliedCommands += 1
        let step = trainer.steps
        let before = trainer.config
        // nil: an intent at its limit (the learning rate at its bound, Dropout at 0 or 0.9) changes nothing.
        guard let resolved = command.resolved(against: before) else { return }
        func event(_ kind: EventKind, _ from: String? = nil, _ to: String? = nil) {
            layerStatisticsOrigin = step
            let label = resolved.markerLabel ?? kind.rawValue
            pendingEvents.append(.init(step: step, label: label, kind: kind, from: from, to: to))
        }
        switch resolved {
        case .cycleOptimizer, .stepLearningRate, .cycleActivation, .cycleNormalization, .toggleDropout, .stepDropout,
            .cycleWeightDecay, .stepBatchSize, .cycleLoss, .cycleSchedule, .toggleAugmentation:
            // `resolved(against:)` turns every relative intent into the absolute command below.
            break
        case .setBatchSize(let size):
            let endedEpoch = trainer.setBatchSize(size)
            event(.batchSize, "\(before.batchSize)", "\(size)")
            // Fewer samples left in the epoch than the new batch holds: it ends here, evaluated as
            // any epoch's end is.
            if endedEpoch && !diverged {
                evaluate()
                if reachedTarget {
                    finished = true
                    paused = true
                }
            }
        case .setOptimizer(let kind):
            trainer.setOptimizer(kind)
            event(.optimizer, before.optimizer.rawValue, kind.rawValue)
        case .setLearningRate(let lr):
            trainer.setLearningRate(lr)
            event(.learningRate, "\(before.effectiveLearningRate)", "\(lr)")
        case .setSchedule(let schedule):
            trainer.setSchedule(schedule)
            event(.schedule, before.schedule.argument, schedule.argument)
        case .reinitialize(let initializer):
            trainer.reinitialize(initializer)
            diverged = false
            event(.initializer, before.network.initializer.argument, initializer.argument)
        case .setActivation(let a):
            trainer.setActivation(a)
            diverged = false
            event(.activation, before.network.activation.argument, a.argument)
        case .setNormalization(let n):
            trainer.network.setNormalization(n)
            event(.normalization, before.network.normalization.rawValue, n.rawValue)
        case .setDropout(let r):
            trainer.network.setDropout(r)
            event(.dropout, "\(before.network.dropout)", "\(r)")
        case .setWeightDecay(let w):
            trainer.network.weightDecay = w
            event(.weightDecay, "\(before.network.weightDecay)", "\(w)")
        case .setLoss(let loss):
            trainer.network.setLoss(loss)
            event(.loss, before.network.loss.rawValue, loss.rawValue)
        case .setAugmentation(let a):
            trainer.setAugmentation(a)
            event(.augmentation, before.augmentation.argument, a.argument)
        case .pause:
            paused = true
        case .resume:
            if finished {
                // Continue past the target: one more target's worth of epochs.
                finished = false
                if let target = stepTarget {
                    stepTarget = target + max(1, epochsPerTarget) * trainer.stepsPerEpoch
                } else {
                    epochTarget = trainer.completedEpochs + max(1, epochsPerTarget)
                }
            }
            if !diverged { paused = false }
        case .stepOnce, .fork:
            break
        case .restart:
            trainer.reinitialize(trainer.network.config.initializer)
            diverged = false
            finished = false
            event(.restart)
        }
    }

    /// The status now plus everything pending, which is cleared.
    mutating func takeOutput() -> SessionOutput {
        if trainingSecondsInWindow >= 0.25 || (!isRunning && trainingSecondsInWindow > 0.05) {
            samplesPerSecond = Double(rateWindowSamples) / trainingSecondsInWindow
            rateWindowSteps = 0
            rateWindowSamples = 0
            trainingSecondsInWindow = 0
        }
        let target = projectedStepTarget
        let perEpoch = trainer.stepsPerEpoch
        var status = SessionOutput.Status(
            config: trainer.config, step: trainer.steps, stepsPerEpoch: perEpoch,
            epochTarget: epochTarget ?? (target + perEpoch - 1) / perEpoch, stepTarget: target,
            paused: paused, diverged: diverged, finished: finished,
            samplesPerSecond: samplesPerSecond, lastLoss: lastLoss, appliedCommands: appliedCommands)
        status.epochs = trainer.epochProgress
        status.trainingSeconds = trainingSeconds
        status.trainSize = trainer.data.train.count
        status.samplesSeen = trainer.samplesSeen
        status.sharedInputSteps = sharedInputSteps
        var out = SessionOutput()
        out.losses = pendingLosses
        out.evaluations = pendingEvaluations
        out.events = pendingEvents
        out.status = status
        out.activations = activations
        out.title = title
        out.batches = pendingBatches
        out.layerSamples = pendingLayerSamples
        pendingLayerSamples.removeAll()
        pendingBatches.removeAll()
        pendingLosses.removeAll(keepingCapacity: true)
        pendingEvaluations.removeAll()
        pendingEvents.removeAll()
        return out
    }
}
