import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `dlboard watch --headless`: the leaderboard printed whenever a watched file changed (at most
/// every `printInterval`), until a stop signal or, with `exitWhenDone`, until every trial ended;
/// `once` reads everything there is, prints, and returns.
struct WatchHeadless {
    var watcher: TrialWatcher
    /// The metric asked for (`--metric`, `--mode`); nil parts follow the trials (`WatchMetric.chosen`).
    var metricName: String?
    var mode: WatchMetric.Mode?
    var once = false
    var exitWhenDone = false

    /// How often every known file is stat'ed.
    static let pollInterval = 0.1
    /// The least time between two printed tables: a burst of writes prints once.
    static let printInterval = 0.2

    /// Runs until done; returns the exit status (a stop signal's, `StopSignal.exitStatus`).
    mutating func run() -> Int32 {
        if once {
            var now = ScreenLoop.now()
            while watcher.poll(now: now) { now = ScreenLoop.now() }
            printBoard()
            return 0
        }
        let stop = StopSignal.install()
        var pending = true
        var lastPrint = -Double.infinity
        while true {
            let start = ScreenLoop.now()
            if watcher.poll(now: start) { pending = true }
            if pending && start - lastPrint >= Self.printInterval {
                printBoard()
                lastPrint = start
                pending = false
            }
            let trials = watcher.trials
            if exitWhenDone && !pending && !trials.isEmpty && trials.allSatisfy(\.isDone) { return 0 }
            if stop.isRequested { return stop.exitStatus }
            let elapsed = ScreenLoop.now() - start
            let wait = pending ? min(Self.pollInterval, lastPrint + Self.printInterval - start) : Self.pollInterval
            if wait > elapsed { usleep(UInt32((wait - elapsed) * 1e6)) }
        }
    }

    private func printBoard() {
        let trials = watcher.trials
        let metric = WatchMetric.chosen(name: metricName, mode: mode, trials: trials)
        let board = WatchBoard(trials, metric: metric)
        let clock = Self.clock.string(from: Date())
        let head = "watch \(clock) · " + board.summary(skipped: watcher.skippedLines)
        let body = trials.isEmpty ? ["no trials yet under " + watcher.roots.joined(separator: ", ")] : board.lines()
        Console.say(([head] + body).joined(separator: "\n"))
    }

    private static let clock: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "HH:mm:ss.SSS"
        return f
    }()
}
