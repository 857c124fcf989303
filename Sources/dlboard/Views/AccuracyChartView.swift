import Foundation
import TUI

/// A run's accuracies per epoch (over epochs, or over seconds: `PaneState.xAxis`): train and test, and validation when the run holds part of the
/// training set back.
struct AccuracyChartView {
    var pane: PaneState
    var glyphs: GlyphSet

    func render(in rect: Rect, into buffer: inout Buffer) {
        let map = pane.axisMap
        let axis = pane.xAxis
        var series = [
            ChartSeries(
                name: "train", points: map.fromEpochs(pane.frozen?.train ?? pane.trainAccuracy, to: axis),
                color: .palette(34)),
            ChartSeries(
                name: "test", points: map.fromEpochs(pane.frozen?.test ?? pane.testAccuracy, to: axis),
                color: .palette(208)),
        ]
        if !pane.validationAccuracy.isEmpty {
            series.append(
                ChartSeries(
                    name: "val", points: map.fromEpochs(pane.validationAccuracy, to: axis), color: .palette(171)))
        }
        var title = "accuracy"
        if let t = (pane.frozen?.test ?? pane.testAccuracy).last { title += String(format: " %.4f", t.y) }
        var chart = LineChart(title: title, series: series)
        chart.glyphs = glyphs
        chart.xUnit = axis.accuracyUnit
        chart.render(in: rect, into: &buffer)
    }
}
