import Foundation
import TUI

/// The watched trials as marks over the learning rate (across) and the weight decay (up), both on
/// log axes (decades), each mark in its rank's colour (`WatchBoard.color`), the best one bold.
/// A trial without a rate, or with no decay (0 has no logarithm), sits on the bottom row.
struct WatchScatterView {
    var board: WatchBoard
    var glyphs: GlyphSet

    static let gutter = 8

    func render(in rect: Rect, into buffer: inout Buffer) {
        guard rect.width >= Self.gutter + 6, rect.height >= 4 else { return }
        buffer.put("lr × wd (log), colour: rank by \(board.metric.name)", in: rect, row: 0, style: .bold)
        let plot = Rect(
            x: rect.x + Self.gutter, y: rect.y + 1, width: rect.width - Self.gutter, height: rect.height - 2)
        let placed = board.rows.enumerated().compactMap { i, r -> (Int, Double, Double?)? in
            guard let lr = r.trial.learningRate, lr > 0 else { return nil }
            return (i, log10(lr), r.trial.weightDecay.flatMap { $0 > 0 ? log10($0) : nil })
        }
        func span(_ values: [Double]) -> (Double, Double) {
            guard let lo = values.min(), let hi = values.max() else { return (-4, 0) }
            let a = (lo - 0.25).rounded(.down)
            let b = (hi + 0.25).rounded(.up)
            return a < b ? (a, b) : (a - 1, b + 1)
        }
        let xr = span(placed.map(\.1))
        let yr = span(placed.compactMap(\.2))
        // Worst first, so that where two share a cell the better one shows.
        for (i, x, y) in placed.reversed() {
            let col = Int(((x - xr.0) / (xr.1 - xr.0) * Double(plot.width - 1)).rounded())
            let row =
                y.map { Int(((yr.1 - $0) / (yr.1 - yr.0) * Double(plot.height - 1)).rounded()) } ?? plot.height - 1
            let mark = glyphs == .ascii ? "o" : "●"
            buffer.put(
                mark, x: plot.x + col, y: plot.y + row, style: Style(foreground: board.color(of: i), bold: i == 0))
        }
        let width = Self.gutter - 1
        buffer.put("10^" + LineChart.label(yr.1), x: rect.x, y: plot.y, style: .dim, maxWidth: width)
        buffer.put("wd", x: rect.x, y: plot.y + plot.height / 2, style: .dim, maxWidth: width)
        buffer.put("10^" + LineChart.label(yr.0), x: rect.x, y: plot.maxY - 1, style: .dim, maxWidth: width)
        let axis = "lr 10^\(LineChart.label(xr.0)) … 10^\(LineChart.label(xr.1))"
        buffer.put(axis, x: plot.x, y: plot.maxY, style: .dim, maxWidth: plot.width)
    }
}
