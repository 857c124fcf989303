import Foundation
import NN
import Synchronization

/// Drives one `Trainer` without a screen: a line per epoch on stdout, metrics to the log, and a
/// clean stop (log flushed, summary written and printed) on a stop signal or when stdout goes away
/// (`StopSignal`).
final class HeadlessRun {
    let trainer: Trainer
    let dataDirectory: String
    let log: MetricsLog?
    let logEvery: Int

    init(config: TrainingConfig, dataset: Dataset, dataDirectory: String, log: MetricsLog?, logEvery: Int) {
        self.trainer = Trainer(config: config, data: dataset)
        self.dataDirectory = dataDirectory
        self.log = log
        self.logEvery = logEvery
    }

    /// Trains to the end (or until stopped) and returns the process exit status.
    func run() -> Int32 {
        let stop = StopSignal.install()
        let config = trainer.config
        let data = trainer.data
        let start = DispatchTime.now().uptimeNanoseconds
        log?.writeConfig(config, dataset: data, checksum: data.checksum, dataDirectory: dataDirectory)
        log?.flush()

        var validation = ""
        if let v = data.validation { validation = " / \(v.count) validation" }
        say(
            "dlboard train: \(data.name) (\(data.train.count) train\(validation) / \(data.test.count) test) from \(dataDirectory)"
        )
        let net = config.network
        var extras: [String] = []
        if net.batchNorm { extras.append("BatchNorm") }
        if net.dropout > 0 { extras.append("Dropout \(Format.number(net.dropout))") }
        if net.weightDecay > 0 { extras.append("weight decay \(Format.number(net.weightDecay))") }
        say(
            "network \(net.shapeDescription) \(net.activation.displayName), init \(net.initializer.displayName)"
                + (extras.isEmpty ? "" : ", " + extras.joined(separator: ", "))
                + " · \(config.optimizer.displayName) lr \(Format.number(config.effectiveLearningRate)) · batch \(config.batchSize)"
                + " · \(trainer.stepsPerEpoch) steps/epoch · seed \(config.seed) · \(BLASThreads.current) BLAS thread(s), kernel \(BLASThreads.coreName)"
        )
        let valHeader = data.validation == nil ? "" : "     val"
        say("epoch      loss   train    test\(valHeader)    time   samples/s")

        var stopReason: StopReason?
        var diverged = false
        var last: EpochReport?
        var epochsDone = 0
        // The record's histograms are of the epoch's last training batch, taken before the
        // evaluation's forward passes overwrite the layer outputs.
        var activations: [ActivationStatistics] = []
        trainer.train(
            onStep: { step, loss in
                let epoch = (step - 1) / trainer.stepsPerEpoch + 1
                if step % logEvery == 0 || !loss.isFinite { log?.writeStep(step: step, epoch: epoch, loss: loss) }
                log?.flushIfDue()
                log?.announceFailure()
                if !loss.isFinite {
                    stopReason = .diverged
                    diverged = true
                    log?.writeEvent(.init(step: step, label: "✗ diverged", kind: .diverged))
                    return false
                }
                if stop.isRequested { stopReason = stop.recordReason }
                if log != nil && (step % trainer.stepsPerEpoch == 0 || stopReason != nil) {
                    activations = trainer.network.displayActivationStatistics()
                }
                return stopReason == nil
            },
            onEpoch: { report in
                if diverged { return }
                last = report
                epochsDone = report.epoch
                log?.writeEval(report)
                log?.writeHistograms(activations, step: report.step)
                log?.flush()
                let val = report.validationAccuracy.map { String(format: "  %6.4f", $0) } ?? ""
                say(
                    String(
                        format: "%5d  %8.4f  %6.4f  %6.4f%@  %5.1f s  %10.0f",
                        report.epoch, report.meanLoss, report.trainAccuracy, report.testAccuracy, val,
                        report.trainSeconds, report.samplesPerSecond))
            })

        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        log?.writeSummary(
            steps: trainer.steps, epochs: epochsDone, seconds: seconds, testAccuracy: last?.testAccuracy,
            validationAccuracy: last?.validationAccuracy, stopReason: stopReason)
        log?.close()
        log?.announceFailure()
        if diverged {
            say(
                "diverged at step \(trainer.steps): the loss is not a number any more — try a lower learning rate (now \(Format.number(config.effectiveLearningRate)))"
            )
            return 0
        }
        guard stopReason != nil else {
            // Wall time includes loading-free setup and evaluation; the epoch lines give the training-only rate.
            say(
                String(
                    format: "done: %d epochs, %d steps in %.1f s; final test accuracy %.4f",
                    epochsDone, trainer.steps, seconds, last?.testAccuracy ?? 0))
            return 0
        }
        let saved = log.map { "; metrics saved to \($0.path)" } ?? ""
        if stop.stoppedBy == SIGPIPE {
            // Nobody reads stdout any more; stderr may still reach the user.
            Console.error("dlboard: standard output closed: stopped at step \(trainer.steps)\(saved)")
        } else {
            say("interrupted at step \(trainer.steps)\(saved)")
        }
        return stop.exitStatus
    }

    private func say(_ line: String) { Console.say(line) }
}
