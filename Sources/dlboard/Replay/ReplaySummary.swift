import Foundation
import NN

/// `replay --headless` (or a replay without a terminal): each run's header, its per-epoch numbers
/// with the switches between them, and how it ended.
enum ReplaySummary {
    /// One line per evaluation and event of every run, in step order, then each run's last numbers.
    /// Every line goes out through `RecordText.say`: titles, labels and names are the record's.
    static func write(_ records: [RunRecord], warnings: [String]) {
        for w in warnings { RecordText.warn(w) }
        var number = 0
        for record in records {
            RecordText.say("replay \(record.path): \(record.runs.count) run(s)")
            for run in record.runs {
                number += 1
                let c = run.config
                let net = c.network
                var head = "run \(number)"
                if let t = run.title, !t.isEmpty { head += " (\(t))" }
                head += ": \(run.datasetName) \(run.trainSize) train"
                if let crc = run.datasetChecksum { head += " crc32 \(crc)" }
                head +=
                    " · \(net.shapeDescription) \(net.activation.displayName), init \(net.initializer.displayName)"
                    + (net.normalization != .none ? ", \(net.normalization.displayName)" : "")
                    + (net.dropout > 0 ? ", dropout \(Format.number(net.dropout))" : "")
                    + (net.inputDropout > 0 ? ", input dropout \(Format.number(net.inputDropout))" : "")
                    + (net.dropoutStyle != .book && (net.dropout > 0 || net.inputDropout > 0)
                        ? ", \(net.dropoutStyle.displayName) dropout" : "")
                    + (net.loss != .crossEntropy ? ", loss \(net.loss.displayName)" : "")
                    + (c.inputs != .unit ? ", \(c.inputs.displayName)" : "")
                    + (c.augmentation.isNone ? "" : ", augment \(c.augmentation.displayName)")
                    + (net.weightDecay > 0 ? ", wd \(Format.number(net.weightDecay))" : "")
                    + " · \(OptimizerText.describe(c)) · batch \(c.batchSize) · seed \(c.seed)"
                if let p = run.parent, let s = run.forkStep { head += " · forked from run \(p + 1) at step \(s)" }
                RecordText.say(head)
                RecordText.say("  loss per step: \(c.lossRecording.label)")
                RecordText.say("  epoch    step      loss   train    test     val")
                var events = run.events[...]
                for e in run.evaluations {
                    while let ev = events.first, ev.event.step <= e.evaluation.step {
                        RecordText.say("  step \(ev.event.step): \(ev.event.label)")
                        events = events.dropFirst()
                    }
                    let v = e.evaluation
                    let fmt = { (x: Double?) in x.map { String(format: "%6.4f", $0) } ?? "     -" }
                    RecordText.say(
                        String(
                            format: "  %5d  %6d  %8@  %@  %@  %@", v.epoch, v.step,
                            e.loss.map { String(format: "%8.4f", $0) } ?? "       -",
                            fmt(v.trainAccuracy), fmt(v.testAccuracy), fmt(v.validationAccuracy)))
                }
                for ev in events { RecordText.say("  step \(ev.event.step): \(ev.event.label)") }
                let last = run.steps.last.map { "\($0.step) steps" } ?? "no steps"
                var end = "  \(last) recorded"
                if let s = run.stopped {
                    end += ", stopped: \(s)"
                } else if !run.hasSummary {
                    end += ", no summary record (killed, or written before trials had one)"
                }
                RecordText.say(end)
            }
        }
    }
}
