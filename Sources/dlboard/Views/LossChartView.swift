import Foundation
import TUI

/// A run's loss over steps (or epochs, or seconds: `PaneState.xAxis`): the smoothed line bold, the raw envelope faint, a labelled marker for
/// every switch, the frozen curves while the view is frozen, and the E1 inset when it is on.
struct LossChartView {
    var pane: PaneState
    var glyphs: GlyphSet
    /// The line's colour: the dashboard's blue, or the pane's colour in a session of several runs.
    var color: Color = .palette(39)

    func render(in rect: Rect, into buffer: inout Buffer) {
        let losses = pane.axisMap.fromSteps(pane.frozen?.losses ?? pane.losses, to: pane.xAxis)
        let markers = pane.axisMap.fromSteps(pane.frozen?.markers ?? pane.markers, to: pane.xAxis)
        var title = pane.status?.config.lossRecording.chartTitle ?? "loss"
        if let last = losses.last { title += String(format: " %.4f", last.y) }
        if pane.smoothing > 0 { title += " (smoothing \(pane.smoothing))" }
        if pane.logY { title += " log" }
        var chart = LineChart(
            title: title, series: [ChartSeries(name: "loss", points: losses, color: color, smoothing: pane.smoothing)])
        chart.markers = markers
        chart.glyphs = glyphs
        chart.logY = pane.logY
        chart.xUnit = pane.xAxis.lossUnit
        chart.render(in: rect, into: &buffer)
        if pane.showsPathInset, let s = pane.status {
            PathInsetView(status: s, glyphs: glyphs).render(in: rect, into: &buffer)
        }
    }
}
