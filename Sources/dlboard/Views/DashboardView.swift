import Foundation
import NN
import TUI

/// Draws a session: the plain dashboard for one run; for several, one pane per run (side by side,
/// or a 2×2 grid when columns would be too narrow), all runs overlaid on shared charts (`v`), or the
/// focused run minus the first (`x`). Header on top; the focused run's status bar and the key hints
/// at the bottom.
struct DashboardView {
    static let minimumSize = PaneView.minimumSize
    /// Narrower panes than this go into a grid.
    static let minimumPaneWidth = 38

    var state: DashboardState
    var glyphs: GlyphSet

    private var unicode: Bool { glyphs != .ascii }

    func render(width: Int, height: Int) -> Buffer {
        guard state.isComparison, let focused = state.focused else {
            var single = state.focused ?? PaneState(datasetName: state.datasetName)
            if let n = state.notice { single.notice = n }
            single.warning = state.warning
            single.banner = state.banner
            return PaneView(state: single, glyphs: glyphs).render(width: width, height: height)
        }
        var buffer = Buffer(width: width, height: height)
        guard width >= Self.minimumSize.width, height >= Self.minimumSize.height else {
            buffer.put(
                "terminal too small (\(width)×\(height)): dlboard needs \(Self.minimumSize.width)×\(Self.minimumSize.height) — q quits",
                x: 0, y: 0, style: .bold, maxWidth: width)
            return buffer
        }
        var focusedView = PaneView(state: focused, glyphs: glyphs, comparison: true)
        if let n = state.notice { focusedView.state.notice = n }
        focusedView.state.warning = state.warning
        renderHeader(into: &buffer, width: width)
        focusedView.renderStatus(into: &buffer, row: height - 2, width: width)
        focusedView.renderHints(into: &buffer, row: height - 1, width: width)
        let middle = Rect(x: 0, y: 1, width: width, height: height - 3)
        switch state.layout {
        case .panes where state.groupSize != nil || state.panes.count > DashboardState.sideBySide:
            renderSmallMultiples(in: middle, into: &buffer)
        case .panes: renderPanes(in: middle, into: &buffer)
        case .overlay: renderOverlay(in: middle, into: &buffer)
        case .difference: renderDifference(in: middle, into: &buffer)
        }
        focusedView.renderOverlay(in: buffer.area, into: &buffer)
        if glyphs == .ascii { PaneView.asciify(&buffer) }
        return buffer
    }

    // MARK: Header

    private func renderHeader(into buffer: inout Buffer, width: Int) {
        let sep = unicode ? " · " : " | "
        var left =
            "dlboard" + sep + (state.banner ?? (state.sessionName.isEmpty ? "compare" : state.sessionName)) + sep
            + state.datasetName
        if let c = state.panes.first?.state.status?.config {
            left += sep + "\(c.network.shapeDescription) \(c.network.activation.displayName)"
        }
        let view: String
        switch state.layout {
        case .panes:
            // A replay may hold runs of several sessions, which were not in lock-step.
            view = state.banner == nil ? "\(state.panes.count) runs in lock-step" : "\(state.panes.count) runs"
        case .overlay: view = "overlay view (v)"
        case .difference: view = "difference view (x): \(state.focus + 1) − 1"
        }
        var full = view + sep + "focus \(state.focus + 1)"
        if let s = state.focused?.status { full += sep + "step \(s.step)" }
        buffer.put(left, x: 0, y: 0, style: .bold, maxWidth: width)
        // The longest right-hand part that fits.
        if let right = [full, view].first(where: { left.count + $0.count + 2 <= width }) {
            buffer.put(right, x: width - right.count, y: 0)
        }
    }

    // MARK: Panes

    /// Where each pane goes: one row of columns if they are wide enough, else a grid of two columns.
    static func paneRects(count: Int, in rect: Rect, minimumWidth: Int = minimumPaneWidth) -> [Rect] {
        guard count > 0 else { return [] }
        if rect.width / count >= minimumWidth || count == 1 { return rect.columns(count, gap: 0) }
        let columns = 2
        let rows = (count + columns - 1) / columns
        let rowHeight = rect.height / rows
        var rects: [Rect] = []
        for r in 0..<rows {
            let band = Rect(
                x: rect.x, y: rect.y + r * rowHeight, width: rect.width,
                height: r == rows - 1 ? rect.height - r * rowHeight : rowHeight)
            let inRow = min(columns, count - r * columns)
            rects += band.columns(columns, gap: 0).prefix(inRow)
        }
        return rects
    }

    private func renderPanes(in rect: Rect, into buffer: inout Buffer) {
        let titles = state.titles
        for (i, area) in Self.paneRects(count: state.panes.count, in: rect).enumerated() {
            let focused = i == state.focus
            var panel = Panel(title: (focused ? (unicode ? "▸ " : "> ") : "") + titles[i])
            panel.glyphs = glyphs
            panel.style = focused ? Style(foreground: DashboardState.color(i), bold: true) : Style(dim: true)
            let inner = panel.render(in: area, into: &buffer)
            renderPane(state.panes[i].state, index: i, in: inner, into: &buffer)
        }
    }

    private func renderPane(_ pane: PaneState, index: Int, in rect: Rect, into buffer: inout Buffer) {
        guard rect.height >= 3, rect.width >= 10 else { return }
        buffer.put(Self.paneStatus(pane, unicode: unicode), in: rect, row: 0, style: .dim)
        let body = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        // Histograms need room; a short pane gets one line of per-layer verdicts instead.
        let histogramRows = body.height >= 26 ? max(5, body.height / 4) : (pane.activations.isEmpty ? 0 : 1)
        let charts = Rect(x: body.x, y: body.y, width: body.width, height: body.height - histogramRows)
        let lossRows = max(2, charts.height * 3 / 5)
        let (lossArea, accuracyArea) = charts.splitRows(at: lossRows)
        let view = PaneView(state: pane, glyphs: glyphs, comparison: true)
        view.renderLoss(in: lossArea, into: &buffer, color: DashboardState.color(index))
        if accuracyArea.height >= 2 { view.renderAccuracy(in: accuracyArea, into: &buffer) }
        if histogramRows == 1 {
            renderVerdicts(
                pane.activations, in: Rect(x: body.x, y: charts.maxY, width: body.width, height: 1), into: &buffer)
        } else if histogramRows > 0 {
            view.renderHistograms(
                in: Rect(x: body.x, y: charts.maxY, width: body.width, height: histogramRows), into: &buffer)
        }
    }

    /// "layers: 1 healthy 2 healthy 3 dead …", each verdict in its colour.
    private func renderVerdicts(_ stats: [ActivationStatistics], in rect: Rect, into buffer: inout Buffer) {
        var x = rect.x
        buffer.put("layers", x: x, y: rect.y, style: .dim)
        x += 7
        for (i, a) in stats.enumerated() {
            let word = a.verdict.rawValue
            let text = "\(i + 1) " + (rect.width < 40 + stats.count * 4 ? String(word.prefix(4)) : word)
            guard x + text.count <= rect.maxX else { break }
            buffer.put(text, x: x, y: rect.y, style: Style(foreground: PaneView.verdictColor(a.verdict)))
            x += text.count + 1
        }
    }

    /// One line under a pane's title: optimizer, lr, step, last loss and test accuracy, run state.
    static func paneStatus(_ pane: PaneState, unicode: Bool) -> String {
        guard let s = pane.status else { return "starting…" }
        var parts = ["step \(s.step)"]
        if s.lastLoss.isFinite { parts.append(String(format: "loss %.3f", s.lastLoss)) }
        if let t = pane.testAccuracy.last {
            parts.append(String(format: "test %.3f", t.y))
        } else if let v = pane.validationAccuracy.last {
            parts.append(String(format: "val %.3f", v.y))
        }
        if s.diverged {
            parts.append(unicode ? "✗ diverged" : "X diverged")
        } else if s.finished {
            parts.append(unicode ? "✓ done" : "+ done")
        } else if s.paused {
            parts.append(unicode ? "❚❚" : "||")
        }
        return parts.joined(separator: " ")
    }

    // MARK: Small multiples

    /// Runs `i..<i+groupSize` share a cell (the BatchNorm grid: BN and no BN at one init scale).
    var groups: [Range<Int>] {
        let g = max(1, state.groupSize ?? 1)
        return stride(from: 0, to: state.panes.count, by: g).map { $0..<min($0 + g, state.panes.count) }
    }

    /// The words all titles of a group share (its cell title), and what is left of each (legend).
    static func split(_ titles: [String]) -> (common: String, rest: [String]) {
        let words = titles.map { $0.split(separator: " ").map(String.init) }
        var common: [String] = []
        for (k, w) in (words.first ?? []).enumerated() where words.allSatisfy({ $0.count > k && $0[k] == w }) {
            common.append(w)
        }
        let rest = words.map { ws in ws.filter { !common.contains($0) }.joined(separator: " ") }
        return (common.joined(separator: " "), rest)
    }

    private func renderSmallMultiples(in rect: Rect, into buffer: inout Buffer) {
        let groups = self.groups
        let titles = state.runTitles
        // A legend line: which colour is which member of a group.
        let legend = Self.split(Array(titles[groups[0]])).rest
        var x = rect.x
        buffer.put("accuracy per cell (y 0…1):", x: x, y: rect.y, style: .dim)
        x += 28
        for (j, name) in legend.enumerated() where groups[0].count > 1 {
            buffer.put(
                (unicode ? "━━ " : "-- ") + name, x: x, y: rect.y,
                style: Style(foreground: DashboardState.color(j), bold: true))
            x += name.count + 5
        }
        let area = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        // Columns so that cells come out roughly 3:1 (width:height in cells), like small charts.
        var columns = max(1, Int(Double(groups.count).squareRoot().rounded(.up)))
        while columns < groups.count {
            let rows = (groups.count + columns - 1) / columns
            if Double(area.width / columns) / Double(max(1, area.height / rows)) <= 4 { break }
            columns += 1
        }
        let rows = (groups.count + columns - 1) / columns
        let cellHeight = area.height / rows
        let cellWidth = area.width / columns
        let focusGroup = groups.firstIndex { $0.contains(state.focus) } ?? 0
        for (k, group) in groups.enumerated() {
            let cell = Rect(
                x: area.x + (k % columns) * cellWidth, y: area.y + (k / columns) * cellHeight,
                width: cellWidth - 1, height: cellHeight)
            let (common, rest) = Self.split(Array(titles[group]))
            let focused = k == focusGroup
            var series: [ChartSeries] = []
            for (j, i) in group.enumerated() {
                let p = state.panes[i].state
                let points = p.testAccuracy.isEmpty ? p.trainAccuracy : p.testAccuracy
                series.append(ChartSeries(name: rest[j], points: points, color: DashboardState.color(j)))
            }
            let mark = focused ? (unicode ? "▸" : ">") : ""
            let last = group.compactMap { i in
                (state.panes[i].state.testAccuracy.last ?? state.panes[i].state.trainAccuracy.last).map {
                    String(format: "%.2f", $0.y)
                }
            }
            var chart = LineChart(
                title: mark + common + (last.isEmpty ? "" : " " + last.joined(separator: "/")), series: series)
            chart.glyphs = glyphs
            chart.yRange = 0...1
            chart.showsLegend = false
            chart.render(in: cell, into: &buffer)
        }
    }

    // MARK: Overlay and difference

    private func renderOverlay(in rect: Rect, into buffer: inout Buffer) {
        let (lossArea, accuracyArea) = rect.splitColumns(at: rect.width * 3 / 5, gap: 2)
        let smoothing = state.focused?.smoothing ?? 0
        let names = state.panes.indices.map { "\($0 + 1)" }
        var loss = LineChart(
            title: "loss, all runs" + (smoothing > 0 ? " (smoothing \(smoothing))" : ""),
            series: state.panes.enumerated().map { i, p in
                var s = ChartSeries(
                    name: names[i], points: p.state.losses, color: DashboardState.color(i),
                    smoothing: max(smoothing, 0.6))
                s.showsRaw = false
                return s
            })
        loss.markers = state.focused?.markers ?? []
        loss.glyphs = glyphs
        loss.logY = state.focused?.logY ?? false
        loss.xUnit = "step"
        let lossRect = Rect(x: lossArea.x, y: lossArea.y, width: lossArea.width, height: lossArea.height - legendRows)
        loss.render(in: lossRect, into: &buffer)
        renderLegend(in: Rect(x: lossArea.x, y: lossRect.maxY, width: rect.width, height: legendRows), into: &buffer)
        var accuracy = LineChart(
            title: "test accuracy, all runs",
            series: state.panes.enumerated().map { i, p in
                ChartSeries(
                    name: names[i],
                    points: p.state.testAccuracy.isEmpty ? p.state.validationAccuracy : p.state.testAccuracy,
                    color: DashboardState.color(i))
            })
        accuracy.glyphs = glyphs
        accuracy.xUnit = "epoch"
        accuracy.render(
            in: Rect(
                x: accuracyArea.x, y: accuracyArea.y, width: accuracyArea.width,
                height: accuracyArea.height - legendRows), into: &buffer)
    }

    private var legendRows: Int { min(2, state.panes.count) }

    /// Which colour is which run, with its title.
    private func renderLegend(in rect: Rect, into buffer: inout Buffer) {
        let titles = state.titles
        let perRow = max(1, (state.panes.count + rect.height - 1) / max(1, rect.height))
        let cells = rect.columns(perRow, gap: 1)
        for (i, title) in titles.enumerated() {
            let row = i / perRow
            let cell = cells[i % perRow]
            guard row < rect.height else { break }
            buffer.put(
                unicode ? "━━ " : "-- ", x: cell.x, y: rect.y + row,
                style: Style(foreground: DashboardState.color(i), bold: true))
            buffer.put(title, x: cell.x + 3, y: rect.y + row, maxWidth: cell.width - 3)
        }
    }

    /// The focused run's loss and accuracy minus the first run's, at the steps (epochs) both have.
    static func difference(_ a: [ChartPoint], minus b: [ChartPoint]) -> [ChartPoint] {
        var base: [Double: Double] = [:]
        for p in b { base[p.x] = p.y }
        return a.compactMap { p in base[p.x].map { ChartPoint(x: p.x, y: p.y - $0) } }
    }

    private func renderDifference(in rect: Rect, into buffer: inout Buffer) {
        guard state.focus > 0, let first = state.panes.first?.state, let focused = state.focused else {
            buffer.put(
                "difference view: tab to a pane other than 1 (x shows the focused run minus run 1)", in: rect, row: 1,
                style: .dim)
            return
        }
        let k = state.focus + 1
        let (lossArea, accuracyArea) = rect.splitColumns(at: rect.width * 3 / 5, gap: 2)
        var loss = LineChart(
            title: "loss \(k) − 1 (below 0: run \(k) lower)",
            series: [
                ChartSeries(
                    name: "\(k) − 1", points: Self.difference(focused.losses, minus: first.losses),
                    color: DashboardState.color(state.focus), smoothing: max(focused.smoothing, 0.6))
            ])
        loss.markers = focused.markers
        loss.glyphs = glyphs
        loss.xUnit = "step"
        loss.render(in: lossArea, into: &buffer)
        var series = [
            ChartSeries(
                name: "train", points: Self.difference(focused.trainAccuracy, minus: first.trainAccuracy),
                color: .palette(34))
        ]
        let test = Self.difference(focused.testAccuracy, minus: first.testAccuracy)
        if !test.isEmpty { series.append(ChartSeries(name: "test", points: test, color: .palette(208))) }
        var accuracy = LineChart(title: "accuracy \(k) − 1", series: series)
        accuracy.glyphs = glyphs
        accuracy.xUnit = "epoch"
        accuracy.render(in: accuracyArea, into: &buffer)
    }
}
