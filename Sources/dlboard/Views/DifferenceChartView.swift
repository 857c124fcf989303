import TUI

/// The focused run minus the first (`x`): its loss and accuracies less run 1's, at the steps
/// (epochs, seconds: the x-axis) both have; below 0 the focused run is lower.
struct DifferenceChartView {
    var state: DashboardState
    var glyphs: GlyphSet

    /// `a` minus `b` at `a`'s x values within `b`'s span: where `b` has no point at that x (runs of
    /// other batch sizes on an epoch or seconds axis), `b` is interpolated between its neighbours.
    /// Both are in x order.
    static func difference(_ a: [ChartPoint], minus b: [ChartPoint]) -> [ChartPoint] {
        guard let first = b.first, let last = b.last else { return [] }
        var out: [ChartPoint] = []
        var k = 0
        for p in a where p.x >= first.x && p.x <= last.x {
            if b[k].x > p.x { k = 0 }
            while k + 1 < b.count && b[k + 1].x <= p.x { k += 1 }
            let lo = b[k]
            let y: Double
            if lo.x == p.x || k + 1 >= b.count {
                y = lo.y
            } else {
                let hi = b[k + 1]
                y = lo.y + (p.x - lo.x) / (hi.x - lo.x) * (hi.y - lo.y)
            }
            out.append(ChartPoint(x: p.x, y: p.y - y))
        }
        return out
    }

    func render(in rect: Rect, into buffer: inout Buffer) {
        guard state.focus > 0, let first = state.panes.first?.state, let focused = state.focused else {
            buffer.put(
                "difference view: tab to a pane other than 1 (x shows the focused run minus run 1)", in: rect, row: 1,
                style: .dim)
            return
        }
        let k = state.focus + 1
        let axis = focused.xAxis
        func losses(_ p: PaneState) -> [ChartPoint] { p.axisMap.fromSteps(p.losses, to: axis) }
        func accuracies(_ p: PaneState, _ points: [ChartPoint]) -> [ChartPoint] {
            p.axisMap.fromEpochs(points, to: axis)
        }
        let (lossArea, accuracyArea) = rect.splitColumns(at: rect.width * 3 / 5, gap: 2)
        var loss = LineChart(
            title: "loss \(k) − 1 (below 0: run \(k) lower)",
            series: [
                ChartSeries(
                    name: "\(k) − 1", points: Self.difference(losses(focused), minus: losses(first)),
                    color: DashboardState.color(state.focus), smoothing: max(focused.smoothing, 0.6))
            ])
        loss.markers = focused.axisMap.fromSteps(focused.markers, to: axis)
        loss.glyphs = glyphs
        loss.xUnit = axis.lossUnit
        loss.render(in: lossArea, into: &buffer)
        var series = [
            ChartSeries(
                name: "train",
                points: Self.difference(
                    accuracies(focused, focused.trainAccuracy), minus: accuracies(first, first.trainAccuracy)),
                color: .palette(34))
        ]
        let test = Self.difference(
            accuracies(focused, focused.testAccuracy), minus: accuracies(first, first.testAccuracy))
        if !test.isEmpty { series.append(ChartSeries(name: "test", points: test, color: .palette(208))) }
        var accuracy = LineChart(title: "accuracy \(k) − 1", series: series)
        accuracy.glyphs = glyphs
        accuracy.xUnit = axis.accuracyUnit
        accuracy.render(in: accuracyArea, into: &buffer)
    }
}
