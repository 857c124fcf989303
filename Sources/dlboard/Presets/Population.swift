import Foundation
import NN
import Synchronization

/// Population-based training (Jaderberg et al. 2017) in lock-step: N members from the same seed —
/// the same initial weights and the same batch sequence — that differ only in the lr and weight
/// decay drawn for each from the search space. They step together, two at a time on the two
/// cores; at every generation (each evaluation, or every `exploitEvery` steps) the bottom quantile
/// by validation accuracy *exploits* a top member — takes its exact state through the fork
/// machinery (`RunDriver.exploit(from:)`) — and *explores*: lr and weight decay each times a factor
/// (or drawn afresh), applied as `RunDriver.apply` commands, so they are events like a user's.
///
/// Every exploit carries the state digests of both sides (`Trainer.stateDigest`), taken right after
/// the copy and before the explore: the proof that the copy was exact. The test set is dropped.
final class Population: Sendable {
    struct Settings: Sendable, Equatable {
        var members: Int
        /// Steps between generations; nil: at each evaluation (every epoch's end).
        var exploitEvery: Int?
        var scheduler: PopulationBasedTraining
        /// Where each member's lr and weight decay are drawn from (and a resample redraws them).
        var space: SearchSpace
    }

    struct Member: Sendable {
        var id: Int
        /// The values drawn from the space, and the lr and weight decay the member started with.
        var values: [SearchKnob: SearchValue]
        var initialLearningRate: Float
        var initialWeightDecay: Float
        var learningRate: Float
        var weightDecay: Float
        var losses: [(step: Int, loss: Float)] = []
        var evaluations: [SessionOutput.Evaluation] = []
        var events: [SessionOutput.Event] = []
        var diverged = false
        /// The validation accuracy of its latest evaluation (0 before the first).
        var latestScore: Double { evaluations.last?.validationAccuracy ?? 0 }
    }

    struct Exploit: Sendable, Equatable {
        var step: Int
        var generation: Int
        var member: Int
        var donor: Int
        /// Validation accuracies at the generation (NaN: diverged).
        var score: Double
        var donorScore: Double
        /// The donor's value → the member's after explore, and the factor (nil: resampled).
        var learningRateFrom: Float
        var learningRateTo: Float
        var learningRateFactor: Double?
        var weightDecayFrom: Float
        var weightDecayTo: Float
        var weightDecayFactor: Double?
        /// The member's state right after the copy, and the donor's at that step.
        var digest: StateDigest
        var donorDigest: StateDigest
        /// Whether donor × factor left the space and was set to its nearest bound instead.
        var learningRateClamped = false
        var weightDecayClamped = false
    }

    /// One column of the lineage strip: the scores the generation ranked, and what each member
    /// trains with after it (column 0: the start, before any generation).
    struct Generation: Sendable, Equatable {
        var number: Int
        var step: Int
        var scores: [Double]
        var learningRates: [Float]
        var weightDecays: [Float]
        /// Per member, the donor it exploited in this generation (nil: it kept its own state).
        var donors: [Int?]
    }

    struct Snapshot: Sendable {
        var members: [Member] = []
        var exploits: [Exploit] = []
        var generations: [Generation] = []
        var step = 0
        var totalSteps = 0
        var stepsPerEpoch = 1
        var running = false
        var finished = false
        /// The best member's schedule re-trained as one run (`replayBestLineage`).
        var replay: PopulationReplay.Result?
        var replaying = false

        /// The member with the highest latest validation accuracy (ties: the lower number); a
        /// diverged member's last evaluation is stale, so it is not among them.
        var best: Int? {
            members.filter { !$0.evaluations.isEmpty && !$0.diverged }.max { a, b in
                a.latestScore != b.latestScore ? a.latestScore < b.latestScore : a.id > b.id
            }?.id
        }

        /// The best member's lineage as it stands now.
        var bestLineage: PopulationLineage? {
            best.map { PopulationLineage.trace(member: $0, upTo: step, exploits: exploits, members: members) }
        }
    }

    let dataset: Dataset
    let base: TrainingConfig
    let settings: Settings
    private let state = Mutex(Snapshot())
    private let stopRequested = Atomic<Bool>(false)
    private let queue = DispatchQueue(label: "dlboard.population", qos: .userInitiated)

    /// `dataset` must hold a validation split (the score); its test set is dropped here.
    init(dataset: Dataset, base: TrainingConfig, settings: Settings) {
        precondition(dataset.validation != nil, "population-based training needs a validation split")
        var d = dataset
        d.test = dataset.test.prefix(0)
        self.dataset = d
        self.base = base
        self.settings = settings
        let members = (0..<settings.members).map { Self.draw(member: $0, base: base, space: settings.space) }
        let perEpoch = max(1, d.train.count / base.batchSize)
        state.withLock { s in
            s.members = members
            s.stepsPerEpoch = perEpoch
            s.totalSteps = base.epochs * perEpoch
            s.generations = [
                Generation(
                    number: 0, step: 0, scores: members.map { _ in .nan }, learningRates: members.map(\.learningRate),
                    weightDecays: members.map(\.weightDecay), donors: members.map { _ in nil })
            ]
        }
    }

    /// Member `id`'s draw from the space, from a stream of its own: the values as the member
    /// trains with them (Float-rounded, as `config` holds them), so its record's `values` are its lr.
    static func draw(member id: Int, base: TrainingConfig, space: SearchSpace) -> Member {
        var g = SeededGenerator(seed: base.seed, stream: "population/member \(id + 1)")
        let values = SearchSpace.applicable(space.sample(using: &g), to: base)
        let c = SearchSpace.apply(values, to: base)
        return Member(
            id: id, values: values, initialLearningRate: c.effectiveLearningRate,
            initialWeightDecay: c.network.weightDecay, learningRate: c.effectiveLearningRate,
            weightDecay: c.network.weightDecay)
    }

    /// Member `id`'s starting configuration: the base one (the same seed for all: lock-step) with
    /// its drawn lr and weight decay.
    func config(ofMember id: Int) -> TrainingConfig {
        var c = base
        let m = snapshot().members[id]
        c.learningRate = m.initialLearningRate
        c.network.weightDecay = m.initialWeightDecay
        return c
    }

    func snapshot() -> Snapshot { state.withLock { $0 } }

    /// Starts training on the population's queue.
    func start() {
        state.withLock { $0.running = true }
        queue.async { [self] in
            train()
            state.withLock { $0.running = false }
        }
    }

    /// Stops after the current chunk of steps and waits until training and any replay have ended,
    /// so the record written next is the whole of it. No timeout: every member and the replay check
    /// the stop after each step, so this waits at most one step per member.
    func stop() {
        stopRequested.store(true, ordering: .relaxed)
        waitUntilDone()
    }

    func waitUntilDone() {
        while snapshot().running || snapshot().replaying { usleep(10_000) }
    }

    /// Re-trains the best member's schedule as one run on the population's queue (after training);
    /// the result lands in `Snapshot.replay`. Returns false while training or replaying.
    @discardableResult
    func replayBestLineage() -> Bool {
        let lineage: PopulationLineage? = state.withLock { s in
            guard !s.running, !s.replaying, let l = s.bestLineage else { return nil }
            s.replaying = true
            return l
        }
        guard let lineage else { return false }
        queue.async { [self] in
            let s = snapshot()
            let recorded = PopulationLineage.losses(of: lineage, members: s.members)
            let result = PopulationReplay.run(
                lineage, base: base, dataset: dataset, recordedLoss: { recorded[$0] },
                stop: { self.stopRequested.load(ordering: .relaxed) })
            state.withLock { st in
                st.replay = result
                st.replaying = false
            }
        }
        return true
    }

    private func train() {
        let members = snapshot().members
        var drivers = members.map { m in
            // No histograms between evaluations: nothing draws a member's layers.
            RunDriver(
                id: m.id, trainer: Trainer(config: config(ofMember: m.id), data: dataset),
                title: "member \(m.id + 1)", paused: false, histogramInterval: .infinity)
        }
        var g = SeededGenerator(seed: base.seed, stream: "population/generations")
        let perEpoch = drivers[0].trainer.stepsPerEpoch
        let total = base.epochs * perEpoch
        let every = settings.exploitEvery ?? perEpoch
        var step = 0
        var generation = 0
        while step < total && !stopRequested.load(ordering: .relaxed) {
            let nextGeneration = (step / every + 1) * every
            // Short chunks, so the screen sees the curves grow and a stop is quick.
            let end = min(nextGeneration, total, step + max(1, perEpoch / 2))
            stepAll(&drivers, steps: end - step)
            step = end
            let outputs = drivers.indices.map { drivers[$0].takeOutput() }
            publish(outputs, step: step)
            guard step == nextGeneration && step < total else { continue }
            generation += 1
            runGeneration(generation, step: step, drivers: &drivers, outputs: outputs, using: &g)
            publish(drivers.indices.map { drivers[$0].takeOutput() }, step: step)
        }
        state.withLock { $0.finished = step >= total }
    }

    /// Steps every running member `steps` times, one member per core at a time.
    private func stepAll(_ drivers: inout [RunDriver], steps: Int) {
        drivers.withUnsafeMutableBufferPointer { buffer in
            let members = PopulationMembers(buffer: buffer)
            DispatchQueue.concurrentPerform(iterations: members.buffer.count) { i in
                for _ in 0..<steps where members.buffer[i].isRunning { members.buffer[i].trainOneStep() }
            }
        }
    }

    private func publish(_ outputs: [SessionOutput], step: Int) {
        state.withLock { s in
            for (i, out) in outputs.enumerated() {
                s.members[i].losses += out.losses
                s.members[i].evaluations += out.evaluations
                s.members[i].events += out.events
                if let status = out.status {
                    s.members[i].diverged = status.diverged
                    s.members[i].learningRate = status.config.effectiveLearningRate
                    s.members[i].weightDecay = status.config.network.weightDecay
                }
            }
            s.step = step
        }
    }

    /// Scores, exploits and explores: the bottom quantile takes a top member's state, then
    /// perturbs (or redraws) lr and weight decay from the donor's values.
    private func runGeneration(
        _ number: Int, step: Int, drivers: inout [RunDriver], outputs: [SessionOutput],
        using g: inout SeededGenerator
    ) {
        let validation = dataset.validation!
        let scores: [Double] = drivers.indices.map { i in
            if drivers[i].diverged { return .nan }
            // The evaluation at this step when there is one (an epoch's end), else measured here:
            // evaluation-mode passes change no state.
            if let e = outputs[i].evaluations.last(where: { $0.step == step }), let v = e.validationAccuracy {
                return v
            }
            return drivers[i].trainer.accuracy(on: validation)
        }
        let decisions = settings.scheduler.exploits(scores: scores, using: &g)
        // Donors and exploiting members are disjoint (the top and bottom quantiles, each at most
        // half), so every donor's state below is as it stood at this step.
        var exploits: [Exploit] = []
        var donors: [Int?] = drivers.map { _ in nil }
        for d in decisions {
            let donor = drivers[d.donor]
            let donorDigest = donor.trainer.stateDigest()
            let lrFrom = donor.trainer.baseLearningRate
            let wdFrom = donor.trainer.network.weightDecay
            drivers[d.member].exploit(from: donor)
            let digest = drivers[d.member].trainer.stateDigest()
            let lr = settings.scheduler.explore(
                Double(lrFrom), dimension: settings.space.dimension(of: .learningRate), using: &g)
            let wd = settings.scheduler.explore(
                Double(wdFrom), dimension: settings.space.dimension(of: .weightDecay), using: &g)
            let (lrTo, lrClamped) = Self.bounded(lr.value, in: settings.space.dimension(of: .learningRate))
            let (wdTo, wdClamped) = Self.bounded(wd.value, in: settings.space.dimension(of: .weightDecay))
            drivers[d.member].apply(.setLearningRate(lrTo))
            drivers[d.member].apply(.setWeightDecay(wdTo))
            donors[d.member] = d.donor
            exploits.append(
                Exploit(
                    step: step, generation: number, member: d.member, donor: d.donor, score: scores[d.member],
                    donorScore: scores[d.donor], learningRateFrom: lrFrom, learningRateTo: lrTo,
                    learningRateFactor: lr.factor, weightDecayFrom: wdFrom, weightDecayTo: wdTo,
                    weightDecayFactor: wd.factor, digest: digest, donorDigest: donorDigest,
                    // A resample is drawn inside the space: at most Float's rounding moves it.
                    learningRateClamped: lrClamped && lr.factor != nil,
                    weightDecayClamped: wdClamped && wd.factor != nil))
        }
        let column = Generation(
            number: number, step: step, scores: scores, learningRates: drivers.map(\.trainer.baseLearningRate),
            weightDecays: drivers.map(\.trainer.network.weightDecay), donors: donors)
        state.withLock { s in
            s.exploits += exploits
            s.generations.append(column)
        }
    }
}

extension Population {
    /// The most member-steps a population trains: every step's loss of every member is kept for
    /// the screen's curves, the lineage and the record (16 bytes each, and the screen's snapshot
    /// copies them), so this bounds that history to a few hundred MB.
    static let memberStepLimit = 10_000_000

    /// An explored value as a member can train with it: inside the space's bounds (a perturbation
    /// past an edge is set to that edge, as Ray Tune's and Optuna's PBT do, so ×1.2 again and
    /// again cannot walk off to a rate the space never meant, or past Float's range), then a
    /// positive, finite Float. `clamped`: the bounds changed it.
    static func bounded(_ value: Double, in dimension: SearchDimension?) -> (value: Float, clamped: Bool) {
        var v = value
        if case .logUniform(let low, let high)? = dimension {
            let (lo, hi) = (pow(10, low), pow(10, high))
            if !(v >= lo) { v = lo } else if v > hi { v = hi }
        }
        var f = Float(v)
        if !(f > 0) { f = .leastNormalMagnitude } else if !f.isFinite { f = .greatestFiniteMagnitude }
        return (f, v != value || Double(f) != Double(Float(value)))
    }

    /// The final ranking: by latest validation accuracy (ties: the lower number), a diverged
    /// member last whatever its stale score — so rank 1 is `Snapshot.best`.
    static func ranking(_ members: [Member]) -> [Member] {
        members.sorted { a, b in
            if a.diverged != b.diverged { return !a.diverged }
            return a.latestScore != b.latestScore ? a.latestScore > b.latestScore : a.id < b.id
        }
    }
}

/// The members' drivers for one `concurrentPerform` call, proven safe to share: iteration `i`
/// reads and writes only element `buffer[i]` — one `RunDriver` and the `Trainer` it alone
/// references (an exploit forks the donor's trainer, so no two drivers share one); no two
/// iterations share memory. The buffer outlives the call (`concurrentPerform` returns only when
/// every iteration is done, inside `withUnsafeMutableBufferPointer`), and nothing else touches the
/// drivers meanwhile: the loop that owns them is blocked in that call. What is shared is read-only:
/// the `Dataset`.
private struct PopulationMembers: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<RunDriver>
}
