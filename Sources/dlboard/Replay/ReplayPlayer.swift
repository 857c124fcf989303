import Foundation
import NN

/// Plays run records back as the snapshots a live session would have published: `advance(to:)`
/// hands out every record whose time `t` has come, so the dashboard's own state and views redraw the
/// session — curves, switch and fork markers, histograms, per-layer statistics (`layerSamples`, at
/// their steps), the configuration as it was switched.
///
/// Several files play side by side from a common start (each file's clock starts at 0). A fork
/// appears right after its parent when its "forked" event is due, as it did live.
struct ReplayPlayer {
    struct Run {
        var recorded: RunRecord.RecordedRun
        /// A fork's parent, as a replay id.
        var parent: Int?
        /// The next entry of `recorded.sequence` to hand out.
        var next = 0
        /// When the run appears: its header's time; a fork's together with its "forked" event (the
        /// pane takes its parent's curves from that event, so both must arrive in one snapshot).
        var startTime: Double {
            guard parent != nil, let e = recorded.events.first(where: { $0.event.kind == .forked }) else {
                return recorded.headerTime
            }
            return max(recorded.headerTime, e.t)
        }
        var config: TrainingConfig
        var step = 0
        var lastLoss: Float = .nan
        var diverged = false
        var samplesPerSecond = 0.0
        /// The record's time of the latest step: the charts' seconds axis.
        var seconds = 0.0

        /// Samples drawn up to `step`, each step at the batch size of its time (the batch-size
        /// events say from which step on; their lines need not come before those steps' lines). A
        /// fork's steps before it was made count at its first batch size.
        var samplesSeen: Double {
            var size = Double(recorded.config.batchSize)
            var from = 0
            var samples = 0.0
            let switches = recorded.events.map(\.event).filter { $0.kind == .batchSize && $0.step < step }
            for e in switches.sorted(by: { $0.step < $1.step }) {
                guard let to = e.to.flatMap(Int.init), to >= 1 else { continue }
                samples += Double(e.step - from) * size
                from = e.step
                size = Double(to)
            }
            return samples + Double(step - from) * size
        }
        var activations: [ActivationStatistics] = []
        /// The layer number of the last layer record handed out (where a sample ends).
        var lastLayer = 0
        var started = false

        var isDone: Bool { next >= recorded.sequence.count }
    }

    /// The runs of all files in order; a run's index here is its replay id (the snapshot's run id).
    private(set) var runs: [Run] = []
    /// Replay ids in pane order (a fork right after its parent, as the live session places it).
    private(set) var order: [Int] = []
    private(set) var position = 0.0
    /// The time of the last record of all files.
    let duration: Double
    /// The replay is paused: shown in every run's status.
    var paused = false

    init(records: [RunRecord]) {
        var runs: [Run] = []
        for record in records {
            var ids: [Int: Int] = [:]
            for r in record.runs { ids[r.id] = runs.count + ids.count }
            for r in record.runs {
                var run = Run(recorded: r, parent: r.parent.flatMap { ids[$0] }, config: r.config)
                run.step = r.forkStep ?? 0  // a fork starts where its parent stood
                // Fork events name runs by their recorded ids: rename them to replay ids.
                for k in run.recorded.events.indices {
                    let e = run.recorded.events[k].event
                    if e.kind == .forked || e.kind == .exploit {
                        run.recorded.events[k].event.from = e.from.flatMap(Int.init).flatMap { ids[$0] }.map(
                            String.init)
                    }
                    if e.kind == .fork {
                        run.recorded.events[k].event.to = e.to.flatMap(Int.init).flatMap { ids[$0] }.map(String.init)
                    }
                }
                runs.append(run)
            }
        }
        self.runs = runs
        var end = 0.0
        for r in runs {
            end = max(
                end, r.recorded.steps.last?.t ?? 0, r.recorded.evaluations.last?.t ?? 0,
                r.recorded.events.last?.t ?? 0, r.recorded.histograms.last?.t ?? 0, r.recorded.layers.last?.t ?? 0)
        }
        duration = end
    }

    var isFinished: Bool { runs.allSatisfy(\.isDone) }

    /// Everything recorded up to `time` (seconds from the start) that was not handed out yet.
    mutating func advance(to time: Double) -> TrainingSession.Snapshot {
        position = max(position, time)
        var snapshot = TrainingSession.Snapshot()
        var outputs: [Int: SessionOutput] = [:]
        for i in runs.indices where !runs[i].started && runs[i].startTime <= position {
            if let p = runs[i].parent, let at = order.firstIndex(of: p) {
                order.insert(i, at: at + 1)
            } else {
                order.append(i)
            }
            runs[i].started = true
        }
        for i in order {
            var out = SessionOutput()
            _ = emit(run: i, into: &out)
            outputs[i] = out
        }
        for i in order {
            var out = outputs[i] ?? SessionOutput()
            out.status = status(of: runs[i])
            out.title = runs[i].recorded.title ?? ""
            out.activations = runs[i].activations
            snapshot.runs[i] = out
        }
        snapshot.order = order
        return snapshot
    }

    /// Hands out run `i`'s due records in the order they were written; returns whether any was due.
    private mutating func emit(run i: Int, into out: inout SessionOutput) -> Bool {
        var any = false
        while runs[i].next < runs[i].recorded.sequence.count {
            let r = runs[i].recorded
            switch r.sequence[runs[i].next] {
            case .step(let k):
                let s = r.steps[k]
                guard s.t <= position else { return any }
                out.losses.append((s.step, Float(s.loss)))
                runs[i].step = s.step
                runs[i].seconds = s.t
                runs[i].lastLoss = Float(s.loss)
            case .evaluation(let k):
                let e = r.evaluations[k]
                guard e.t <= position else { return any }
                out.evaluations.append(e.evaluation)
                runs[i].step = max(runs[i].step, e.evaluation.step)
                runs[i].samplesPerSecond = e.evaluation.samplesPerSecond
            case .event(let k):
                let e = r.events[k]
                guard e.t <= position else { return any }
                out.events.append(e.event)
                apply(e.event, to: &runs[i])
            case .histogram(let k):
                let h = r.histograms[k]
                guard h.t <= position else { return any }
                // The layers of one evaluation arrive together; the screen keeps the latest set.
                if h.layer == 1 { runs[i].activations = [] }
                runs[i].activations.append(h.statistics)
            case .layer(let k):
                let l = r.layers[k]
                guard l.t <= position else { return any }
                // A step's layers share one `t`, so they arrive together, in one sample as live.
                if let last = out.layerSamples.last, last.step == l.step, l.layer > runs[i].lastLayer {
                    out.layerSamples[out.layerSamples.count - 1].layers.append(l.statistics)
                } else {
                    out.layerSamples.append(.init(step: l.step, layers: [l.statistics]))
                }
                runs[i].lastLayer = l.layer
            }
            runs[i].next += 1
            any = true
        }
        return any
    }

    /// What a switch did to the configuration (the record's `to`, in the flags' own terms). A value
    /// the engine would refuse (an lr of 1e300, a dropout of 5, a batch past the record limit: the
    /// record is untrusted) is ignored.
    private func apply(_ e: SessionOutput.Event, to run: inout Run) {
        let before = run.config
        change(by: e, &run)
        if (try? run.config.validate()) == nil || run.config.batchSize > RangeCheck.countLimit { run.config = before }
    }

    private func change(by e: SessionOutput.Event, _ run: inout Run) {
        switch e.kind {
        case .diverged: run.diverged = true
        case .restart: run.diverged = false
        // An exploit's new lr and weight decay come as their own events at the same step.
        // A restore's changed lr and weight decay, too; a checkpoint changes nothing.
        case .fork, .forked, .exploit, .checkpoint, .restore: break
        case .optimizer:
            if let k = e.to.flatMap(OptimizerKind.init(rawValue:)) {
                run.config.optimizer = k
                run.config.learningRate = nil  // a switch starts the optimizer at its default lr
            }
        case .learningRate: if let v = e.to.flatMap(Float.init) { run.config.learningRate = v }
        case .schedule: if let v = e.to.flatMap(LearningRateSchedule.init(argument:)) { run.config.schedule = v }
        case .initializer:
            if let v = e.to.flatMap(Initializer.init(argument:)) { run.config.network.initializer = v }
            run.diverged = false
        case .activation:
            if let v = e.to.flatMap(Activation.init(argument:)) { run.config.network.activation = v }
            run.diverged = false
        case .batchNorm: if let to = e.to { run.config.network.batchNorm = to == "on" }
        case .normalization:
            if let v = e.to.flatMap(Normalization.init(rawValue:)) { run.config.network.normalization = v }
        case .dropout: if let v = e.to.flatMap(Float.init) { run.config.network.dropout = v }
        case .weightDecay: if let v = e.to.flatMap(Float.init) { run.config.network.weightDecay = v }
        case .batchSize: if let v = e.to.flatMap(Int.init) { run.config.batchSize = v }
        case .loss: if let v = e.to.flatMap(Loss.init(rawValue:)) { run.config.network.loss = v }
        case .augmentation: if let v = e.to.flatMap(Augmentation.init(argument:)) { run.config.augmentation = v }
        }
    }

    private func status(of run: Run) -> SessionOutput.Status {
        let trainSize = run.recorded.trainSize
        let perEpoch = max(1, trainSize / max(1, run.config.batchSize))
        let lastStep = max(run.recorded.steps.last?.step ?? 0, run.recorded.evaluations.last?.evaluation.step ?? 0)
        // Overflow-safe: a record may state up to 10¹² for each (its reader's limit).
        let planned = run.recorded.config.epochs.multipliedReportingOverflow(by: perEpoch)
        let target = max(
            lastStep, planned.overflow ? RangeCheck.countLimit : min(planned.partialValue, RangeCheck.countLimit))
        var status = SessionOutput.Status(
            config: run.config, step: run.step, stepsPerEpoch: perEpoch,
            epochTarget: (target + perEpoch - 1) / perEpoch, stepTarget: target,
            paused: paused || run.isDone, diverged: run.diverged, finished: false,
            samplesPerSecond: run.samplesPerSecond, lastLoss: run.lastLoss)
        // Wall time of the record (it keeps no training-only clock); epochs in samples as the batch
        // sizes went when they changed (else steps over steps an epoch, exactly as live).
        let switched = run.recorded.events.contains { $0.event.kind == .batchSize }
        if switched && trainSize > 0 { status.epochs = run.samplesSeen / Double(trainSize) }
        status.trainingSeconds = run.seconds
        status.trainSize = trainSize
        return status
    }
}
