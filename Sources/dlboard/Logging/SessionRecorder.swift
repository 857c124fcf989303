import Foundation
import NN

/// Writes what a `TrainingSession` publishes into its run record: a `config` header per run (a fork's
/// when it appears, naming its parent), every `logEvery`-th step, each evaluation with the mean loss
/// of the steps since the previous one, the activation histograms at each evaluation, the per-layer
/// statistics of every step that collected them (a `layer` record per layer, after that step's
/// `step` record), and every event. One writer for the dashboard and the headless comparison, so both records read the same.
///
/// Main thread only (it owns the log's file handle there).
final class SessionRecorder {
    let log: MetricsLog?
    let dataset: Dataset
    let dataDirectory: String
    let logEvery: Int
    /// Records carry `"run"` once the session has (or has had) more than one run.
    private var several: Bool
    private var headed: Set<Int> = []
    private var lastSteps: [Int: Int] = [:]
    private var lastEvaluations: [Int: SessionOutput.Evaluation] = [:]
    private var diverged: Set<Int> = []
    /// Runs forked during the session: they start in their parent's epoch, not in the first.
    private var forks: Set<Int> = []
    /// The epoch of a run's first step when it does not start at step 0 (a trial restored from a
    /// checkpoint after its epoch E starts in E + 1); runs not named here start in the first.
    var firstEpochs: [Int: Int] = [:]
    private let checksum: String

    init(log: MetricsLog?, dataset: Dataset, dataDirectory: String, logEvery: Int, specs: [TrainingSession.RunSpec]) {
        self.log = log
        self.dataset = dataset
        self.dataDirectory = dataDirectory
        self.logEvery = logEvery
        self.several = specs.count > 1
        self.checksum = log == nil ? "" : dataset.checksum()
        for (i, spec) in specs.enumerated() {
            log?.writeConfig(
                spec.config, dataset: dataset, checksum: checksum, dataDirectory: dataDirectory,
                run: several ? i : nil, title: several ? spec.title : nil)
            headed.insert(i)
        }
        log?.flush()
    }

    /// An evaluation as written (its `meanLoss` is the mean training loss since the previous one).
    struct Written {
        var run: Int
        var evaluation: SessionOutput.Evaluation
    }

    /// Writes a snapshot's records; returns its evaluations with their mean losses.
    @discardableResult
    func record(_ snapshot: TrainingSession.Snapshot) -> [Written] {
        if snapshot.order.count > 1 { several = true }
        var written: [Written] = []
        for id in snapshot.order {
            guard let out = snapshot.runs[id] else { continue }
            let run = several ? id : nil
            if !headed.contains(id), let status = out.status {
                // A fork: its header names the run it came from (its "forked" event says which).
                let origin = out.events.first { $0.kind == .forked }
                log?.writeConfig(
                    status.config, dataset: dataset, checksum: checksum, dataDirectory: dataDirectory, run: id,
                    title: out.title.isEmpty ? nil : out.title, parent: origin?.from.flatMap { Int($0) },
                    forkStep: origin?.step)
                headed.insert(id)
                forks.insert(id)
            }
            let perEpoch = max(1, out.status?.stepsPerEpoch ?? 1)
            for e in out.events where e.kind == .forked { log?.writeEvent(e, run: run) }
            if let st = out.status {
                lastSteps[id] = st.step
                if st.diverged { diverged.insert(id) } else { diverged.remove(id) }
            }
            // Steps and evaluations in step order: an evaluation's mean loss is over the steps since
            // the previous evaluation, also when one output holds several epochs.
            var evaluations = out.evaluations[...]
            var layerSamples = out.layerSamples[...]
            func writeLayers(upTo step: Int) {
                while let sample = layerSamples.first, sample.step <= step {
                    log?.writeLayers(sample, run: run)
                    layerSamples = layerSamples.dropFirst()
                }
            }
            func writeEvaluation(_ e: SessionOutput.Evaluation) {
                log?.writeEval(e, run: run)
                log?.writeHistograms(e.activations, step: e.step, run: run)
                written.append(Written(run: id, evaluation: e))
                lastEvaluations[id] = e
            }
            for (step, loss) in out.losses {
                while let e = evaluations.first, e.step < step {
                    writeEvaluation(e)
                    evaluations = evaluations.dropFirst()
                }
                if step % logEvery == 0 || !loss.isFinite {
                    // The epoch after the last evaluated one (every epoch's end is evaluated): epochs
                    // are counted in samples, and the steps an epoch change with the batch size.
                    // Before any, the first — or for a fork, its step over the steps an epoch; for a
                    // restored run, the one after its checkpoint's.
                    let first = firstEpochs[id] ?? (forks.contains(id) ? (step - 1) / perEpoch + 1 : 1)
                    let epoch = lastEvaluations[id].map { $0.epoch + 1 } ?? first
                    log?.writeStep(step: step, epoch: epoch, loss: Double(loss), run: run)
                }
                writeLayers(upTo: step)
            }
            writeLayers(upTo: .max)
            for e in evaluations { writeEvaluation(e) }
            for e in out.events where e.kind != .forked { log?.writeEvent(e, run: run) }
        }
        log?.flushIfDue()
        return written
    }

    /// A `summary` record per run (its last step and accuracies, why it stopped), then the log is
    /// flushed and closed. `stopReason`: why the session was stopped early (`StopSignal.recordReason`),
    /// nil when the user quit or the runs reached their target; a run that diverged says so instead,
    /// which is why it stopped whatever later stopped the session.
    func finish(seconds: Double, stopReason: StopReason?) {
        for id in headed.sorted() {
            let e = lastEvaluations[id]
            log?.writeSummary(
                steps: lastSteps[id] ?? 0, epochs: e?.epoch, seconds: seconds, testAccuracy: e?.testAccuracy,
                validationAccuracy: e?.validationAccuracy,
                stopReason: diverged.contains(id) ? .diverged : stopReason,
                run: several ? id : nil)
        }
        log?.close()
    }
}
