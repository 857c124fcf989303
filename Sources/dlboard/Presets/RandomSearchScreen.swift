import Foundation
import NN
import TUI

/// E9 on screen: the live leaderboard, a scatter of lr × weight decay coloured by validation
/// accuracy, and the best trials' curves (validation bold, train faint). `n` narrows the ranges
/// around the best five and starts the next round.
struct RandomSearchScreen: InteractiveScreen {
    let search: RandomSearch
    var snapshot = RandomSearch.Snapshot()
    var lastPoll = 0.0
    var notice: String?
    var showsHelp = false
    var showsOverlay: Bool { showsHelp }

    init(search: RandomSearch) { self.search = search }

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
        case .character("?"): showsHelp = true
        default: return false
        }
        return true
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
        ("n", "narrow the ranges around the best 5 and run the next round"), ("?", "this help"),
        ("Esc", "close this help"), ("q", "quit (asks first)"),
    ]

    func render(width: Int, height: Int, glyphs: GlyphSet) -> Buffer {
        if let small = TooSmallScreen.buffer(width: width, height: height) { return small }
        var buffer = Buffer(width: width, height: height)
        let s = snapshot
        let sep = glyphs == .ascii ? " | " : " · "
        let done = s.trials.filter(\.done).count
        let data = search.dataset
        buffer.put(
            "dlboard" + sep + "preset random-search (E9)" + sep + "round \(s.round)" + sep
                + "\(done)/\(s.trials.count) trials done"
                + sep + "\(data.train.count) train / \(data.validation?.count ?? 0) validation, test set never used",
            x: 0, y: 0, style: .bold, maxWidth: width)
        buffer.put(
            "this round: " + s.ranges.description + sep + "\(search.base.epochs) epochs"
                + (s.running ? sep + "running" : sep + "n: next round, narrowed"),
            x: 0, y: 1, style: .dim, maxWidth: width)
        let board = Self.leaderboard(s.trials)
        let area = Rect(x: 0, y: 2, width: width, height: height - 3)
        let (top, bottom) = area.splitRows(at: area.height / 2)
        let (left, right) = top.splitColumns(at: min(48, top.width / 2), gap: 1)
        // Leaderboard.
        // The full columns need 48; narrower terminals get a compact table without the round.
        let compact = left.width < 48
        buffer.put(
            compact ? " #  val   train lr      wd" : " #  round   val    train  lr        weight decay", in: left,
            row: 0, style: .bold)
        for (i, t) in board.prefix(left.height - 1).enumerated() {
            let running = t.done ? "" : " …"
            let line =
                compact
                ? String(
                    format: "%2d %.3f %.3f %.1e %.1e", i + 1, t.finalValidation, t.trainAccuracy.last ?? 0,
                    t.learningRate, t.weightDecay) + running
                : String(
                    format: "%2d  %5d  %.3f  %.3f  %.2e  %.2e", i + 1, t.round, t.finalValidation,
                    t.trainAccuracy.last ?? 0,
                    t.learningRate, t.weightDecay) + running
            buffer.put(line, in: left, row: i + 1, style: Style(foreground: Self.accuracyColor(t.finalValidation)))
        }
        renderScatter(s.trials, in: right, into: &buffer, glyphs: glyphs)
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
            items: [("n", "next round (narrowed)"), ("?", "help"), ("q", "quit")]).render(
                row: height - 1, width: width, into: &buffer)
        if let n = notice { buffer.put(n, x: x + 2, y: height - 1, style: .bold, maxWidth: width - x - 2) }
        if showsHelp {
            HelpPopup(title: "keys — any key closes", entries: Self.keys, keyWidth: 4, glyphs: glyphs).render(
                in: buffer.area, into: &buffer)
        }
        if glyphs == .ascii { AsciiFallback.apply(to: &buffer) }
        return buffer
    }

    /// log10 lr across, log10 weight decay up, one dot per trial coloured by its validation accuracy.
    private func renderScatter(
        _ trials: [RandomSearch.Trial], in rect: Rect, into buffer: inout Buffer, glyphs: GlyphSet
    ) {
        guard rect.width >= 12, rect.height >= 4 else { return }
        buffer.put("lr × weight decay (log), colour = val acc", in: rect, row: 0, style: .bold)
        let plot = Rect(x: rect.x + 6, y: rect.y + 1, width: rect.width - 6, height: rect.height - 2)
        let lrs = trials.map { log10(Double($0.learningRate)) }
        let wds = trials.map { log10(Double($0.weightDecay)) }
        let xr = (min(lrs.min() ?? -6, -6), max(lrs.max() ?? -2, -2))
        let yr = (min(wds.min() ?? -8, -8), max(wds.max() ?? -4, -4))
        var canvas = DotCanvas(columns: plot.width, rows: plot.height, glyphs: glyphs)
        let best = Self.leaderboard(trials).first?.id
        for (t, (lx, ly)) in zip(trials, zip(lrs, wds)) {
            let px = Int(((lx - xr.0) / (xr.1 - xr.0) * Double(canvas.width - 1)).rounded())
            let py = Int(((yr.1 - ly) / (yr.1 - yr.0) * Double(canvas.height - 1)).rounded())
            let color = t.validationAccuracy.isEmpty ? Color.palette(244) : Self.accuracyColor(t.finalValidation)
            canvas.set(
                px, py, style: Style(foreground: color, bold: t.id == best), priority: Int(t.finalValidation * 100))
        }
        canvas.render(into: &buffer, x: plot.x, y: plot.y)
        buffer.put(LineChart.label(yr.1), x: rect.x, y: plot.y, style: .dim, maxWidth: 6)
        buffer.put(LineChart.label(yr.0), x: rect.x, y: plot.maxY - 1, style: .dim, maxWidth: 6)
        let axis = "lr 10^\(LineChart.label(xr.0)) … 10^\(LineChart.label(xr.1))"
        buffer.put(axis, x: plot.x, y: plot.maxY, style: .dim, maxWidth: plot.width)
    }
}
