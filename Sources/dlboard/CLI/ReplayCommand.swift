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
            "Keys: space pause, +/- speed (1×–100×), g jump to the end, r start again, L the layers view, "
            + "tab/v/x/s/l/f as live, q quit."
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
        else { return ReplaySummary.write(records, warnings: warnings) }
        var model = ReplayScreen(records: records, speed: instant ? nil : speed)
        if let w = warnings.first { model.state.notice = w }
        let interrupted = ScreenLoop.run(&model, on: screen)
        screen.close()
        for w in warnings { RecordText.warn(w) }
        if interrupted { throw ExitCode(130) }
    }
}
