import Foundation
import NN
import TUI

/// The dashboard of a single run, drawn into a buffer of the terminal's size.
///
/// Layout, top to bottom: a header line; the loss chart (left) beside the accuracy chart (right);
/// one activation histogram per hidden layer (or, with `L`, the layers view in place of all three:
/// `LayersView`); the status bar; the key hints. Larger terminals give
/// every part more rows and columns. Below `TooSmallScreen.minimumSize` it shows a one-line notice
/// instead.
struct PaneView {
    var state: PaneState
    var glyphs: GlyphSet
    /// False in a replay: the layers view's hint then names no keys.
    var steerable = true

    func render(width: Int, height: Int) -> Buffer {
        if let small = TooSmallScreen.buffer(width: width, height: height) { return small }
        var buffer = Buffer(width: width, height: height)
        HeaderBar.run(state, glyphs: glyphs).render(row: 0, width: width, into: &buffer)
        StatusBar(pane: state, glyphs: glyphs).render(row: height - 2, width: width, into: &buffer)
        HintsBar(items: KeyMap.hints).render(row: height - 1, width: width, into: &buffer)
        let middle = Rect(x: 0, y: 1, width: width, height: height - 3)
        if state.showsLayers {
            LayersView(pane: state, glyphs: glyphs, steerable: steerable).render(in: middle, into: &buffer)
        } else {
            let histogramRows = max(5, middle.height / 3)
            let (charts, histograms) = middle.splitRows(at: middle.height - histogramRows)
            let (lossArea, accuracyArea) = charts.splitColumns(at: charts.width * 3 / 5, gap: 2)
            LossChartView(pane: state, glyphs: glyphs).render(in: lossArea, into: &buffer)
            AccuracyChartView(pane: state, glyphs: glyphs).render(in: accuracyArea, into: &buffer)
            ActivationHistogramsView(activations: state.activations, glyphs: glyphs).render(
                in: histograms, into: &buffer)
        }
        PanePopupView(overlay: state.overlay, comparison: false, glyphs: glyphs).render(in: buffer.area, into: &buffer)
        if glyphs == .ascii { AsciiFallback.apply(to: &buffer) }
        return buffer
    }
}
