import Foundation
import NN
import TUI

/// A random search on screen: the live leaderboard with a column per knob of the space, a scatter
/// of two of its numeric knobs coloured by validation accuracy (`x` and `y` pick them), and the best
/// trials' curves (validation bold, train faint). `n` narrows the space around the best five and
/// starts the next round.
struct RandomSearchScreen: InteractiveScreen {
    let search: RandomSearch
    var snapshot = RandomSearch.Snapshot()
    var lastPoll = 0.0
    var notice: String?
    var showsHelp = false
    var showsOverlay: Bool { showsHelp }
    /// Which of the space's numeric knobs (`SearchSpace.numericAxes`) the scatter puts across and up.
    var xAxis = 0
    var yAxis = 1

    init(search: RandomSearch) {
        self.search = search
        snapshot.space = search.space
    }

    var numericAxes: [SearchSpace.Axis] { search.space.numericAxes }

    mutating func handle(_ key: Key) -> Bool {
        if showsHelp {
            showsHelp = false
            return true
        }
        notice = nil
        switch key {
        case .character("n"):
            if snapshot.running {
                notice = "round \(snapshot.round) is still running"
            } else if let r = search.narrowed() {
                search.startRound(r)
                snapshot = search.snapshot()
            } else {
                notice = "fewer than 2 finished trials to narrow around"
            }
        case .character("x"), .character("y"):
            let across = key == .character("x")
            let count = numericAxes.count
            guard count >= (across ? 1 : 2) else {
                notice = count == 0 ? "no numeric knob to plot" : "one numeric knob: up is the validation accuracy"
                return true
            }
            if across {
                Self.cycle(&xAxis, other: &yAxis, count: count)
            } else {
                Self.cycle(&yAxis, other: &xAxis, count: count)
            }
            let axis = numericAxes[across ? xAxis : yAxis]
            notice = "\(across ? "across" : "up"): \(axis.knob.label)"
        case .character("?"): showsHelp = true
        default: return false
        }
        return true
    }

    /// The next of `count` knobs for `axis`; landing on the other axis's knob swaps the two, so both
    /// axes never show the same knob.
    static func cycle(_ axis: inout Int, other: inout Int, count: Int) {
        let next = (axis + 1) % count
        if next == other && count > 1 { other = axis }
        axis = next
    }

    mutating func tick(now: Double) -> Bool {
        guard now - lastPoll >= 0.1 else { return false }
        lastPoll = now
        let s = search.snapshot()
        let changed =
            s.trials.map(\.validationAccuracy.count) != snapshot.trials.map(\.validationAccuracy.count)
            || s.running != snapshot.running || s.round != snapshot.round
        snapshot = s
        return changed
    }

    /// Finished-or-running trials by their latest validation accuracy, best first.
    static func leaderboard(_ trials: [RandomSearch.Trial]) -> [RandomSearch.Trial] {
        trials.filter { !$0.validationAccuracy.isEmpty }.sorted { $0.finalValidation > $1.finalValidation }
    }

    static func accuracyColor(_ v: Double) -> Color {
        v >= 0.7 ? .green : v >= 0.4 ? .yellow : v >= 0.2 ? .palette(208) : .red
    }

    static let keys: [(keys: String, help: String)] = [
        ("n", "narrow the space around the best 5 and run the next round"),
        ("x", "scatter: the next numeric knob across"), ("y", "scatter: the next numeric knob up"),
        ("?", "this help"), ("Esc", "close this help"), ("q", "quit (asks first)"),
    ]

    /// The scatter's axes: the chosen numeric knobs, nil for a missing one.
    var scatterAxes: (x: SearchSpace.Axis, y: SearchSpace.Axis?)? {
        let axes = numericAxes
        guard !axes.isEmpty else { return nil }
        let x = axes[min(xAxis, axes.count - 1)]
        return (x, axes.count > 1 ? axes[min(yAxis, axes.count - 1)] : nil)
    }

    func render(width: Int, height: Int, glyphs: GlyphSet) -> Buffer {
        if let small = TooSmallScreen.buffer(width: width, height: height) { return small }
        var buffer = Buffer(width: width, height: height)
        let s = snapshot
        let sep = glyphs == .ascii ? " | " : " · "
        let done = s.trials.filter(\.done).count
        let data = search.dataset
        let name = search.space == .book ? "preset random-search (E9)" : "preset random-search"
        buffer.put(
            "dlboard" + sep + name + sep + "round \(s.round)" + sep + "\(done)/\(s.trials.count) trials done"
                + sep + "\(data.train.count) train / \(data.validation?.count ?? 0) validation, test set never used",
            x: 0, y: 0, style: .bold, maxWidth: width)
        buffer.put(
            "this round: " + s.space.rangesText + sep
                + "\(search.base.epochs) epoch\(search.base.epochs == 1 ? "" : "s")"
                + (s.running ? sep + "running" : sep + "n: next round, narrowed"),
            x: 0, y: 1, style: .dim, maxWidth: width)
        let board = Self.leaderboard(s.trials)
        let area = Rect(x: 0, y: 2, width: width, height: height - 3)
        let (top, bottom) = area.splitRows(at: area.height / 2)
        // The table takes half the width, or more while the scatter keeps 56 columns.
        let table = SearchLeaderboardView(space: search.space, width: max(top.width / 2, top.width - 56))
        let (left, right) = top.splitColumns(at: table.width, gap: 1)
        table.render(board, in: left, into: &buffer)
        if let axes = scatterAxes {
            SearchScatterView(trials: s.trials, x: axes.x, y: axes.y).render(in: right, into: &buffer, glyphs: glyphs)
        } else {
            buffer.put("no numeric knob to plot", in: right, row: 0, style: .dim)
        }
        // The best trials' curves.
        let count = min(board.count, max(1, bottom.width / 20) * max(1, bottom.height / 6))
        let perRow = max(1, bottom.width / 20)
        let rows = max(1, (count + perRow - 1) / perRow)
        for (i, t) in board.prefix(count).enumerated() {
            let cellWidth = bottom.width / perRow
            let cellHeight = bottom.height / rows
            let cell = Rect(
                x: bottom.x + (i % perRow) * cellWidth, y: bottom.y + (i / perRow) * cellHeight, width: cellWidth - 1,
                height: cellHeight)
            let val = t.validationAccuracy.enumerated().map { ChartPoint(x: Double($0.offset + 1), y: $0.element) }
            let train = t.trainAccuracy.enumerated().map { ChartPoint(x: Double($0.offset + 1), y: $0.element) }
            var chart = LineChart(
                title: String(format: "#%d val %.2f", i + 1, t.finalValidation),
                series: [
                    ChartSeries(name: "val", points: val, color: .green),
                    ChartSeries(name: "train", points: train, color: .palette(244)),
                ])
            chart.glyphs = glyphs
            chart.yRange = 0...1
            chart.showsLegend = false
            chart.render(in: cell, into: &buffer)
        }
        let x = HintsBar(
            items: [("n", "next round (narrowed)"), ("x/y", "scatter axes"), ("?", "help"), ("q", "quit")]
        ).render(row: height - 1, width: width, into: &buffer)
        if let n = notice { buffer.put(n, x: x + 2, y: height - 1, style: .bold, maxWidth: width - x - 2) }
        if showsHelp {
            HelpPopup(title: "keys — any key closes", entries: Self.keys, keyWidth: 4, glyphs: glyphs).render(
                in: buffer.area, into: &buffer)
        }
        if glyphs == .ascii { AsciiFallback.apply(to: &buffer) }
        return buffer
    }
}
