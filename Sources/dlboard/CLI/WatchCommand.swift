import ArgumentParser
import Foundation
import NN

/// `dlboard watch DIR…`: follows folder trees of growing run records (dlboard's JSONL, Ray Tune's
/// per-trial `result.json`) and shows the trials live, or prints their leaderboard `--headless`.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow folders of growing run records (dlboard JSONL, Ray Tune result.json) live.",
        discussion:
            "Keys: m next metric, ? help, q quit. --headless prints the leaderboard whenever a file changes "
            + "(--once: once; --exit-when-done: until every trial has ended)."
    )

    @Argument(help: "Folders (or record files) to follow; their subfolders too.")
    var folders: [String]

    @Option(
        help:
            "The metric to rank and plot: val_acc, test_acc, loss, train_acc or a Ray metric (default: val_acc when a trial has it, else test_acc)."
    )
    var metric: String?

    @Option(help: "max or min: whether more of the metric is better (default: min for a loss, else max).")
    var mode: WatchMetric.Mode?

    @Flag(help: "No screen: print the leaderboard whenever a watched file changes.")
    var headless = false

    @Flag(help: "Read what is there, print the leaderboard once and exit (implies --headless).")
    var once = false

    @Flag(help: "Exit once every trial has ended (a summary, or Ray's done).")
    var exitWhenDone = false

    @OptionGroup var look: GlyphOptions

    func validate() throws {
        if folders.isEmpty { throw ValidationError("watch: give at least one folder") }
        if let m = metric, m.isEmpty { throw ValidationError("--metric: give a metric name") }
    }

    func run() throws {
        let watcher: TrialWatcher
        do { watcher = try TrialWatcher(roots: folders) } catch { throw ValidationError(error.description) }
        let printer = WatchHeadless(
            watcher: watcher, metricName: metric, mode: mode, once: once, exitWhenDone: exitWhenDone)
        guard !once,
            let screen = Frontend.screen(
                headless: headless, glyphs: look.glyphs, instead: "printing the leaderboard instead")
        else {
            var h = printer
            let status = h.run()
            if status != 0 { throw ExitCode(status) }
            return
        }
        var model = WatchScreen(watcher: watcher, metricName: metric, mode: mode)
        let interrupted = ScreenLoop.run(&model, on: screen)
        screen.close()
        if interrupted { throw ExitCode(StopSignal.process.exitStatus) }
    }
}

extension WatchMetric.Mode: ExpressibleByArgument {}
