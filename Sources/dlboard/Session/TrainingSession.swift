import Foundation
import NN
import Synchronization

/// One or several training runs on a background queue, steered by commands and observed through a
/// mailbox.
///
/// The trainers are created on the training queue and never leave it; the screen talks to them only
/// through `commands` (UI → trainer) and `output` (trainer → UI), both behind a `Mutex`, so neither
/// side ever waits for the other longer than a copy. Output is published at most every
/// `publishInterval`; activation histograms are computed at most every `histogramInterval`.
///
/// Several runs train in lock-step: every run draws its batches from a sampler with the same seed, so
/// batch *k* is the same images for all of them (whatever the network), and the running ones step
/// together, in parallel on the cores (`concurrentPerform`). A paused run keeps its place in the
/// sequence and resumes there.
final class TrainingSession: Sendable {
    struct RunSpec: Sendable {
        var config: TrainingConfig
        var title: String
        /// Finish at this step instead of after `config.epochs` epochs (the book's iteration counts).
        var stepTarget: Int?
        init(config: TrainingConfig, title: String = "", stepTarget: Int? = nil) {
            self.config = config
            self.title = title
            self.stepTarget = stepTarget
        }
    }

    /// Everything published since the last drain, for every run, in pane order.
    struct Snapshot: Sendable {
        var order: [Int] = []
        var runs: [Int: SessionOutput] = [:]
        /// Why the last fork was refused, if it was.
        var notice: String?
        /// The ids asked for by forks the session refused (the pane limit, memory, an id in use, a
        /// parent that is gone), oldest first: the screen drops the panes it showed for them.
        var refusedForks: [Int] = []
        /// Wall seconds spent stepping (lock-step steps of all running runs, evaluations at epoch
        /// ends included) and the run-steps taken in them: the session's aggregate throughput.
        var steppingSeconds = 0.0
        var runSteps = 0
        /// The training samples of those run-steps (runs may differ in batch size).
        var runSamples = 0
    }

    let specs: [RunSpec]
    let dataset: Dataset
    let publishInterval: Double
    let histogramInterval: Double
    /// Forks beyond this many runs are refused. Whoever opens the session sets it (the dashboard:
    /// its pane limit); a session by itself has no limit but memory (`MemoryEstimate`).
    let maxRuns: Int
    /// Publish every step's batch indices (for tests of lock-step).
    let recordsBatches: Bool
    /// Every run's `RunDriver.layerStatisticsInterval`: 0 (off) unless the session is shown or
    /// recorded (`SessionLauncher` decides).
    let layerStatisticsInterval: Int
    /// The most layer samples a run keeps for a drain that has not come (the oldest go first): a
    /// screen stalled for minutes must not grow memory without end. At the dashboard's rate this is
    /// 100,000 steps' worth, far more than any drain interval.
    static let maxUndrainedLayerSamples = 2_000

    /// How lock-step chunks are spread over the cores (`DLBOARD_LOCKSTEP`, for measuring; see
    /// `scripts/compare_scaling.sh`): `runs`, one `concurrentPerform` iteration per run (a free core
    /// takes the next run and steps it through the chunk, each gathering its own batches); `lanes`,
    /// one iteration per core, each stepping a fixed share of the runs in turn and gathering each
    /// batch once; `pinned`, the same lanes on persistent worker threads pinned to one core each
    /// (`LaneWorkers`). `runs` is the default because it measured fastest here: the gather is ~4 %
    /// of a step (perf), so sharing saves ~2 % with two runs a core, while stepping the runs of a
    /// lane in turn swaps their weights and buffers (~1.5 MB each) through the core's 2 MB L2 at
    /// every step, and a lane fixed to a core cannot move off a core the VM's neighbours slow.
    enum Scheduling: String, Sendable, CaseIterable {
        case runs, lanes, pinned

        static let chosen: Scheduling = {
            ProcessInfo.processInfo.environment["DLBOARD_LOCKSTEP"].flatMap(Scheduling.init(rawValue:)) ?? .runs
        }()
    }

    /// How this session's lock-step chunks are spread over the cores.
    let scheduling: Scheduling
    /// How many lanes `lanes` and `pinned` split the runs into: one per CPU the process may use
    /// (`CPUBudget`), unless given (tests force lanes of several runs on a machine of many cores).
    let laneCount: Int
    /// The wall time a lock-step chunk aims at (see `TrainingLoop.chunk`).
    let chunkSeconds: Double

    private let commands = Mutex<[(run: Int?, command: SessionCommand)]>([])
    /// Whether `commands` holds any: lock-step workers read it after every step and end their
    /// chunk early, so a key's command applies after the step under way, not after ~30 ms of them.
    private let commandsPending = Atomic<Bool>(false)
    private let output = Mutex(Snapshot())
    private let stopRequested = Atomic<Bool>(false)
    private let started = Atomic<Bool>(false)
    /// Run-steps finished so far, counted as each ends, on whichever thread took it.
    private let stepsFinished = Atomic<Int>(0)
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let queue = DispatchQueue(label: "dlboard.training", qos: .userInitiated)

    convenience init(
        config: TrainingConfig, dataset: Dataset, publishInterval: Double = 0.03, histogramInterval: Double = 0.25
    ) {
        self.init(
            runs: [RunSpec(config: config)], dataset: dataset, publishInterval: publishInterval,
            histogramInterval: histogramInterval)
    }

    init(
        runs: [RunSpec], dataset: Dataset, publishInterval: Double = 0.03, histogramInterval: Double = 0.25,
        maxRuns: Int = .max,
        recordsBatches: Bool = false, layerStatisticsInterval: Int = 0, scheduling: Scheduling = .chosen,
        lanes: Int? = nil, chunkSeconds: Double = 0.03
    ) {
        precondition(lanes ?? 1 >= 1, "at least one lane")
        precondition(chunkSeconds > 0, "a chunk takes some time")
        self.scheduling = scheduling
        self.laneCount = lanes ?? CPUBudget.current.lanes
        self.chunkSeconds = chunkSeconds
        self.recordsBatches = recordsBatches
        self.layerStatisticsInterval = layerStatisticsInterval
        precondition(!runs.isEmpty, "a session needs at least one run")
        self.specs = runs
        self.dataset = dataset
        self.publishInterval = publishInterval
        self.histogramInterval = histogramInterval
        self.maxRuns = max(maxRuns, runs.count)
    }

    /// Starts training (or, with `paused`, waits for `.resume` or `.stepOnce`).
    func start(paused: Bool = false) {
        started.store(true, ordering: .relaxed)
        queue.async { [self] in
            var loop = TrainingLoop(session: self, paused: paused)
            loop.run()
            finished.signal()
        }
    }

    /// Queues a command for one run (nil: the first); the trainer applies it before its next step.
    func send(_ command: SessionCommand, to run: Int? = nil) {
        send([(run, command)])
    }

    /// Queues several commands at once: the trainer takes them together, between the same two
    /// steps (P's pause of every run must stop them all at one step).
    func send(_ batch: [(run: Int?, command: SessionCommand)]) {
        guard !batch.isEmpty else { return }
        commands.withLock {
            $0.append(contentsOf: batch.map { ($0.run, $0.command) })
            commandsPending.store(true, ordering: .relaxed)
        }
        wake.signal()
    }

    /// What the first run published since the last call (the status and histograms stay current).
    func drain() -> SessionOutput {
        let snapshot = drainAll()
        return snapshot.order.first.flatMap { snapshot.runs[$0] } ?? SessionOutput()
    }

    /// What every run published since the last call.
    func drainAll() -> Snapshot {
        output.withLock { out in
            let taken = out
            for id in out.order {
                out.runs[id]?.losses.removeAll(keepingCapacity: true)
                out.runs[id]?.evaluations.removeAll()
                out.runs[id]?.batches.removeAll()
                out.runs[id]?.events.removeAll()
                out.runs[id]?.layerSamples.removeAll()
            }
            out.notice = nil
            out.refusedForks.removeAll()
            return taken
        }
    }

    /// Run-steps finished so far in all runs: read around a `stop`, it says how many steps the stop
    /// let through.
    var runStepsFinished: Int { stepsFinished.load(ordering: .relaxed) }

    /// Stops every run after the step under way (a chunk ends there, whatever its length) and
    /// returns when the training loop has ended: its `concurrentPerform` iterations have returned
    /// and, with `.pinned`, its lane threads have exited, so nothing steps a trainer any more and
    /// the next `drainAll` holds everything the runs did. The wait is the step under way, and the
    /// evaluation it ends in at an epoch's end; there is no timeout, because returning earlier would
    /// let the caller write the record's summary and exit the process while trainers still run.
    /// A second stop, or a stop of a session never started, returns at once.
    func stop() {
        stopRequested.store(true, ordering: .relaxed)
        wake.signal()
        guard started.load(ordering: .relaxed) else { return }
        finished.wait()
        // For the next stop.
        finished.signal()
    }

    // MARK: Used by the training loop

    fileprivate var isStopRequested: Bool { stopRequested.load(ordering: .relaxed) }
    fileprivate func countStep() { stepsFinished.add(1, ordering: .relaxed) }
    fileprivate var hasPendingCommands: Bool { commandsPending.load(ordering: .relaxed) }
    fileprivate func takeCommands() -> [(run: Int?, command: SessionCommand)] {
        commands.withLock { c in
            // Cleared under the lock that `send` appends under, so a command sent now is either in
            // what is taken or sets the flag again after this.
            commandsPending.store(false, ordering: .relaxed)
            defer { c.removeAll() }
            return c
        }
    }
    fileprivate func waitForWork(seconds: Double) { _ = wake.wait(timeout: .now() + seconds) }
    fileprivate func publish(
        order: [Int], outputs: [SessionOutput], notice: String?, refusedForks: [Int], steppingSeconds: Double,
        runSteps: Int, runSamples: Int
    ) {
        output.withLock { out in
            out.order = order
            out.steppingSeconds = steppingSeconds
            out.runSteps = runSteps
            out.runSamples = runSamples
            for (id, o) in zip(order, outputs) {
                var merged = out.runs[id] ?? SessionOutput()
                merged.losses.append(contentsOf: o.losses)
                merged.evaluations.append(contentsOf: o.evaluations)
                merged.batches.append(contentsOf: o.batches)
                merged.events.append(contentsOf: o.events)
                merged.layerSamples.append(contentsOf: o.layerSamples)
                let excess = merged.layerSamples.count - Self.maxUndrainedLayerSamples
                if excess > 0 { merged.layerSamples.removeFirst(excess) }
                merged.status = o.status
                merged.activations = o.activations
                merged.title = o.title
                out.runs[id] = merged
            }
            if let notice { out.notice = notice }
            out.refusedForks += refusedForks
        }
    }
}

/// The state that lives on the training queue only.
private struct TrainingLoop {
    let session: TrainingSession
    var drivers: [RunDriver]
    var lastPublish = 0.0
    var notice: String?
    var refusedForks: [Int] = []
    var steppingSeconds = 0.0
    var runSteps = 0
    var runSamples = 0
    /// Steps each run takes per parallel dispatch: enough for ~30 ms of work (`chunkSeconds`), so the cost of waking
    /// the workers and of waiting at the barrier for the slower core (on a shared VM one core is
    /// often slowed for a while) is paid rarely; commands still apply within a frame. Adapted from
    /// the measured step time.
    var chunk = 1

    let scheduling: TrainingSession.Scheduling
    let laneCount: Int
    var workers: LaneWorkers?

    init(session: TrainingSession, paused: Bool) {
        self.session = session
        scheduling = session.scheduling
        laneCount = session.laneCount
        drivers = session.specs.enumerated().map { i, spec in
            var driver = RunDriver(
                id: i, trainer: Trainer(config: spec.config, data: session.dataset), title: spec.title,
                paused: paused, stepTarget: spec.stepTarget, histogramInterval: session.histogramInterval,
                layerStatisticsInterval: session.layerStatisticsInterval)
            driver.recordsBatches = session.recordsBatches
            return driver
        }
    }

    mutating func run() {
        publish(force: true)
        while !session.isStopRequested {
            // Commands in order; a single step runs where it stands, between the commands around it.
            var stepped = false
            for (run, command) in session.takeCommands() {
                guard let i = run.map({ id in drivers.firstIndex { $0.id == id } }) ?? 0 else {
                    // A fork of a fork the session refused: the screen shows a pane for it too.
                    if case .fork(let id) = command { refuseFork(id, "cannot fork: the run is gone") }
                    continue
                }
                switch command {
                case .stepOnce:
                    if !drivers[i].diverged {
                        drivers[i].trainOneStep()
                        session.countStep()
                        stepped = true
                    }
                case .fork(let id):
                    fork(i, as: id)
                default:
                    drivers[i].apply(command)
                }
            }
            let running = drivers.indices.filter { drivers[$0].isRunning }
            if running.isEmpty {
                publish(force: true)
                if !stepped { session.waitForWork(seconds: 0.05) }
                continue
            }
            let t0 = RunDriver.now()
            let before = running.reduce(0) { $0 + drivers[$1].trainer.steps }
            let samplesBefore = running.reduce(0) { $0 + drivers[$1].trainer.samplesSeen }
            let stepsBefore = running.map { drivers[$0].trainer.steps }
            stepAll(running, steps: running.count > 1 ? chunk : 1)
            evenOut(running, from: stepsBefore)
            let dt = RunDriver.now() - t0
            let taken = running.reduce(0) { $0 + drivers[$1].trainer.steps } - before
            steppingSeconds += dt
            runSteps += taken
            runSamples += running.reduce(0) { $0 + drivers[$1].trainer.samplesSeen } - samplesBefore
            if running.count > 1 && taken > 0 {
                // Per-run wall time per step, with the runs sharing the cores.
                let perStep = dt / Double(max(1, taken / running.count))
                chunk = max(1, min(64, Int(session.chunkSeconds / max(perStep, 1e-6))))
            }
            publish(force: running.contains { !drivers[$0].isRunning })
        }
        workers?.stop()
        publish(force: true)
    }

    /// `steps` steps of every running run (fewer for a run that finishes or diverges on the way, and
    /// for all when a command arrives: it applies after the step under way; a stop ends each run's
    /// chunk after its step under way, or before its first), the runs in parallel when there are
    /// several. Each run consumes its own copy of the batch sequence, so the runs stay in lock-step
    /// on the batches whatever the chunking.
    mutating func stepAll(_ running: [Int], steps: Int) {
        let session = session
        if running.count == 1 {
            for _ in 0..<steps where drivers[running[0]].isRunning {
                if session.isStopRequested { break }
                drivers[running[0]].trainOneStep()
                session.countStep()
                if session.hasPendingCommands { break }
            }
            return
        }
        let lanes = min(running.count, laneCount)
        let scheduling = scheduling
        if scheduling == .pinned && workers == nil {
            workers = LaneWorkers(count: laneCount, pinningTo: CPUBudget.current.pinnable)
        }
        let workers = workers
        drivers.withUnsafeMutableBufferPointer { buffer in
            let runs = DisjointRuns(buffer: buffer)
            switch scheduling {
            case .runs:
                // One iteration per run: a free core takes the next run, so a core slowed by the
                // VM's neighbours simply does fewer runs this chunk.
                DispatchQueue.concurrentPerform(iterations: running.count) { k in
                    let i = running[k]
                    // Checked before each step too: a run a busy core starts late takes no step
                    // after a stop.
                    for _ in 0..<steps where runs.buffer[i].isRunning {
                        if session.isStopRequested { break }
                        runs.buffer[i].trainOneStep()
                        session.countStep()
                        if session.hasPendingCommands { break }
                    }
                }
            case .lanes:
                DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                    Self.stepLane(lane, of: lanes, running, steps: steps, runs, session)
                }
            case .pinned:
                workers!.perform { lane in
                    guard lane < lanes else { return }
                    Self.stepLane(lane, of: lanes, running, steps: steps, runs, session)
                }
            }
        }
    }

    /// A command ends a chunk after the step under way, and each run (or lane) sees it at its own
    /// step: runs that had gone fewer steps this chunk than the furthest catch up here, before the
    /// command applies, so every run takes it at the same step and lock-step holds (a run that
    /// finished or diverged on the way stays where it stopped). The lag is at most a chunk, run on
    /// this thread. Not after a stop: catching up would cost up to a chunk on one thread, for runs
    /// that end anyway; they end up to a chunk apart, each where its last step left it (the record
    /// has every run's own steps right).
    mutating func evenOut(_ running: [Int], from stepsBefore: [Int]) {
        guard running.count > 1, !session.isStopRequested else { return }
        let advance = zip(running, stepsBefore).map { drivers[$0].trainer.steps - $1 }.max() ?? 0
        for (i, before) in zip(running, stepsBefore) {
            while drivers[i].isRunning && drivers[i].trainer.steps < before + advance {
                drivers[i].trainOneStep()
                session.countStep()
            }
        }
    }

    /// Lane `lane`'s runs (every `lanes`-th of `running`), step by step in turn on this thread: each
    /// run may read the inputs an earlier run of the lane gathered for this step (the same batch,
    /// augmentation and scaling; `Trainer` checks), so the lane gathers each batch once, and the
    /// batch is still in this core's cache when the next run reads it. A command ends the chunk after
    /// a whole round (the lane's runs stay at one step); a stop after the step under way.
    static func stepLane(
        _ lane: Int, of lanes: Int, _ running: [Int], steps: Int, _ runs: DisjointRuns, _ session: TrainingSession
    ) {
        let mine = stride(from: lane, to: running.count, by: lanes).map { running[$0] }
        // The lane's trainers, for the donors' slice; a run's trainer changes only by commands and
        // exploits, which never come inside a chunk.
        let trainers = mine.map { runs.buffer[$0].trainer }
        for _ in 0..<steps {
            var stepped = false
            for (k, i) in mine.enumerated() where runs.buffer[i].isRunning {
                if session.isStopRequested { return }
                runs.buffer[i].trainOneStep(sharingInputsWith: trainers[..<k])
                session.countStep()
                stepped = true
            }
            if !stepped || session.hasPendingCommands { return }
        }
    }

    /// Adds a copy of run `i` as run `id` right after it, or says why not (`refuseFork`).
    mutating func fork(_ i: Int, as id: Int) {
        guard !drivers.contains(where: { $0.id == id }) else {
            refuseFork(id, "cannot fork: run id \(id) is in use")
            return
        }
        guard drivers.count < session.maxRuns else {
            refuseFork(id, "at most \(session.maxRuns) runs: close one before forking")
            return
        }
        // A fork is one more run in memory: checked like the runs given at start (DataLocator.load),
        // so F on a network that barely fits says so instead of failing to allocate.
        do {
            try MemoryEstimate.check(drivers.map(\.trainer.config) + [drivers[i].trainer.config], data: session.dataset)
        } catch {
            refuseFork(id, "cannot fork: \(error.message)")
            return
        }
        let base = drivers[i].title.isEmpty ? "run \(drivers[i].id + 1)" : drivers[i].title
        let copy = drivers[i].fork(id: id, title: "fork of \(base) @\(drivers[i].trainer.steps)")
        drivers.insert(copy, at: i + 1)
    }

    mutating func refuseFork(_ id: Int, _ reason: String) {
        notice = reason
        refusedForks.append(id)
    }

    mutating func publish(force: Bool) {
        let now = RunDriver.now()
        guard force || now - lastPublish >= session.publishInterval else { return }
        lastPublish = now
        let outputs = drivers.indices.map { drivers[$0].takeOutput() }
        session.publish(
            order: drivers.map(\.id), outputs: outputs, notice: notice, refusedForks: refusedForks,
            steppingSeconds: steppingSeconds, runSteps: runSteps, runSamples: runSamples)
        notice = nil
        refusedForks.removeAll()
    }
}

/// The drivers' buffer handed to `concurrentPerform` or the lane workers.
///
/// Why `@unchecked Sendable` is safe here: `running` holds distinct indices, so iteration *k* reads
/// and writes only element `running[k]` — one `RunDriver` and the `Trainer` (network, optimizer,
/// buffers) that it alone references; no two iterations share memory. A lane (`stepLane`) is one
/// iteration over a set of runs no other lane has (every `lanes`-th index of `running`): it writes
/// only those, and reads another trainer's batch only among them, on its own thread, between that
/// trainer's steps. The buffer outlives the call (`concurrentPerform` and `LaneWorkers.perform`
/// return only when every iteration is done, inside `withUnsafeMutableBufferPointer`; the
/// semaphores they wait on order the workers' writes before the loop's next reads), and nothing
/// else touches `drivers` meanwhile: the loop that owns them is blocked in that call. What is
/// shared is read-only: the `Dataset` (immutable arrays).
private struct DisjointRuns: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<RunDriver>
}
