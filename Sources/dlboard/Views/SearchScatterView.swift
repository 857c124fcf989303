import Foundation
import NN
import TUI

/// A search's trials as dots over two of its numeric knobs, each dot coloured by the trial's
/// validation accuracy (grey until its first evaluation, the best one bold). Each axis is in its
/// knob's own scale (`SearchDimension.coordinate`): the exponent for a log knob, log10(1 − β) for a
/// one-minus-log one, the value otherwise; its bounds are the space's, widened to every dot. With
/// no second knob (`y` nil) the vertical axis is the validation accuracy itself.
struct SearchScatterView {
    var trials: [RandomSearch.Trial]
    var x: SearchSpace.Axis
    var y: SearchSpace.Axis?
    /// The heading; by default "lr × weight decay, colour = val acc".
    var title: String?
    /// Each trial as this character in its cell instead of one dot of a `DotCanvas`: a few trials
    /// (grid vs random's 16) read better as marks than as specks. Where two share a cell, the
    /// better one shows.
    var marker: Character?

    /// The left gutter: the vertical axis's labels and knob name.
    static let gutter = 8

    /// A trial's place on `axis`, nil when it has no value there (β of an SGD trial).
    static func coordinate(_ t: RandomSearch.Trial, on axis: SearchSpace.Axis) -> Double? {
        t.point[axis.knob].flatMap { axis.dimension.coordinate(of: $0) }
    }

    /// The axis's span: its bounds and every trial's value, never empty.
    static func bounds(_ axis: SearchSpace.Axis, _ values: [Double]) -> (Double, Double) {
        let b = axis.dimension.coordinateBounds
        let lo = min(b?.lowerBound ?? .infinity, values.min() ?? .infinity)
        let hi = max(b?.upperBound ?? -.infinity, values.max() ?? -.infinity)
        guard lo.isFinite, hi.isFinite else { return (0, 1) }
        return lo < hi ? (lo, hi) : (lo - 0.5, hi + 0.5)
    }

    /// An end of an axis as its knob's scale reads: `10^-4`, `1−10^-1`, `64`.
    static func label(_ v: Double, on axis: SearchSpace.Axis?) -> String {
        switch axis?.dimension {
        case .logUniform?: "10^" + LineChart.label(v)
        case .oneMinusLog?: "1−10^" + LineChart.label(v)
        default: LineChart.label(v)
        }
    }

    func render(in rect: Rect, into buffer: inout Buffer, glyphs: GlyphSet) {
        guard rect.width >= Self.gutter + 6, rect.height >= 4 else { return }
        let yName = y?.knob.label ?? "val acc"
        buffer.put(title ?? "\(x.knob.label) × \(yName), colour = val acc", in: rect, row: 0, style: .bold)
        let plot = Rect(
            x: rect.x + Self.gutter, y: rect.y + 1, width: rect.width - Self.gutter, height: rect.height - 2)
        let placed = trials.compactMap { t -> (RandomSearch.Trial, Double, Double)? in
            guard let cx = Self.coordinate(t, on: x) else { return nil }
            if let y {
                return Self.coordinate(t, on: y).map { (t, cx, $0) }
            }
            return t.validationAccuracy.isEmpty ? nil : (t, cx, t.finalValidation)
        }
        let xr = Self.bounds(x, placed.map(\.1))
        let yr = y.map { Self.bounds($0, placed.map(\.2)) } ?? (0, 1)
        let best = RandomSearchScreen.leaderboard(trials).first?.id
        func style(_ t: RandomSearch.Trial) -> Style {
            let color =
                t.validationAccuracy.isEmpty ? Color.palette(244) : RandomSearchScreen.accuracyColor(t.finalValidation)
            return Style(foreground: color, bold: t.id == best)
        }
        if let marker {
            var cells: [Int: (Double, Style)] = [:]
            for (t, cx, cy) in placed {
                let col = Int(((cx - xr.0) / (xr.1 - xr.0) * Double(plot.width - 1)).rounded())
                let row = Int(((yr.1 - cy) / (yr.1 - yr.0) * Double(plot.height - 1)).rounded())
                let key = row * plot.width + col
                let score = t.validationAccuracy.isEmpty ? -1 : t.finalValidation
                if score >= cells[key]?.0 ?? -.infinity { cells[key] = (score, style(t)) }
            }
            for (key, (_, st)) in cells {
                buffer.put(String(marker), x: plot.x + key % plot.width, y: plot.y + key / plot.width, style: st)
            }
        } else {
            var canvas = DotCanvas(columns: plot.width, rows: plot.height, glyphs: glyphs)
            for (t, cx, cy) in placed {
                let px = Int(((cx - xr.0) / (xr.1 - xr.0) * Double(canvas.width - 1)).rounded())
                let py = Int(((yr.1 - cy) / (yr.1 - yr.0) * Double(canvas.height - 1)).rounded())
                canvas.set(px, py, style: style(t), priority: Int(t.finalValidation * 100))
            }
            canvas.render(into: &buffer, x: plot.x, y: plot.y)
        }
        let width = Self.gutter - 1
        buffer.put(Self.label(yr.1, on: y), x: rect.x, y: plot.y, style: .dim, maxWidth: width)
        buffer.put(y?.knob.rawValue ?? "val", x: rect.x, y: plot.y + plot.height / 2, style: .dim, maxWidth: width)
        buffer.put(Self.label(yr.0, on: y), x: rect.x, y: plot.maxY - 1, style: .dim, maxWidth: width)
        let axis = "\(x.knob.label) \(Self.label(xr.0, on: x)) … \(Self.label(xr.1, on: x))"
        buffer.put(axis, x: plot.x, y: plot.maxY, style: .dim, maxWidth: plot.width)
    }
}
