import Foundation
import NN
import Synchronization

/// The book's hyperparameter search (E9), on any search space: each trial's knobs drawn from a
/// `SearchSpace` (E9's: lr = 10^U(−6, −2), weight decay = 10^U(−8, −4)), trained on the training
/// subset and judged on the validation split — never on the test set, which the search's dataset
/// does not even hold. Rounds run on a background queue, two trials at a time on the two cores;
/// the screen (or the headless report) reads snapshots. A next round can narrow the space around
/// the best trials (coarse to fine), or be given its points (a grid).
///
/// Every trial builds its own network: its own initial weights and batch order, from a seed drawn
/// from the trial's number (the book's E9), so the search's verdict does not rest on one lucky
/// init. With `sharedInit`, every trial starts from the base configuration's seed instead
/// (lock-step trials: only the drawn knobs differ between them).
///
/// Each trial is a `RunDriver`, as every session's run is: its evaluations (the train-accuracy
/// rule, validation accuracy, mean loss, timing and samples/s) and its divergence are the driver's.
final class RandomSearch: Sendable {
    struct Trial: Sendable {
        var id: Int
        var round: Int
        /// The knobs' values, exactly as `config` has them (`SearchSpace.applicable`).
        var point: [SearchKnob: SearchValue]
        /// The base configuration with `point` put in and the trial's own seed.
        var config: TrainingConfig
        /// Why the engine refuses `config`, in one line; such a trial is done without training.
        var refusal: String?
        /// One per epoch, as the trial's driver measured it.
        var evaluations: [SessionOutput.Evaluation] = []
        var done = false
        var diverged = false
        var learningRate: Float { config.effectiveLearningRate }
        var weightDecay: Float { config.network.weightDecay }
        /// The seed of the trial's initial weights and batch order.
        var seed: UInt64 { config.seed }
        var trainAccuracy: [Double] { evaluations.map(\.trainAccuracy) }
        var validationAccuracy: [Double] { evaluations.map { $0.validationAccuracy ?? 0 } }
        var finalValidation: Double { evaluations.last?.validationAccuracy ?? 0 }
    }

    struct Snapshot: Sendable {
        var trials: [Trial] = []
        var round = 0
        /// The space of the latest round.
        var space = SearchSpace.book
        var running = false
    }

    let dataset: Dataset
    let base: TrainingConfig
    /// The first round's space; later rounds draw from a narrowed one (or are given points).
    let space: SearchSpace
    let trialsPerRound: Int
    let sharedInit: Bool
    private let state: Mutex<Snapshot>
    private let stopRequested = Atomic<Bool>(false)
    private let queue = DispatchQueue(label: "dlboard.random-search", qos: .userInitiated)

    /// `dataset` must hold a validation split; its test set is dropped here.
    init(
        dataset: Dataset, base: TrainingConfig, space: SearchSpace = .book, trialsPerRound: Int,
        sharedInit: Bool = false
    ) {
        precondition(dataset.validation != nil, "random search needs a validation split")
        var d = dataset
        d.test = dataset.test.prefix(0)
        self.dataset = d
        self.base = base
        self.space = space
        self.trialsPerRound = trialsPerRound
        self.sharedInit = sharedInit
        state = Mutex(Snapshot(space: space))
    }

    /// The seed of trial `id` (0 is the first): the base seed shared, or one of its own.
    func seed(ofTrial id: Int) -> UInt64 {
        guard !sharedInit else { return base.seed }
        var g = SeededGenerator(seed: base.seed, stream: "random-search/trial \(id + 1)")
        // 53 bits: the record's seed is then exact for any JSON reader (a double holds it).
        return g.next() >> 11
    }

    func snapshot() -> Snapshot { state.withLock { $0 } }

    /// Draws `count` (by default `trialsPerRound`) points from `space` and starts them as a round;
    /// ignored (false) while a round is running. Each round draws from its own stream, one uniform
    /// per knob in the space's `drawOrder`: E9's space draws what E9's script did.
    @discardableResult
    func startRound(_ space: SearchSpace, count: Int? = nil) -> Bool {
        start(space: space) { round in
            var g = SeededGenerator(seed: base.seed, stream: "random-search/round \(round)")
            return (0..<(count ?? trialsPerRound)).map { _ in space.point { Double(g.nextUniform()) } }
        }
    }

    /// Starts a round of the given points (e.g. a grid), `space` being what they span.
    @discardableResult
    func startRound(points: [[SearchKnob: SearchValue]], in space: SearchSpace) -> Bool {
        start(space: space) { _ in points }
    }

    private func start(space: SearchSpace, points: (Int) -> [[SearchKnob: SearchValue]]) -> Bool {
        let trials: [Trial]? = state.withLock { s in
            guard !s.running else { return nil }
            s.round += 1
            s.space = space
            s.running = true
            let first = s.trials.count
            let new = points(s.round).enumerated().map { k, drawn in
                let point = SearchSpace.applicable(drawn, to: base)
                var config = SearchSpace.apply(point, to: base)
                config.seed = seed(ofTrial: first + k)
                let refusal = Self.refusal(of: config, trainCount: dataset.train.count)
                return Trial(
                    id: first + k, round: s.round, point: point, config: config, refusal: refusal, done: refusal != nil)
            }
            s.trials += new
            return new
        }
        guard let trials else { return false }
        queue.async { [self] in
            let runnable = trials.filter { $0.refusal == nil }
            DispatchQueue.concurrentPerform(iterations: runnable.count) { k in
                run(runnable[k])
            }
            state.withLock { $0.running = false }
        }
        return true
    }

    /// Why the engine would refuse to train `config` on `trainCount` images, in one line (nil: it
    /// trains). A batch larger than the training set is refused too: a trial's batch is what its
    /// record says it trained with.
    static func refusal(of config: TrainingConfig, trainCount: Int) -> String? {
        do { try config.validate() } catch { return error.message }
        if config.batchSize > trainCount {
            return "a batch of \(config.batchSize) is more than the \(trainCount) training images"
        }
        return nil
    }

    /// The space of the last round narrowed around the best `top` finished trials (by final
    /// validation accuracy), `margin` wider on each side (`SearchSpace.narrowed`); nil with fewer
    /// than two to narrow around.
    func narrowed(top: Int = 5, margin: Double = 0.25) -> SearchSpace? {
        let s = snapshot()
        let best = s.trials.filter { $0.done && !$0.diverged && $0.refusal == nil }
            .sorted { $0.finalValidation > $1.finalValidation }.prefix(top)
        guard best.count >= 2 else { return nil }
        return s.space.narrowed(around: best.map(\.point), margin: margin)
    }

    /// Stops the running trials after their current step and waits until they have ended, so the
    /// record written next is the whole round. No timeout: every trial checks the stop each step.
    func stop() {
        stopRequested.store(true, ordering: .relaxed)
        waitForRound()
    }

    /// Waits for the running round to finish (or a stop).
    func waitForRound() {
        while snapshot().running { usleep(10_000) }
    }

    private func run(_ trial: Trial) {
        // No histograms between evaluations: nothing draws this trial's layers.
        var driver = RunDriver(
            id: trial.id, trainer: Trainer(config: trial.config, data: dataset), title: "", paused: false,
            histogramInterval: .infinity)
        while driver.isRunning {
            if stopRequested.load(ordering: .relaxed) { return }
            driver.trainOneStep()
            guard !driver.pendingEvaluations.isEmpty || driver.diverged else { continue }
            let out = driver.takeOutput()
            let diverged = driver.diverged
            state.withLock { s in
                s.trials[trial.id].evaluations += out.evaluations
                s.trials[trial.id].diverged = diverged
            }
        }
        state.withLock { $0.trials[trial.id].done = true }
    }
}
