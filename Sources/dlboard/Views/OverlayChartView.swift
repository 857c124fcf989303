import TUI

/// Every run on one loss chart (smoothed lines only, the focused run's markers) and one test
/// accuracy chart, in the runs' colours, with a legend naming each colour's run (`v`).
struct OverlayChartView {
    var state: DashboardState
    var glyphs: GlyphSet

    private var legendRows: Int { min(2, state.panes.count) }

    func render(in rect: Rect, into buffer: inout Buffer) {
        let (lossArea, accuracyArea) = rect.splitColumns(at: rect.width * 3 / 5, gap: 2)
        let smoothing = state.focused?.smoothing ?? 0
        let names = state.panes.indices.map { "\($0 + 1)" }
        let axis = state.focused?.xAxis ?? .steps
        var loss = LineChart(
            title: (state.focused?.status?.config.lossRecording.chartTitle ?? "loss") + ", all runs"
                + (smoothing > 0 ? " (smoothing \(smoothing))" : ""),
            series: state.panes.enumerated().map { i, p in
                var s = ChartSeries(
                    name: names[i], points: p.state.axisMap.fromSteps(p.state.losses, to: axis),
                    color: DashboardState.color(i),
                    smoothing: max(smoothing, 0.6))
                s.showsRaw = false
                return s
            })
        loss.markers = state.focused.map { $0.axisMap.fromSteps($0.markers, to: axis) } ?? []
        loss.glyphs = glyphs
        loss.logY = state.focused?.logY ?? false
        loss.xUnit = axis.lossUnit
        let lossRect = Rect(x: lossArea.x, y: lossArea.y, width: lossArea.width, height: lossArea.height - legendRows)
        loss.render(in: lossRect, into: &buffer)
        renderLegend(in: Rect(x: lossArea.x, y: lossRect.maxY, width: rect.width, height: legendRows), into: &buffer)
        var accuracy = LineChart(
            title: "test accuracy, all runs",
            series: state.panes.enumerated().map { i, p in
                ChartSeries(
                    name: names[i],
                    points: p.state.axisMap.fromEpochs(
                        p.state.testAccuracy.isEmpty ? p.state.validationAccuracy : p.state.testAccuracy, to: axis),
                    color: DashboardState.color(i))
            })
        accuracy.glyphs = glyphs
        accuracy.xUnit = axis.accuracyUnit
        accuracy.render(
            in: Rect(
                x: accuracyArea.x, y: accuracyArea.y, width: accuracyArea.width,
                height: accuracyArea.height - legendRows), into: &buffer)
    }

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
                glyphs != .ascii ? "━━ " : "-- ", x: cell.x, y: rect.y + row,
                style: Style(foreground: DashboardState.color(i), bold: true))
            buffer.put(title, x: cell.x + 3, y: rect.y + row, maxWidth: cell.width - 3)
        }
    }
}
