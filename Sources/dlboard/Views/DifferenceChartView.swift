import TUI

/// The focused run minus the first (`x`): its loss and accuracies less run 1's, at the steps
/// (epochs) both have; below 0 the focused run is lower.
struct DifferenceChartView {
    var state: DashboardState
    var glyphs: GlyphSet

    /// `a` minus `b` at the x values both have.
    static func difference(_ a: [ChartPoint], minus b: [ChartPoint]) -> [ChartPoint] {
        var base: [Double: Double] = [:]
        for p in b { base[p.x] = p.y }
        return a.compactMap { p in base[p.x].map { ChartPoint(x: p.x, y: p.y - $0) } }
    }

    func render(in rect: Rect, into buffer: inout Buffer) {
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
