import Foundation
import NN
import TUI

/// One run inside a session of several: a one-line status, its loss chart in the run's colour, its
/// accuracy chart, and its activation histograms — or, when the pane is short, one line of
/// per-layer verdicts; with `L`, the compact layers view in their place.
struct PaneCellView {
    var pane: PaneState
    /// The run's position: its colour.
    var index: Int
    var glyphs: GlyphSet
    /// False in a replay: the layers view's hint then names no keys.
    var steerable = true

    func render(in rect: Rect, into buffer: inout Buffer) {
        guard rect.height >= 3, rect.width >= 10 else { return }
        buffer.put(Self.status(pane, unicode: glyphs != .ascii), in: rect, row: 0, style: .dim)
        let body = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        if pane.showsLayers {
            // The layers alone, no loss chart: four panes of it must draw within the frame budget.
            LayersView(pane: pane, glyphs: glyphs, compact: true, steerable: steerable).render(in: body, into: &buffer)
            return
        }
        // Histograms need room; a short pane gets one line of per-layer verdicts instead.
        let histogramRows = body.height >= 26 ? max(5, body.height / 4) : (pane.activations.isEmpty ? 0 : 1)
        let charts = Rect(x: body.x, y: body.y, width: body.width, height: body.height - histogramRows)
        let lossRows = max(2, charts.height * 3 / 5)
        let (lossArea, accuracyArea) = charts.splitRows(at: lossRows)
        LossChartView(pane: pane, glyphs: glyphs, color: DashboardState.color(index)).render(
            in: lossArea, into: &buffer)
        if accuracyArea.height >= 2 {
            AccuracyChartView(pane: pane, glyphs: glyphs).render(in: accuracyArea, into: &buffer)
        }
        let histograms = ActivationHistogramsView(activations: pane.activations, glyphs: glyphs)
        let below = Rect(x: body.x, y: charts.maxY, width: body.width, height: histogramRows)
        if histogramRows == 1 {
            histograms.renderVerdicts(in: below, into: &buffer)
        } else if histogramRows > 0 {
            histograms.render(in: below, into: &buffer)
        }
    }

    /// One line under a pane's title: step, last loss and test accuracy, run state.
    static func status(_ pane: PaneState, unicode: Bool) -> String {
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
}
