import Foundation
import NN
import Synchronization

/// One training run on a background queue, steered by commands and observed through a mailbox.
///
/// The `Trainer` is created on the training queue and never leaves it; the screen talks to it
/// only through `commands` (UI → trainer) and `output` (trainer → UI), both behind a `Mutex`, so
/// neither side ever waits for the other longer than a copy. The trainer publishes at most every
/// `publishInterval`, and computes activation histograms at most every `histogramInterval`.
final class TrainingSession: Sendable {
    let config: TrainingConfig
    let dataset: Dataset
    /// Training accuracy is measured on at most this many training images per evaluation (the
    /// book's `evaluate_sample_num_per_epoch`); the test set is always measured whole.
    let trainEvaluationLimit: Int
    let publishInterval: Double
    let histogramInterval: Double

    private let commands = Mutex<[SessionCommand]>([])
    private let output = Mutex(SessionOutput())
    private let stopRequested = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let queue = DispatchQueue(label: "dlboard.training", qos: .userInitiated)

    init(config: TrainingConfig, dataset: Dataset, trainEvaluationLimit: Int = 10_000,
         publishInterval: Double = 0.03, histogramInterval: Double = 0.25) {
        self.config = config
        self.dataset = dataset
        self.trainEvaluationLimit = trainEvaluationLimit
        self.publishInterval = publishInterval
        self.histogramInterval = histogramInterval
    }

    /// Starts training (or, with `paused`, waits for `.resume` or `.stepOnce`).
    func start(paused: Bool = false) {
        queue.async { [self] in
            var loop = TrainingLoop(session: self, paused: paused)
            loop.run()
            finished.signal()
        }
    }

    /// Queues a command; the trainer applies it before its next step.
    func send(_ command: SessionCommand) {
        commands.withLock { $0.append(command) }
        wake.signal()
    }

    /// Everything published since the last call (the status and histograms stay current).
    func drain() -> SessionOutput {
        output.withLock { out in
            let taken = out
            out.losses.removeAll(keepingCapacity: true)
            out.evaluations.removeAll()
            out.events.removeAll()
            return taken
        }
    }

    /// Stops the trainer after its current step and waits for it (at most `timeout` seconds).
    func stop(timeout: Double = 5) {
        stopRequested.store(true, ordering: .relaxed)
        wake.signal()
        _ = finished.wait(timeout: .now() + timeout)
    }

    // MARK: Used by the training loop

    fileprivate var isStopRequested: Bool { stopRequested.load(ordering: .relaxed) }
    fileprivate func takeCommands() -> [SessionCommand] { commands.withLock { c in defer { c.removeAll() }; return c } }
    fileprivate func waitForWork(seconds: Double) { _ = wake.wait(timeout: .now() + seconds) }
    fileprivate func publish(_ update: (inout SessionOutput) -> Void) { output.withLock { update(&$0) } }
}

/// The state that lives on the training queue only.
private struct TrainingLoop {
    let session: TrainingSession
    let trainer: Trainer
    var paused: Bool
    var diverged = false
    var finished = false
    var epochTarget: Int
    var pendingLosses: [(step: Int, loss: Float)] = []
    var pendingEvaluations: [SessionOutput.Evaluation] = []
    var pendingEvents: [SessionOutput.Event] = []
    var activations: [ActivationStatistics] = []
    var lastLoss: Float = .nan
    var lastPublish = 0.0
    var lastHistogram = -1.0
    var rateWindowSteps = 0
    var trainingSecondsInWindow = 0.0
    var samplesPerSecond = 0.0
    /// Wall-clock start of the current epoch's training, and the steps it has taken so far.
    var epochStart = 0.0
    var epochSteps = 0

    init(session: TrainingSession, paused: Bool) {
        self.session = session
        self.trainer = Trainer(config: session.config, data: session.dataset)
        self.paused = paused
        self.epochTarget = session.config.epochs
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    mutating func run() {
        publish(force: true)
        while !session.isStopRequested {
            // Commands in order; a single step runs where it stands, between the commands around it.
            var stepped = false
            for command in session.takeCommands() {
                if command == .stepOnce {
                    if !diverged { trainOneStep(); stepped = true }
                } else {
                    apply(command)
                }
            }
            if paused || diverged || finished {
                publish(force: true)
                if !stepped { session.waitForWork(seconds: 0.05) }
                continue
            }
            trainOneStep()
            publish(force: diverged || finished)
        }
        publish(force: true)
    }

    mutating func trainOneStep() {
        let t0 = Self.now()
        if epochSteps == 0 { epochStart = t0 }
        epochSteps += 1
        let loss = Float(trainer.step())
        trainingSecondsInWindow += Self.now() - t0
        rateWindowSteps += 1
        lastLoss = loss
        pendingLosses.append((trainer.steps, loss))
        if !loss.isFinite {
            diverged = true
            paused = true
            pendingEvents.append(.init(step: trainer.steps, label: "✗ diverged"))
        }
        let now = Self.now()
        if now - lastHistogram >= session.histogramInterval {
            activations = trainer.network.displayActivationStatistics()
            lastHistogram = now
        }
        if trainer.steps % trainer.stepsPerEpoch == 0 && !diverged {
            evaluate()
            if trainer.steps / trainer.stepsPerEpoch >= epochTarget {
                finished = true
                paused = true
            }
        }
    }

    mutating func evaluate() {
        let data = trainer.data
        let seconds = Self.now() - epochStart
        let samples = epochSteps * trainer.config.batchSize
        epochSteps = 0
        pendingEvaluations.append(.init(
            step: trainer.steps, epoch: trainer.steps / trainer.stepsPerEpoch,
            trainAccuracy: trainer.accuracy(on: data.train, limit: session.trainEvaluationLimit),
            testAccuracy: trainer.accuracy(on: data.test),
            validationAccuracy: data.validation.map { trainer.accuracy(on: $0) },
            trainSeconds: seconds, samplesPerSecond: seconds > 0 ? Double(samples) / seconds : 0))
    }

    /// Applies one command (`.stepOnce` is handled by the loop).
    mutating func apply(_ command: SessionCommand) {
        let step = trainer.steps
        func event(_ label: String) { pendingEvents.append(.init(step: step, label: label)) }
        switch command {
        case .setOptimizer(let kind):
            trainer.setOptimizer(kind)
            event("→ \(kind.displayName)")
        case .setLearningRate(let lr):
            trainer.setLearningRate(lr)
            event("lr \(Format.number(lr))")
        case .reinitialize(let initializer):
            trainer.reinitialize(initializer)
            diverged = false
            event("↺ \(initializer.displayName)")
        case .setActivation(let a):
            trainer.setActivation(a)
            diverged = false
            event("→ \(a.displayName)")
        case .setBatchNorm(let on):
            trainer.network.setBatchNorm(on)
            event(on ? "+BN" : "−BN")
        case .setDropout(let r):
            trainer.network.setDropout(r)
            event(r > 0 ? "dropout \(Format.number(r))" : "−dropout")
        case .setWeightDecay(let w):
            trainer.network.weightDecay = w
            event("wd \(Format.number(w))")
        case .pause:
            paused = true
        case .resume:
            if finished {
                // Continue past the target: one more target's worth of epochs.
                finished = false
                epochTarget += session.config.epochs
            }
            if !diverged { paused = false }
        case .stepOnce:
            break
        case .restart:
            trainer.reinitialize(trainer.network.config.initializer)
            diverged = false
            finished = false
            event("↺ restart")
        }
    }

    mutating func publish(force: Bool) {
        let now = Self.now()
        guard force || now - lastPublish >= session.publishInterval else { return }
        if trainingSecondsInWindow >= 0.25 || (force && trainingSecondsInWindow > 0.05) {
            samplesPerSecond = Double(rateWindowSteps * trainer.config.batchSize) / trainingSecondsInWindow
            rateWindowSteps = 0
            trainingSecondsInWindow = 0
        }
        lastPublish = now
        let status = SessionOutput.Status(
            config: trainer.config, step: trainer.steps, stepsPerEpoch: trainer.stepsPerEpoch,
            epochTarget: epochTarget, paused: paused, diverged: diverged, finished: finished,
            samplesPerSecond: samplesPerSecond, lastLoss: lastLoss)
        let losses = pendingLosses, evaluations = pendingEvaluations, events = pendingEvents
        let activations = self.activations
        pendingLosses.removeAll(keepingCapacity: true)
        pendingEvaluations.removeAll()
        pendingEvents.removeAll()
        session.publish { out in
            out.losses.append(contentsOf: losses)
            out.evaluations.append(contentsOf: evaluations)
            out.events.append(contentsOf: events)
            out.status = status
            out.activations = activations
        }
    }
}
