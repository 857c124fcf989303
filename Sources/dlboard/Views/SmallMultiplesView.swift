import Foundation
import TUI

/// More runs than fit as panes (a preset's grid, a replay of several records): one small accuracy
/// chart per group of `groupSize` runs (y 0…1), the group's members in colours a legend line names,
/// the cells laid out roughly 3:1 like small charts. The focused run's cell is marked.
struct SmallMultiplesView {
    var state: DashboardState
    var glyphs: GlyphSet

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

    func render(in rect: Rect, into buffer: inout Buffer) {
        let unicode = glyphs != .ascii
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
}
