import Foundation
import NN

/// Runs a session of several runs without a screen: the runs train in lock-step on the session's
/// queue while this thread prints a line per run and evaluation, writes the log, and stops cleanly
/// (log flushed, summary written and printed) when every run is done, on a stop signal or when stdout
/// goes away (`StopSignal`).
struct HeadlessComparison {
    let session: TrainingSession
    let sessionName: String
    let dataDirectory: String
    let log: MetricsLog?
    let logEvery: Int
    /// Called with every evaluation as it arrives (presets add their own verdicts).
    var onEvaluation: ((_ run: Int, _ title: String, _ evaluation: SessionOutput.Evaluation) -> Void)?

    init(session: TrainingSession, sessionName: String, dataDirectory: String, log: MetricsLog?, logEvery: Int) {
        self.session = session
        self.sessionName = sessionName
        self.dataDirectory = dataDirectory
        self.log = log
        self.logEvery = logEvery
    }

    struct RunResult {
        var title: String
        var steps = 0
        var last: SessionOutput.Evaluation?
        var diverged = false
        /// The most recent losses, for the summary's mean over the last tenth of the steps: at most
        /// `2 × keptLosses` (a long run must not keep 4 bytes a step for ever), so that mean is exact
        /// up to a million steps and over the last `keptLosses` steps after that.
        var losses: [Float] = []
        var lossCount = 0

        static let keptLosses = 100_000

        mutating func add(_ new: [Float]) {
            losses.append(contentsOf: new)
            lossCount += new.count
            if losses.count > 2 * Self.keptLosses { losses.removeFirst(losses.count - Self.keptLosses) }
        }

        /// The losses of the last tenth of the steps (at most the last `keptLosses`).
        var recentLosses: ArraySlice<Float> { losses.suffix(max(1, lossCount / 10)) }
    }

    /// Trains to the end (or until stopped); returns the results by pane order and the exit status.
    func run() -> (results: [RunResult], status: Int32) {
        let stop = StopSignal.install()
        let data = session.dataset
        let start = DispatchTime.now().uptimeNanoseconds
        let titles = session.specs.map(\.title)
        let recorder = SessionRecorder(
            log: log, dataset: data, dataDirectory: dataDirectory, logEvery: logEvery, specs: session.specs)
        let validation = data.validation.map { " / \($0.count) validation" } ?? ""
        let test = data.test.count > 0 ? " / \(data.test.count) test" : " (test set not used)"
        say(
            "dlboard \(sessionName): \(data.name) (\(data.train.count) train\(validation)\(test)) from \(dataDirectory)"
        )
        let c = session.specs[0].config
        say(
            "\(session.specs.count) runs in lock-step · \(c.network.shapeDescription) \(c.network.activation.displayName) · batch \(c.batchSize) · seed \(c.seed) · same batches for every run · BLAS kernel \(BLASThreads.coreName)"
        )
        for (i, t) in titles.enumerated() { say("  run \(i + 1): \(t)") }

        session.start()
        var results = titles.map { RunResult(title: $0) }
        var interrupted = false
        var stepping = (seconds: 0.0, steps: 0)
        while true {
            let snapshot = session.drainAll()
            stepping = (snapshot.steppingSeconds, snapshot.runSteps)
            var allDone = !snapshot.order.isEmpty
            let written = recorder.record(snapshot)
            log?.announceFailure()
            for w in written {
                guard let i = snapshot.order.firstIndex(of: w.run), i < results.count else { continue }
                let e = w.evaluation
                results[i].last = e
                onEvaluation?(i, titles[i], e)
                var line = String(
                    format: "epoch %4d  step %6d  run %d  loss %7.4f  train %6.4f", e.epoch, e.step, i + 1, w.meanLoss,
                    e.trainAccuracy)
                if let t = e.testAccuracy { line += String(format: "  test %6.4f", t) }
                if let v = e.validationAccuracy { line += String(format: "  val %6.4f", v) }
                line += String(format: "  %9.0f samples/s  %@", e.samplesPerSecond, titles[i])
                say(line)
            }
            for (i, id) in snapshot.order.enumerated() where i < results.count {
                guard let out = snapshot.runs[id] else {
                    allDone = false
                    continue
                }
                results[i].add(out.losses.map(\.loss))
                if let s = out.status {
                    results[i].steps = s.step
                    if s.diverged && !results[i].diverged {
                        results[i].diverged = true
                        say("run \(i + 1) (\(titles[i])) diverged at step \(s.step): the loss is not a number any more")
                    }
                    if !(s.finished || s.diverged) { allDone = false }
                } else {
                    allDone = false
                }
            }
            if allDone { break }
            if stop.isRequested {
                interrupted = true
                break
            }
            usleep(20_000)
        }
        session.stop()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        recorder.finish(seconds: seconds, stopReason: interrupted ? stop.recordReason : nil)
        log?.announceFailure()
        let totalSteps = results.reduce(0) { $0 + $1.steps }
        say(
            String(
                format: "%@: %d runs, %d steps in all, %.1f s wall (%.0f samples/s in all, evaluation included)",
                interrupted ? "interrupted" : "done", results.count, totalSteps, seconds,
                Double(totalSteps * c.batchSize) / max(seconds, 1e-9)))
        if stepping.seconds > 0 {
            say(
                String(
                    format:
                        "lock-step training: %d run-steps in %.2f s = %.0f samples/s in all (%d BLAS thread(s) per run)",
                    stepping.steps, stepping.seconds, Double(stepping.steps * c.batchSize) / stepping.seconds,
                    BLASThreads.current))
        }
        for (i, r) in results.enumerated() {
            var line = "  run \(i + 1): "
            if let e = r.last {
                line += String(format: "train %.4f", e.trainAccuracy)
                if let t = e.testAccuracy { line += String(format: "  test %.4f", t) }
                if let v = e.validationAccuracy { line += String(format: "  val %.4f", v) }
            } else {
                line += "no evaluation"
            }
            let tail = r.recentLosses.filter(\.isFinite)
            if !tail.isEmpty {
                line += String(format: "  loss (last %d steps) %.4f", tail.count, tail.reduce(0, +) / Float(tail.count))
            }
            if r.diverged { line += "  (diverged)" }
            say(line + "  · \(r.title)")
        }
        if let log { say("metrics in \(log.path)") }
        if interrupted && stop.stoppedBy == SIGPIPE {
            Console.error(
                "dlboard: standard output closed: stopped after \(totalSteps) steps in all"
                    + (log.map { "; metrics in \($0.path)" } ?? ""))
        }
        return (results, interrupted ? stop.exitStatus : 0)
    }

    private func say(_ line: String) { Console.say(line) }
}
