import Foundation
import NN

/// Runs a session without a screen: the runs train on the session's queue (several in lock-step)
/// while this thread writes the run record, prints what happens through a `HeadlessReport`, and
/// stops cleanly (record flushed, summary written and printed) when every run is done, on a stop
/// signal or when stdout goes away (`StopSignal`).
///
/// `dlboard train` is such a session with one run; so is the dashboard without a terminal. One run
/// prints `train`'s epoch table (`EpochTable`), several print a line per run and evaluation
/// (`LockStepLines`).
struct HeadlessSession {
    let session: TrainingSession
    let sessionName: String
    let dataDirectory: String
    let log: MetricsLog?
    let logEvery: Int
    /// What to print instead of the default (a preset's verdict after the lock-step lines).
    var report: (any HeadlessReport)? = nil

    /// What one run has done so far, as the headless output reports it.
    struct RunResult {
        var title: String
        /// The latest status (configuration as switched, step, diverged); nil before the first publish.
        var status: SessionOutput.Status?
        var last: SessionOutput.Evaluation?
        var diverged = false
        /// The most recent losses, for the summary's mean over the last tenth of the steps: at most
        /// `2 × keptLosses` (a long run must not keep 4 bytes a step for ever), so that mean is exact
        /// up to a million steps and over the last `keptLosses` steps after that.
        var losses: [Float] = []
        var lossCount = 0

        static let keptLosses = 100_000

        init(title: String) { self.title = title }

        var steps: Int { status?.step ?? 0 }

        mutating func add(_ new: [Float]) {
            losses.append(contentsOf: new)
            lossCount += new.count
            if losses.count > 2 * Self.keptLosses { losses.removeFirst(losses.count - Self.keptLosses) }
        }

        /// The losses of the last tenth of the steps (at most the last `keptLosses`).
        var recentLosses: ArraySlice<Float> { losses.suffix(max(1, lossCount / 10)) }
    }

    /// How the session ended, for the report's last lines.
    struct Ending {
        var results: [RunResult]
        /// Stopped by a signal or a closed stdout (`stop.stoppedBy` says which).
        var interrupted: Bool
        var stop: StopSignal
        /// Wall seconds from start to the summary.
        var seconds: Double
        /// The session's own stepping time and run-steps (`TrainingSession.Snapshot`).
        var steppingSeconds: Double
        var runSteps: Int
        var runSamples: Int
        var log: MetricsLog?
    }

    /// Trains to the end (or until stopped); returns the results by pane order and the exit status.
    func run() -> (results: [RunResult], status: Int32) {
        let stop = StopSignal.install()
        let start = DispatchTime.now().uptimeNanoseconds
        let recorder = SessionRecorder(
            log: log, dataset: session.dataset, dataDirectory: dataDirectory, logEvery: logEvery,
            specs: session.specs)
        var report: any HeadlessReport =
            self.report ?? (session.specs.count == 1 ? EpochTable() : LockStepLines(sessionName: sessionName))
        var begun = false

        session.start()
        var results = session.specs.map { RunResult(title: $0.title) }
        var stepping = (seconds: 0.0, steps: 0, samples: 0)
        /// Records and reports one snapshot; returns whether every run is done.
        func absorb(_ snapshot: TrainingSession.Snapshot) -> Bool {
            stepping = (snapshot.steppingSeconds, snapshot.runSteps, snapshot.runSamples)
            if !begun {
                // The header needs the trainers' own view (steps per epoch, the fitted network):
                // their first publish, which comes before any step and so before any evaluation.
                let statuses = snapshot.order.compactMap { snapshot.runs[$0]?.status }
                guard statuses.count == session.specs.count else { return false }
                report.begin(
                    titles: session.specs.map(\.title), statuses: statuses, dataset: session.dataset,
                    dataDirectory: dataDirectory)
                begun = true
            }
            for w in recorder.record(snapshot) {
                guard let i = snapshot.order.firstIndex(of: w.run), i < results.count else { continue }
                results[i].last = w.evaluation
                report.evaluation(run: i, title: results[i].title, w.evaluation)
            }
            log?.announceFailure()
            var allDone = !snapshot.order.isEmpty
            for (i, id) in snapshot.order.enumerated() where i < results.count {
                guard let out = snapshot.runs[id], let status = out.status else {
                    allDone = false
                    continue
                }
                results[i].add(out.losses.map(\.loss))
                results[i].status = status
                if status.diverged && !results[i].diverged {
                    results[i].diverged = true
                    report.diverged(run: i, title: results[i].title, status: status)
                }
                if !(status.finished || status.diverged) { allDone = false }
            }
            return allDone
        }
        var interrupted = false
        while !absorb(session.drainAll()) {
            if stop.isRequested {
                interrupted = true
                break
            }
            usleep(20_000)
        }
        session.stop()
        // What the runs did between the last drain and the stop belongs in the record too.
        _ = absorb(session.drainAll())
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        recorder.finish(seconds: seconds, stopReason: interrupted ? stop.recordReason : nil)
        log?.announceFailure()
        report.end(
            Ending(
                results: results, interrupted: interrupted, stop: stop, seconds: seconds,
                steppingSeconds: stepping.seconds, runSteps: stepping.steps, runSamples: stepping.samples, log: log))
        return (results, interrupted ? stop.exitStatus : 0)
    }
}
