import Foundation
import NN

/// The output of a headless session of several runs (`compare --headless`, the training presets):
/// the runs, a line per run and evaluation, a line per divergence, then the throughput and each
/// run's last numbers.
struct LockStepLines: HeadlessReport {
    let sessionName: String

    mutating func begin(
        titles: [String], statuses: [SessionOutput.Status], dataset data: Dataset, dataDirectory: String
    ) {
        let validation = data.validation.map { " / \($0.count) validation" } ?? ""
        let test = data.test.count > 0 ? " / \(data.test.count) test" : " (test set not used)"
        say(
            "dlboard \(sessionName): \(data.name) (\(data.train.count) train\(validation)\(test)) from \(dataDirectory)"
        )
        guard let c = statuses.first?.config else { return }
        let sizes = statuses.map(\.config.batchSize)
        // Runs of different batch sizes share the sample order, each cutting it into its own batches.
        let batches =
            Set(sizes).count > 1
            ? "batch \(sizes.map(String.init).joined(separator: "/")) · same sample order for every run"
            : "batch \(c.batchSize) · same batches for every run"
        say(
            "\(titles.count) runs in lock-step · \(c.network.shapeDescription) \(c.network.activation.displayName) · \(batches) · seed \(c.seed) · BLAS kernel \(BLASThreads.coreName)"
        )
        // A kernel narrower than the CPU halves every figure below; say so where they are printed.
        if let warning = KernelVerdict.current().warning { say("warning: \(warning)") }
        say("loss per step: \(c.lossRecording.label)")
        for (i, t) in titles.enumerated() { say("  run \(i + 1): \(t)") }
    }

    mutating func evaluation(run i: Int, title: String, _ e: SessionOutput.Evaluation) {
        var line = String(
            format: "epoch %4d  step %6d  run %d  loss %7.4f  train %6.4f", e.epoch, e.step, i + 1, e.meanLoss ?? .nan,
            e.trainAccuracy)
        if let t = e.testAccuracy { line += String(format: "  test %6.4f", t) }
        if let v = e.validationAccuracy { line += String(format: "  val %6.4f", v) }
        line += String(format: "  %9.0f samples/s  %@", e.samplesPerSecond, title)
        say(line)
    }

    mutating func diverged(run i: Int, title: String, status: SessionOutput.Status) {
        say("run \(i + 1) (\(title)) diverged at step \(status.step): the loss is not a number any more")
    }

    func end(_ ending: HeadlessSession.Ending) {
        let results = ending.results
        let totalSteps = results.reduce(0) { $0 + $1.steps }
        let totalSamples = results.reduce(0) { $0 + ($1.status?.samplesSeen ?? 0) }
        say(
            String(
                format: "%@: %d runs, %d steps in all, %.1f s wall (%.0f samples/s in all, evaluation included)",
                ending.interrupted ? "interrupted" : "done", results.count, totalSteps, ending.seconds,
                Double(totalSamples) / max(ending.seconds, 1e-9)))
        if ending.steppingSeconds > 0 {
            say(
                String(
                    format:
                        "lock-step training: %d run-steps in %.2f s = %.0f samples/s in all (%d BLAS thread(s) per run)",
                    ending.runSteps, ending.steppingSeconds,
                    Double(ending.runSamples) / ending.steppingSeconds, BLASThreads.current))
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
        if let log = ending.log { say("metrics in \(log.path)") }
        if ending.interrupted && ending.stop.stoppedBy == SIGPIPE {
            Console.error(
                "dlboard: standard output closed: stopped after \(totalSteps) steps in all"
                    + (ending.log.map { "; metrics in \($0.path)" } ?? ""))
        }
    }

    private func say(_ line: String) { Console.say(line) }
}
