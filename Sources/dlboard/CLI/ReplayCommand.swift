import ArgumentParser
import Foundation
import NN
import TUI

/// `dlboard replay FILE…`: a recorded session back on the dashboard (several files side by side), or
/// its per-epoch summary with `--headless`.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Redraw recorded sessions (run records from --save or --metrics-out) on the dashboard.",
        discussion:
            "Keys: space pause, +/- speed (1×–100×), g jump to the end, r start again, tab/v/x/s/l/f as live, q quit."
    )

    @Argument(help: "Run records (metrics.jsonl files); several play side by side.")
    var files: [String]

    @Option(parsing: .unconditional, help: "Speed, as a multiple of the recorded pace: 1…100.")
    var speed: Double = 10

    @Flag(help: "Show everything at once instead of replaying it.")
    var instant = false

    @Flag(help: "No dashboard: print the per-epoch summary of each run.")
    var headless = false

    @OptionGroup var look: GlyphOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("replay: give at least one run record file") }
        if !(speed >= 1 && speed <= 100) { throw ValidationError("--speed: must be between 1 and 100, got \(speed)") }
    }

    func run() throws {
        var records: [RunRecord] = []
        for f in files {
            do { records.append(try RunRecordReader.read(path: f)) } catch {
                throw ValidationError(RecordText.printable(error.description))
            }
        }
        let warnings = records.flatMap(\.warnings)
        guard
            let screen = Frontend.screen(
                headless: headless, glyphs: look.glyphs, instead: "printing the summary instead")
        else { return printSummary(records, warnings: warnings) }
        var model = ReplayScreen(records: records, speed: instant ? nil : speed)
        if let w = warnings.first { model.state.notice = w }
        let interrupted = ScreenLoop.run(&model, on: screen)
        screen.close()
        for w in warnings { RecordText.warn(w) }
        if interrupted { throw ExitCode(130) }
    }

    /// One line per evaluation and event of every run, in step order, then each run's last numbers.
    /// Every line goes out through `RecordText.say`: titles, labels and names are the record's.
    func printSummary(_ records: [RunRecord], warnings: [String]) {
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
                    + (net.batchNorm ? ", BatchNorm" : "")
                    + (net.dropout > 0 ? ", dropout \(Format.number(net.dropout))" : "")
                    + (net.weightDecay > 0 ? ", wd \(Format.number(net.weightDecay))" : "")
                    + " · \(c.optimizer.displayName) lr \(Format.number(c.effectiveLearningRate)) · batch \(c.batchSize) · seed \(c.seed)"
                if let p = run.parent, let s = run.forkStep { head += " · forked from run \(p + 1) at step \(s)" }
                RecordText.say(head)
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
                    end += ", no summary record (killed, or a random-search trial)"
                }
                RecordText.say(end)
            }
        }
    }
}
