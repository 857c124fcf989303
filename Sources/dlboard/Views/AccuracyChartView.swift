import Foundation
import TUI

/// A run's accuracies per epoch: train and test, and validation when the run holds part of the
/// training set back.
struct AccuracyChartView {
    var pane: PaneState
    var glyphs: GlyphSet

    func render(in rect: Rect, into buffer: inout Buffer) {
        var series = [
            ChartSeries(name: "train", points: pane.frozen?.train ?? pane.trainAccuracy, color: .palette(34)),
            ChartSeries(name: "test", points: pane.frozen?.test ?? pane.testAccuracy, color: .palette(208)),
        ]
        if !pane.validationAccuracy.isEmpty {
            series.append(ChartSeries(name: "val", points: pane.validationAccuracy, color: .palette(171)))
        }
        var title = "accuracy"
        if let t = (pane.frozen?.test ?? pane.testAccuracy).last { title += String(format: " %.4f", t.y) }
        var chart = LineChart(title: title, series: series)
        chart.glyphs = glyphs
        chart.xUnit = "epoch"
        chart.render(in: rect, into: &buffer)
    }
}
