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
            for line in searchLines(record) { RecordText.say(line) }
        }
    }

    /// A search's decisions after its runs: a line per rung decision (its budget, the runs that
    /// went on and the cutoff, the kept-alive ones), per exploit (member ← donor, lr and wd from →
    /// to), and successive halving's verdict. Runs are numbered as in the lines above.
    static func searchLines(_ record: RunRecord) -> [String] {
        var lines: [String] = []
        let number = record.runNumbers
        func runs(_ ids: [Int]) -> String {
            ids.isEmpty ? "none" : ids.map { "\(number($0))" }.joined(separator: ", ")
        }
        func score(_ x: Double?) -> String { x.map { String(format: "%.4f", $0) } ?? "-" }
        for r in record.rungs {
            var line =
                "rung \(r.rung) at \(r.budget) epoch(s): \(r.ranked.count) trial(s), promoted runs \(runs(r.promoted))"
                + ", cutoff \(score(r.cutoff))"
            if !r.kept.isEmpty { line += ", kept alive \(runs(r.kept))" }
            lines.append(line)
        }
        for e in record.exploits {
            func factor(_ f: Double?) -> String { f.map { " (×\(Format.number(Float($0))))" } ?? " (drawn)" }
            lines.append(
                "exploit at step \(e.step) (generation \(e.generation)): run \(number(e.member))"
                    + " ← run \(number(e.donor)) (val \(score(e.score.isNaN ? nil : e.score))"
                    + " ← \(score(e.donorScore.isNaN ? nil : e.donorScore))), lr \(Format.number(Float(e.learningRateFrom)))"
                    + " → \(Format.number(Float(e.learningRateTo)))\(factor(e.learningRateFactor)), wd"
                    + " \(Format.number(Float(e.weightDecayFrom))) → \(Format.number(Float(e.weightDecayTo)))"
                    + factor(e.weightDecayFactor))
        }
        if let h = record.halving {
            var line =
                "halving: \(h.trials) trials, η \(h.eta), budget \(h.budgetSpent) of \(h.fullBudget) epochs"
                + " · best \(h.bestRun.map { "run \(number($0))" } ?? "none") at val \(score(h.bestValidation))"
                + " · random search with the same budget: \(h.randomTrials) trial(s)"
                + ", best \(h.randomBestRun.map { "run \(number($0))" } ?? "none") at val \(score(h.randomBestValidation))"
            if let missed = h.regretMissed, let kept = h.regretKept {
                line += " · pruning regret \(missed) of \(kept)"
            }
            lines.append(line)
        }
        return lines
    }
}
