import Foundation
import NN
import Synchronization

/// The book's hyperparameter search (E9): trials with lr = 10^U(lr range) and weight decay =
/// 10^U(wd range), each trained on the training subset and judged on the validation split —
/// never on the test set, which the search's dataset does not even hold. Rounds run on a background
/// queue, two trials at a time on the two cores; the screen (or the headless report) reads
/// snapshots. A next round can narrow the ranges around the best trials (coarse to fine).
///
/// Every trial builds its own network: its own initial weights and batch order, from a seed drawn
/// from the trial's number (the book's E9), so the search's verdict does not rest on one lucky
/// init. With `sharedInit`, every trial starts from the base configuration's weights and batches
/// instead (lock-step trials): only lr and weight decay differ between them.
///
/// Each trial is a `RunDriver`, as every session's run is: its evaluations (the train-accuracy
/// rule, validation accuracy, mean loss, timing and samples/s) and its divergence are the driver's.
final class RandomSearch: Sendable {
    /// Ranges of the base-10 exponents.
    struct Ranges: Sendable, Equatable {
        var lr: ClosedRange<Double>
        var weightDecay: ClosedRange<Double>
        static let book = Ranges(lr: -6 ... -2, weightDecay: -8 ... -4)

        var description: String {
            String(
                format: "lr 10^[%.2f, %.2f], weight decay 10^[%.2f, %.2f]", lr.lowerBound, lr.upperBound,
                weightDecay.lowerBound, weightDecay.upperBound)
        }
    }

    struct Trial: Sendable {
        var id: Int
        var round: Int
        var learningRate: Float
        var weightDecay: Float
        /// The seed of the trial's initial weights and batch order.
        var seed: UInt64
        /// One per epoch, as the trial's driver measured it.
        var evaluations: [SessionOutput.Evaluation] = []
        var done = false
        var diverged = false
        var trainAccuracy: [Double] { evaluations.map(\.trainAccuracy) }
        var validationAccuracy: [Double] { evaluations.map { $0.validationAccuracy ?? 0 } }
        var finalValidation: Double { evaluations.last?.validationAccuracy ?? 0 }
    }

    struct Snapshot: Sendable {
        var trials: [Trial] = []
        var round = 0
        var ranges = Ranges.book
        var running = false
    }

    let dataset: Dataset
    let base: TrainingConfig
    let trialsPerRound: Int
    let sharedInit: Bool
    private let state = Mutex(Snapshot())
    private let stopRequested = Atomic<Bool>(false)
    private let queue = DispatchQueue(label: "dlboard.random-search", qos: .userInitiated)

    /// `dataset` must hold a validation split; its test set is dropped here.
    init(dataset: Dataset, base: TrainingConfig, trialsPerRound: Int, sharedInit: Bool = false) {
        precondition(dataset.validation != nil, "random search needs a validation split")
        var d = dataset
        d.test = dataset.test.prefix(0)
        self.dataset = d
        self.base = base
        self.trialsPerRound = trialsPerRound
        self.sharedInit = sharedInit
    }

    /// The seed of trial `id` (0 is the first): the base seed shared, or one of its own.
    func seed(ofTrial id: Int) -> UInt64 {
        guard !sharedInit else { return base.seed }
        var g = SeededGenerator(seed: base.seed, stream: "random-search/trial \(id + 1)")
        // 53 bits: the record's seed is then exact for any JSON reader (a double holds it).
        return g.next() >> 11
    }

    func snapshot() -> Snapshot { state.withLock { $0 } }

    /// Samples and starts a round in the given ranges; ignored while a round is running.
    @discardableResult
    func startRound(_ ranges: Ranges) -> Bool {
        let trials: [Trial]? = state.withLock { s in
            guard !s.running else { return nil }
            s.round += 1
            s.ranges = ranges
            s.running = true
            var g = SeededGenerator(seed: base.seed, stream: "random-search/round \(s.round)")
            let first = s.trials.count
            let new = (0..<trialsPerRound).map { k in
                // The book's order: weight decay first, then lr.
                let wd = pow(
                    10,
                    ranges.weightDecay.lowerBound + Double(g.nextUniform())
                        * (ranges.weightDecay.upperBound - ranges.weightDecay.lowerBound))
                let lr = pow(
                    10, ranges.lr.lowerBound + Double(g.nextUniform()) * (ranges.lr.upperBound - ranges.lr.lowerBound))
                return Trial(
                    id: first + k, round: s.round, learningRate: Float(lr), weightDecay: Float(wd),
                    seed: seed(ofTrial: first + k))
            }
            s.trials += new
            return new
        }
        guard let trials else { return false }
        queue.async { [self] in
            DispatchQueue.concurrentPerform(iterations: trials.count) { k in
                run(trials[k])
            }
            state.withLock { $0.running = false }
        }
        return true
    }

    /// Ranges around the best `top` finished trials (by final validation accuracy), a quarter of a
    /// decade wider on each side.
    func narrowed(top: Int = 5, margin: Double = 0.25) -> Ranges? {
        let s = snapshot()
        let best = s.trials.filter { $0.done && !$0.diverged }.sorted { $0.finalValidation > $1.finalValidation }
            .prefix(top)
        guard best.count >= 2 else { return nil }
        let lrs = best.map { log10(Double($0.learningRate)) }
        let wds = best.map { log10(Double($0.weightDecay)) }
        return Ranges(
            lr: (lrs.min()! - margin)...(lrs.max()! + margin),
            weightDecay: (wds.min()! - margin)...(wds.max()! + margin))
    }

    /// Stops the running trials after their current step and waits (at most `timeout` seconds).
    func stop(timeout: Double = 5) {
        stopRequested.store(true, ordering: .relaxed)
        let deadline = Date().addingTimeInterval(timeout)
        while snapshot().running && Date() < deadline { usleep(5_000) }
    }

    /// Waits for the running round to finish (or a stop).
    func waitForRound() {
        while snapshot().running { usleep(10_000) }
    }

    private func run(_ trial: Trial) {
        var config = base
        config.learningRate = trial.learningRate
        config.network.weightDecay = trial.weightDecay
        config.seed = trial.seed
        // No histograms between evaluations: nothing draws this trial's layers.
        var driver = RunDriver(
            id: trial.id, trainer: Trainer(config: config, data: dataset), title: "", paused: false,
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
