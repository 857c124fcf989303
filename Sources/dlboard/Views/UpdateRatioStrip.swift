import Foundation
import NN
import TUI

/// One layer's log10(update:data) over steps as a strip of dots: the reference band
/// (`LayerVerdict.updateRatioBand`) drawn faint behind it where the strip has rows for it, every
/// value coloured by where it falls (in the band green, above `LayerVerdict.tooHighLog10UpdateRatio`
/// red, anywhere else yellow), and the pane's switch markers as dotted lines at their steps, so a
/// switch is seen to change the ratios that follow it. Values beyond the strip's decades
/// (infinite ones too) are drawn at its edge; NaN ones — a step with no defined ratio (weights
/// without spread, a diverged step) — leave a gap: the line stops before them and starts again
/// after them.
struct UpdateRatioStrip {
    /// The decades a strip shows: the band −4…−2 in the middle third, one band-width either side.
    static let decades: ClosedRange<Double> = -6...0

    var points: [ChartPoint]
    /// The steps across the strip (shared by a pane's strips, so the markers line up).
    var steps: ClosedRange<Double>
    var markers: [ChartMarker]
    var glyphs: GlyphSet

    /// The colour of a log10(update:data) value: what the strip and the numbers beside it use.
    static func color(_ log10Ratio: Double) -> Color {
        if !(log10Ratio <= Double(LayerVerdict.tooHighLog10UpdateRatio)) { return .red }
        let band = LayerVerdict.updateRatioBand
        if Double(band.lowerBound) <= log10Ratio && log10Ratio <= Double(band.upperBound) { return .green }
        return .yellow
    }

    /// How the band is drawn, in the strips and in the legend naming it.
    static func bandGlyph(_ glyphs: GlyphSet) -> Character { glyphs == .ascii ? "." : "░" }
    static let bandStyle = Style(foreground: .green, dim: true)

    /// Worse colours win a shared cell: one red dot among green ones must show.
    private static func priority(_ c: Color) -> Int { c == .red ? 2 : (c == .yellow ? 1 : 0) }

    func render(in rect: Rect, into buffer: inout Buffer) {
        guard !rect.isEmpty else { return }
        buffer.fill(rect)
        var canvas = DotCanvas(columns: rect.width, rows: rect.height, glyphs: glyphs)
        let (dx, _) = glyphs.dotsPerCell
        let width = canvas.width
        let height = canvas.height
        let top = Self.decades.upperBound
        let span = Self.decades.upperBound - Self.decades.lowerBound
        let first = steps.lowerBound
        let length = steps.upperBound - steps.lowerBound
        func column(_ step: Double) -> Int {
            length > 0 ? DotCanvas.dot((step - first) / length * Double(width - 1)) : width - 1
        }
        func row(_ v: Double) -> Int {
            let clamped = min(max(v, Self.decades.lowerBound), top)
            return min(height - 1, max(0, Int((top - clamped) / span * Double(height))))
        }
        func value(ofRow r: Int) -> Double { top - (Double(r) + 0.5) / Double(height) * span }
        func clamp(_ v: Double) -> Double { min(max(v, Self.decades.lowerBound), top) }

        // Per dot column: the lowest and highest value, and the last, joined to the column before
        // so the strip reads as a line; each dot coloured by the value it stands for.
        var previous: (column: Int, last: Double)?
        var i = 0
        while i < points.count {
            let c = column(points[i].x)
            var lo = Double.infinity
            var hi = -Double.infinity
            var last = Double.nan
            var firstValue = Double.nan
            while i < points.count, column(points[i].x) == c {
                let y = points[i].y
                i += 1
                guard !y.isNaN else { continue }
                if firstValue.isNaN { firstValue = y }
                lo = min(lo, y)
                hi = max(hi, y)
                last = y
            }
            guard !last.isNaN else {
                previous = nil
                continue
            }
            var from = lo
            var to = hi
            if let p = previous {
                if p.column < c - 1 {
                    // Sparse samples (one every 50 steps, few yet): a straight line between them,
                    // each dot coloured by the value it passes.
                    let (a, b) = (clamp(p.last), clamp(firstValue))
                    for cc in (p.column + 1)..<c {
                        let v = a + (b - a) * Double(cc - p.column) / Double(c - p.column)
                        let color = Self.color(v)
                        canvas.set(
                            cc, row(v), style: Style(foreground: color, bold: true), priority: Self.priority(color))
                    }
                    from = min(from, clamp(firstValue))
                    to = max(to, clamp(firstValue))
                } else {
                    from = min(from, p.last)
                    to = max(to, p.last)
                }
            }
            for r in row(to)...row(from) {
                let v = min(max(value(ofRow: r), lo), hi)
                let color = Self.color(r == row(lo) ? lo : (r == row(hi) ? hi : v))
                canvas.set(c, r, style: Style(foreground: color, bold: true), priority: Self.priority(color))
            }
            previous = (c, last)
        }

        // The band behind, in cells whose middle lies in it (none in strips of one or two rows,
        // where the colours alone tell).
        let band = LayerVerdict.updateRatioBand
        let bandGlyph = Self.bandGlyph(glyphs)
        for r in 0..<rect.height {
            let middle = top - (Double(r) + 0.5) / Double(rect.height) * span
            guard Double(band.lowerBound) <= middle && middle <= Double(band.upperBound) else { continue }
            for c in 0..<rect.width where !canvas.isSet(column: c, row: r) {
                buffer[rect.x + c, rect.y + r] = Cell(bandGlyph, style: Self.bandStyle)
            }
        }
        let markerStyle = Style(foreground: .yellow, dim: true)
        for m in markers where steps.contains(m.x) {
            let c = column(m.x) / dx
            for r in 0..<rect.height where !canvas.isSet(column: c, row: r) {
                buffer[rect.x + c, rect.y + r] = Cell(glyphs.dottedVertical, style: markerStyle)
            }
        }
        canvas.render(into: &buffer, x: rect.x, y: rect.y)
        // A strip of one or two rows has a dot in nearly every cell: the marker goes over the dots
        // there, in the colour of the dot it covers, so the ratio's colour still shows.
        guard rect.height < 3 else { return }
        for m in markers where steps.contains(m.x) {
            let c = column(m.x) / dx
            for r in 0..<rect.height where canvas.isSet(column: c, row: r) {
                let dot = buffer[rect.x + c, rect.y + r].style
                buffer[rect.x + c, rect.y + r] = Cell(
                    glyphs.dottedVertical, style: Style(foreground: dot.foreground ?? .yellow, bold: true))
            }
        }
    }

    /// Where the marker labels go over a strip `width` cells wide: (column, label) pairs, the
    /// column relative to the strip's left edge and never before `leftLimit` (≤ 0: the label may
    /// reach left of the strip, over free space). Each label starts at its marker's line or, near
    /// the right edge or the next label, as far left as it needs to, but still reaching its line;
    /// labels do not overlap, and one with no room left is dropped whole (its dotted line still
    /// shows) — the newest are placed first.
    static func labelPlacements(
        markers: [ChartMarker], steps: ClosedRange<Double>, width: Int, glyphs: GlyphSet, leftLimit: Int = 0
    ) -> [(column: Int, label: String)] {
        var placed: [(column: Int, label: String)] = []
        var end = width
        for m in markers.reversed() where steps.contains(m.x) {
            let length = m.label.count
            let c = cellColumn(of: m.x, steps: steps, width: width, glyphs: glyphs)
            let start = min(c, end - length)
            guard start >= leftLimit, start + length >= c else { continue }
            placed.append((start, m.label))
            end = start - 1
        }
        return placed.reversed()
    }

    /// The cell column of `step` in a strip `width` cells wide (marker labels above the strips).
    static func cellColumn(of step: Double, steps: ClosedRange<Double>, width: Int, glyphs: GlyphSet) -> Int {
        let dots = width * glyphs.dotsPerCell.x
        let length = steps.upperBound - steps.lowerBound
        let dot = length > 0 ? DotCanvas.dot((step - steps.lowerBound) / length * Double(dots - 1)) : dots - 1
        return dot / glyphs.dotsPerCell.x
    }
}
