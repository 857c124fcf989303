import Foundation
import NN
import Synchronization

/// Successive halving on real trials, then a random search given the same budget: the engine of
/// `preset successive-halving`. Every trial is a `RunDriver` with its own initial weights and batch
/// order (seeded from its number); a trial keeps its driver from rung to rung and goes on from
/// where it stopped, so a trial promoted to the top rung has trained exactly as one trained straight
/// through. Each rung trains its trials to the rung's budget, two at a time on the two cores, then
/// `SuccessiveHalving.decide` ranks them by validation accuracy: the best ⌊n/η⌋ go on, the rest
/// stop — except the kept-alive ones, which train on to the full budget alongside the later rungs,
/// left out of every later decision, to measure the pruning regret.
///
/// Which pruned trials are kept alive: `keepPruned` of all the trials the ladder will prune, drawn
/// uniformly (seeded by the base seed) — the slots are drawn first (rung k prunes
/// sizes[k] − sizes[k+1] trials, known in advance), then within each rung which of its pruned
/// trials fill its slots. Only a pruned trial with a finite score can fill one: a diverged trial
/// never trains again, so keeping it would measure nothing. A rung with fewer such trials than slots
/// keeps fewer (`Snapshot.keptShort`).
///
/// The comparison: ⌊epochs spent / full budget⌋ trials trained to the full budget — the first
/// points of the same draw with the same seeds (so trial j of the comparison is trial j of the
/// ladder, trained straight through) — and their best validation accuracy against the ladder's.
final class SuccessiveHalvingSearch: Sendable {
    struct Trial: Sendable {
        /// The run id of its records: the ladder's trials 0..<n, the comparison's n… .
        var id: Int
        /// Which point of the draw it trains (the comparison's trial j trains the ladder's point j).
        var point: Int
        var values: [SearchKnob: SearchValue]
        var config: TrainingConfig
        /// One per epoch, as the trial's driver measured it.
        var evaluations: [SessionOutput.Evaluation] = []
        var diverged = false
        var training = false
        /// The rung (0 is the first) whose decision pruned it; nil while it goes on, or when it
        /// finished the ladder.
        var prunedAt: Int?
        var keptAlive = false
        var validationAccuracy: [Double] { evaluations.map { $0.validationAccuracy ?? 0 } }
        var epochs: Int { evaluations.count }
        var finalValidation: Double { evaluations.last?.validationAccuracy ?? .nan }

        /// Validation accuracy after `epochs` epochs; NaN when it never got there (it diverged).
        func score(atEpoch epochs: Int) -> Double {
            evaluations.last { $0.epoch == epochs }?.validationAccuracy ?? .nan
        }
    }

    enum Phase: Sendable, Equatable {
        /// Training the trials of rung k (0 is the first).
        case rung(Int)
        /// The random search with the ladder's budget.
        case comparison
        case done
    }

    struct Snapshot: Sendable {
        var trials: [Trial] = []
        var comparison: [Trial] = []
        var decisions: [RungDecision] = []
        /// Per decided rung, the pruned trials kept alive there.
        var kept: [[Int]] = []
        /// Kept-alive slots left empty because their rung had too few pruned trials that had not
        /// diverged.
        var keptShort = 0
        var phase = Phase.rung(0)
        var running = false
        /// Stopped before the end (a quit or a signal).
        var stopped = false
    }

    /// The numbers the search ends with (each nil until its part has run).
    struct Verdict: Sendable {
        var budgetSpent: Int
        var fullBudget: Int
        var keptBudget: Int
        var best: (run: Int, score: Double)?
        var randomTrials: Int
        var randomBudget: Int?
        var randomBest: (run: Int, score: Double)?
        var regret: (missed: Int, kept: Int)?
    }

    /// A trial's driver, touched by one thread at a time: the worker training it holds the lock for
    /// the whole stretch (uncontended), the search's queue between rungs.
    private final class Slot: Sendable {
        let driver = Mutex<RunDriver?>(nil)
    }

    let dataset: Dataset
    let halving: SuccessiveHalving
    let space: SearchSpace
    let keepPruned: Int
    let seed: UInt64
    private let slots: [Slot]
    private let state: Mutex<Snapshot>
    private let stopRequested = Atomic<Bool>(false)
    private let queue = DispatchQueue(label: "dlboard.successive-halving", qos: .userInitiated)

    /// `configs[i]` trains point `values[i]` (seed included, epochs the full budget); `dataset`
    /// must hold a validation split, and its test set is dropped here.
    init(
        dataset: Dataset, halving: SuccessiveHalving, space: SearchSpace, values: [[SearchKnob: SearchValue]],
        configs: [TrainingConfig], keepPruned: Int, seed: UInt64
    ) {
        precondition(dataset.validation != nil, "successive halving needs a validation split")
        precondition(values.count == configs.count && !configs.isEmpty)
        precondition(keepPruned <= Self.prunedCount(halving, trials: configs.count))
        var d = dataset
        d.test = dataset.test.prefix(0)
        self.dataset = d
        self.halving = halving
        self.space = space
        self.keepPruned = keepPruned
        self.seed = seed
        // The comparison has at most as many trials as the ladder (it spends no more than a full search).
        slots = (0..<2 * configs.count).map { _ in Slot() }
        var s = Snapshot()
        s.trials = configs.indices.map { Trial(id: $0, point: $0, values: values[$0], config: configs[$0]) }
        state = Mutex(s)
    }

    var trialCount: Int { slots.count / 2 }
    var fullEpochs: Int { halving.budgets.last ?? 1 }

    /// How many trials the ladder prunes in all when `trials` start: the most that can be kept alive.
    static func prunedCount(_ halving: SuccessiveHalving, trials: Int) -> Int {
        let sizes = halving.rungSizes(trials: trials)
        return zip(sizes, sizes.dropFirst()).reduce(0) { $0 + $1.0 - $1.1 }
    }

    /// The seed of trial `id` (0 is the first): the initial weights and batch order of its own.
    static func seed(ofTrial id: Int, base: UInt64) -> UInt64 {
        var g = SeededGenerator(seed: base, stream: "successive-halving/trial \(id + 1)")
        // 53 bits: the record's seed is then exact for any JSON reader (a double holds it).
        return g.next() >> 11
    }

    /// The search's `trials` points, drawn in order from `space`, each as `base` trains it
    /// (`SearchSpace.applicable`: numbers as the Float config holds them, no β where the optimizer
    /// has none), so a trial's record holds exactly what it trained with.
    static func points(_ space: SearchSpace, trials: Int, seed: UInt64, base: TrainingConfig) -> [[SearchKnob:
        SearchValue]]
    {
        var g = SeededGenerator(seed: seed, stream: "successive-halving/points")
        return (0..<trials).map { _ in SearchSpace.applicable(space.sample(using: &g), to: base) }
    }

    /// How many of each rung's pruned trials stay alive: `keepPruned` slots drawn uniformly among
    /// all the ladder's pruned, then counted by the rung they fall in.
    func keptPerRung() -> [Int] {
        let sizes = halving.rungSizes(trials: trialCount)
        let pruned = zip(sizes, sizes.dropFirst()).map { $0 - $1 }
        var g = SeededGenerator(seed: seed, stream: "successive-halving/keep")
        var slotsDrawn = Array(0..<pruned.reduce(0, +))
        slotsDrawn.shuffle(using: &g)
        var counts = Array(repeating: 0, count: pruned.count)
        for slot in slotsDrawn.prefix(keepPruned) {
            var s = slot
            for (k, p) in pruned.enumerated() {
                if s < p {
                    counts[k] += 1
                    break
                }
                s -= p
            }
        }
        return counts
    }

    func snapshot() -> Snapshot { state.withLock { $0 } }

    /// Runs the ladder, then the comparison, on the search's queue; returns at once.
    func start() {
        let started: Bool = state.withLock { s in
            guard !s.running, s.phase == .rung(0), s.decisions.isEmpty else { return false }
            s.running = true
            return true
        }
        guard started else { return }
        queue.async { [self] in
            runLadder()
            if !stopRequested.load(ordering: .relaxed) { runComparison() }
            state.withLock { s in
                s.running = false
                s.stopped = stopRequested.load(ordering: .relaxed)
                if !s.stopped { s.phase = .done }
            }
        }
    }

    /// Stops the training trials after their current step and waits until they have ended, so the
    /// record written next is the whole ladder so far. No timeout: every trial checks the stop each
    /// step.
    func stop() {
        stopRequested.store(true, ordering: .relaxed)
        waitUntilDone()
    }

    /// Waits until the search has finished (or stopped).
    func waitUntilDone() {
        while snapshot().running { usleep(10_000) }
    }

    private func runLadder() {
        let keep = keptPerRung()
        var members = Array(0..<trialCount)
        var alive: [Int] = []
        for (k, budget) in halving.budgets.enumerated() {
            state.withLock { $0.phase = .rung(k) }
            train(members + alive, to: budget)
            if stopRequested.load(ordering: .relaxed) { return }
            let scores = snapshot().trials
            let decision = halving.decide(
                rung: k, scores: members.map { (trial: $0, score: scores[$0].score(atEpoch: budget)) })
            let last = k == halving.budgets.count - 1
            var kept: [Int] = []
            var short = 0
            if !last, k < keep.count, keep[k] > 0 {
                var g = SeededGenerator(seed: seed, stream: "successive-halving/keep rung \(k + 1)")
                let finite = Set(decision.ranked.filter { !$0.score.isNaN }.map(\.trial))
                let candidates = decision.pruned.filter { finite.contains($0) }
                kept = Array(candidates.shuffled(using: &g).prefix(keep[k])).sorted()
                short = keep[k] - kept.count
            }
            let pruned = last ? [] : decision.pruned
            for id in pruned where !kept.contains(id) {
                // Its network is no longer needed: the ladder's memory shrinks with it.
                slots[id].driver.withLock { $0 = nil }
            }
            state.withLock { s in
                s.decisions.append(decision)
                s.kept.append(kept)
                s.keptShort += short
                for id in pruned { s.trials[id].prunedAt = k }
                for id in kept { s.trials[id].keptAlive = true }
            }
            alive += kept
            members = decision.promoted
        }
        for id in 0..<trialCount { slots[id].driver.withLock { $0 = nil } }
    }

    private func runComparison() {
        let s = snapshot()
        let m = min(trialCount, Self.verdict(s, halving: halving).budgetSpent / fullEpochs)
        state.withLock { s in
            s.phase = .comparison
            s.comparison = (0..<m).map { j in
                var t = s.trials[j]
                t.id = trialCount + j
                t.evaluations = []
                t.diverged = false
                t.training = false
                t.prunedAt = nil
                t.keptAlive = false
                return t
            }
        }
        train(Array(trialCount..<trialCount + m), to: fullEpochs)
    }

    /// Trains each run id to `epochs` epochs, two at a time: a free core takes the next.
    private func train(_ ids: [Int], to epochs: Int) {
        guard !ids.isEmpty else { return }
        DispatchQueue.concurrentPerform(iterations: ids.count) { k in
            train(ids[k], to: epochs)
        }
    }

    private func train(_ id: Int, to epochs: Int) {
        let ladder = id < trialCount
        let config = state.withLock { s in ladder ? s.trials[id].config : s.comparison[id - trialCount].config }
        func update(_ change: (inout Trial) -> Void) {
            state.withLock { s in
                if ladder { change(&s.trials[id]) } else { change(&s.comparison[id - trialCount]) }
            }
        }
        update { $0.training = true }
        slots[id].driver.withLock { slot in
            if slot == nil {
                // No histograms between evaluations: nothing draws this trial's layers.
                slot = RunDriver(
                    id: id, trainer: Trainer(config: config, data: dataset), title: "", paused: false,
                    histogramInterval: .infinity)
            }
            guard !slot!.diverged, slot!.trainer.completedEpochs < epochs else { return }
            slot!.epochTarget = epochs
            slot!.finished = false
            slot!.paused = false
            while slot!.isRunning {
                if stopRequested.load(ordering: .relaxed) { return }
                slot!.trainOneStep()
                guard !slot!.pendingEvaluations.isEmpty || slot!.diverged else { continue }
                let evaluations = slot!.takeOutput().evaluations
                let diverged = slot!.diverged
                update { t in
                    t.evaluations += evaluations
                    t.diverged = diverged
                }
            }
            // A random-search trial trains once, to the end: its network is done with.
            if !ladder { slot = nil }
        }
        update { $0.training = false }
    }

    /// The budget, the bests and the regret as the snapshot has them.
    static func verdict(_ s: Snapshot, halving: SuccessiveHalving) -> Verdict {
        let full = halving.budgets.last ?? 1
        var spent = 0
        var extra = 0
        for t in s.trials {
            if t.keptAlive, let k = t.prunedAt {
                let counted = min(t.epochs, halving.budgets[k])
                spent += counted
                extra += t.epochs - counted
            } else {
                spent += t.epochs
            }
        }
        var v = Verdict(
            budgetSpent: spent, fullBudget: s.trials.count * full, keptBudget: extra, randomTrials: s.comparison.count)
        func best(_ trials: [Trial]) -> (run: Int, score: Double)? {
            trials.map { (run: $0.id, score: $0.score(atEpoch: full)) }.filter { !$0.score.isNaN }
                .min { $0.score != $1.score ? $0.score > $1.score : $0.run < $1.run }
        }
        let ladderDone = s.decisions.count == halving.budgets.count
        if ladderDone {
            let finishers = Set(s.decisions.last?.ranked.map(\.trial) ?? [])
            v.best = best(s.trials.filter { finishers.contains($0.id) })
            let finals = s.trials.filter { finishers.contains($0.id) || $0.keptAlive }
            v.regret = SuccessiveHalving.pruningRegret(
                finalScores: Dictionary(uniqueKeysWithValues: finals.map { ($0.id, $0.score(atEpoch: full)) }),
                pruned: Set(s.trials.filter(\.keptAlive).map(\.id)))
        }
        if s.phase == .done {
            v.randomBudget = s.comparison.reduce(0) { $0 + $1.epochs }
            v.randomBest = best(s.comparison)
        }
        return v
    }
}
