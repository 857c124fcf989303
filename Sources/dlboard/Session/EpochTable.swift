import Foundation
import NN

/// The output of `dlboard train` (and of the dashboard without a terminal): the data and the
/// network, one table row per epoch — mean loss, train/test/validation accuracy, training seconds,
/// samples/s — and one closing line (done, diverged, or interrupted).
struct EpochTable: HeadlessReport {
    private var validation = false

    mutating func begin(
        titles: [String], statuses: [SessionOutput.Status], dataset data: Dataset, dataDirectory: String
    ) {
        let validationPart = data.validation.map { " / \($0.count) validation" } ?? ""
        // Always `train`'s words: this is its format, whichever command fell back to it.
        say(
            "dlboard train: \(data.name) (\(data.train.count) train\(validationPart) / \(data.test.count) test) from \(dataDirectory)"
        )
        guard let status = statuses.first else { return }
        let config = status.config
        let net = config.network
        var extras: [String] = []
        if net.normalization != .none { extras.append(net.normalization.displayName) }
        if net.dropout > 0 { extras.append("Dropout \(Format.number(net.dropout))") }
        if net.inputDropout > 0 { extras.append("input Dropout \(Format.number(net.inputDropout))") }
        if net.dropoutStyle != .book && (net.dropout > 0 || net.inputDropout > 0) {
            extras.append("\(net.dropoutStyle.displayName) Dropout")
        }
        if net.weightDecay > 0 { extras.append("weight decay \(Format.number(net.weightDecay))") }
        if net.loss != .crossEntropy { extras.append("loss \(net.loss.displayName)") }
        if config.inputs != .unit { extras.append(config.inputs.displayName) }
        if !config.augmentation.isNone { extras.append("augment \(config.augmentation.displayName)") }
        say(
            "network \(net.shapeDescription) \(net.activation.displayName), init \(net.initializer.displayName)"
                + (extras.isEmpty ? "" : ", " + extras.joined(separator: ", "))
                + " · \(OptimizerText.describe(config)) · batch \(config.batchSize)"
                + " · \(status.stepsPerEpoch) steps/epoch · seed \(config.seed) · \(BLASThreads.current) BLAS thread(s), kernel \(BLASThreads.coreName)"
        )
        // A kernel narrower than the CPU halves every figure below; say so where they are printed.
        if let warning = KernelVerdict.current().warning { say("warning: \(warning)") }
        validation = data.validation != nil
        say("epoch      loss   train    test\(validation ? "     val" : "")    time   samples/s")
    }

    mutating func evaluation(run: Int, title: String, _ e: SessionOutput.Evaluation) {
        let test = e.testAccuracy.map { String(format: "%6.4f", $0) } ?? "     -"
        let val = validation ? "  " + (e.validationAccuracy.map { String(format: "%6.4f", $0) } ?? "     -") : ""
        say(
            String(
                format: "%5d  %8.4f  %6.4f  %@%@  %5.1f s  %10.0f", e.epoch, e.meanLoss ?? .nan, e.trainAccuracy, test,
                val,
                e.trainSeconds, e.samplesPerSecond))
    }

    mutating func diverged(run: Int, title: String, status: SessionOutput.Status) {
        say(
            "diverged at step \(status.step): the loss is not a number any more — try a lower learning rate (now \(Format.number(status.config.effectiveLearningRate)))"
        )
    }

    func end(_ ending: HeadlessSession.Ending) {
        guard let run = ending.results.first, !run.diverged else { return }
        let steps = run.steps
        guard ending.interrupted else {
            // Wall time includes the setup and the evaluations; the table gives the training-only rate.
            say(
                String(
                    format: "done: %d epochs, %d steps in %.1f s; final test accuracy %.4f", run.last?.epoch ?? 0,
                    steps, ending.seconds, run.last?.testAccuracy ?? 0))
            return
        }
        let saved = ending.log.map { "; metrics saved to \($0.path)" } ?? ""
        if ending.stop.stoppedBy == SIGPIPE {
            // Nobody reads stdout any more; stderr may still reach the user.
            Console.error("dlboard: standard output closed: stopped at step \(steps)\(saved)")
        } else {
            say("interrupted at step \(steps)\(saved)")
        }
    }

    private func say(_ line: String) { Console.say(line) }
}
