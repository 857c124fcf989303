import Foundation
import TUI

/// `dlboard watch` on screen: the trials' leaderboard by the chosen metric and their lr × weight
/// decay scatter above, small multiples of their curves below, new trials appearing as their files
/// do. `m` cycles the metric through those the trials report; `?` shows the keys.
struct WatchScreen: InteractiveScreen {
    var watcher: TrialWatcher
    /// The metric asked for (`--metric`, then `m`); nil follows the trials (`WatchMetric.chosen`).
    var metricName: String?
    /// `--mode`: kept for the metric it was given with; `m` goes back to each name's default.
    var mode: WatchMetric.Mode?
    var trials: [WatchTrial] = []
    var notice: String?
    var showsHelp = false
    var showsOverlay: Bool { showsHelp }
    private var lastPoll = -Double.infinity

    init(watcher: TrialWatcher, metricName: String?, mode: WatchMetric.Mode?) {
        self.watcher = watcher
        self.metricName = metricName
        self.mode = mode
    }

    static let keys: [(keys: String, help: String)] = [
        ("m", "rank and plot by the next metric"), ("?", "this help"), ("Esc", "close this help"),
        ("q", "quit (asks first)"),
    ]

    var metric: WatchMetric { WatchMetric.chosen(name: metricName, mode: mode, trials: trials) }

    mutating func handle(_ key: Key) -> Bool {
        if showsHelp {
            showsHelp = false
            return true
        }
        notice = nil
        switch key {
        case .character("m"):
            let names = WatchMetric.ordered(WatchMetric.names(of: trials))
            guard !names.isEmpty else {
                notice = "no metric reported yet"
                return true
            }
            let current = metric.name
            let next = names[((names.firstIndex(of: current) ?? -1) + 1) % names.count]
            metricName = next
            mode = nil
            notice = "ranked by \(next) (\(metric.mode.rawValue))"
        case .character("?"): showsHelp = true
        default: return false
        }
        return true
    }

    mutating func tick(now: Double) -> Bool {
        guard now - lastPoll >= WatchHeadless.pollInterval else { return false }
        lastPoll = now
        guard watcher.poll(now: now) else { return false }
        trials = watcher.trials
        return true
    }

    /// A root as the second line names it: as given, or its last two folders when long.
    static func shortened(_ path: String) -> String {
        guard path.count > 40 else { return path }
        let parts = path.split(separator: "/")
        return "…/" + parts.suffix(2).joined(separator: "/")
    }

    func render(width: Int, height: Int, glyphs: GlyphSet) -> Buffer {
        if let small = TooSmallScreen.buffer(width: width, height: height) { return small }
        var buffer = Buffer(width: width, height: height)
        let sep = glyphs == .ascii ? " | " : " · "
        let board = WatchBoard(trials, metric: metric)
        buffer.put(
            "dlboard" + sep + "watch" + sep + board.summary(skipped: watcher.skippedLines), x: 0, y: 0, style: .bold,
            maxWidth: width)
        buffer.put(
            "following \(watcher.fileCount) file\(watcher.fileCount == 1 ? "" : "s") under "
                + watcher.roots.map(Self.shortened).joined(separator: ", "),
            x: 0, y: 1, style: .dim, maxWidth: width)
        let area = Rect(x: 0, y: 2, width: width, height: height - 3)
        if trials.isEmpty {
            buffer.put(
                "no trials yet: waiting for dlboard records (*.jsonl) or Ray result.json files", in: area, row: 1,
                style: .dim)
        } else {
            let (top, bottom) = area.splitRows(at: max(6, area.height / 2))
            // The table whole when it leaves the scatter 30 columns; on a wide screen the scatter
            // keeps 36; on a narrow one the table takes the width.
            let needed = (board.lines(short: true).map(\.count).max() ?? 0) + 2
            let tableWidth =
                top.width >= needed + 31 ? needed : top.width >= 100 ? top.width - 37 : top.width
            let (left, right) = top.splitColumns(at: tableWidth, gap: 1)
            WatchLeaderboardView(board: board).render(in: left, into: &buffer)
            if tableWidth < top.width {
                WatchScatterView(board: board, glyphs: glyphs).render(in: right, into: &buffer)
            }
            WatchCurvesView(board: board, glyphs: glyphs).render(in: bottom, into: &buffer)
        }
        let x = HintsBar(items: [("m", "next metric"), ("?", "help"), ("q", "quit")]).render(
            row: height - 1, width: width, into: &buffer)
        if let n = notice { buffer.put(n, x: x + 2, y: height - 1, style: .bold, maxWidth: width - x - 2) }
        if showsHelp {
            HelpPopup(title: "keys — any key closes", entries: Self.keys, keyWidth: 4, glyphs: glyphs).render(
                in: buffer.area, into: &buffer)
        }
        if glyphs == .ascii { AsciiFallback.apply(to: &buffer) }
        return buffer
    }
}
