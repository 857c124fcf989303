import Foundation

/// A point of a chart series.
public struct ChartPoint: Equatable, Sendable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// One line of a chart.
public struct ChartSeries: Sendable {
    public var name: String
    public var points: [ChartPoint]
    public var color: Color?
    /// EMA weight of the smoothed line, 0…<1. With 0 the raw line is drawn bold; otherwise the raw
    /// points are drawn faint, as a per-column min/max envelope (spikes stay visible), and the
    /// debiased EMA bold on top.
    public var smoothing: Double
    /// With smoothing, whether the faint raw envelope is drawn too (off where several smoothed
    /// series share a chart and envelopes would bury each other).
    public var showsRaw = true

    public init(name: String, points: [ChartPoint], color: Color? = nil, smoothing: Double = 0) {
        self.name = name
        self.points = points
        self.color = color
        self.smoothing = smoothing
    }
}

/// A labelled vertical line on a chart, e.g. where the user switched optimizer.
public struct ChartMarker: Equatable, Sendable {
    public var x: Double
    public var label: String
    public init(x: Double, label: String) {
        self.x = x
        self.label = label
    }
}

/// A line chart with a title, a legend, y labels on the left, x range below, and markers.
/// NaN and infinite values are skipped; an empty chart says "no data".
public struct LineChart {
    public var title: String
    public var series: [ChartSeries]
    public var markers: [ChartMarker] = []
    public var glyphs: GlyphSet = .braille
    /// Plot log10(y) (non-positive values skipped).
    public var logY = false
    /// A fixed y range (e.g. 0…1 for accuracy); nil: fitted to the data.
    public var yRange: ClosedRange<Double>?
    /// Text after the x range, e.g. "step".
    public var xUnit = ""
    /// The series names in the title row (off for small multiples that share one legend).
    public var showsLegend = true

    public init(title: String, series: [ChartSeries]) {
        self.title = title
        self.series = series
    }

    /// Debiased exponential moving average (as TensorBoard's smoothing): s = w·s + (1−w)·y,
    /// divided by 1 − wᵗ so the start is not pulled towards 0. Non-finite inputs are passed through
    /// and do not disturb the average.
    public static func smoothed(_ ys: [Double], weight w: Double) -> [Double] {
        guard w > 0 else { return ys }
        // wⁿ kept as a running product: one multiply per point instead of a pow (12,000-point
        // curves are smoothed on every frame).
        var s = 0.0
        var wn = 1.0
        return ys.map { y in
            guard y.isFinite else { return y }
            wn *= w
            s = w * s + (1 - w) * y
            return s / (1 - wn)
        }
    }

    /// Compact number for axis labels: at most ~6 characters.
    public static func label(_ v: Double) -> String {
        if v == 0 { return "0" }
        let a = abs(v)
        if a >= 10_000 || a < 0.001 {
            return String(format: "%.0e", v).replacingOccurrences(of: "e-0", with: "e-").replacingOccurrences(
                of: "e+0", with: "e")
        }
        if a >= 100 { return String(format: "%.0f", v) }
        var s = String(format: "%.3g", v)
        if s.contains("e") { s = String(format: "%.2f", v) }
        return s
    }

    public func render(in rect: Rect, into buffer: inout Buffer) {
        guard !rect.isEmpty else { return }
        buffer.fill(rect)
        buffer.put(title, in: rect, style: .bold)
        if showsLegend { renderLegend(in: rect, into: &buffer) }
        let plotRows = rect.height - 2
        guard plotRows >= 1 else { return }

        // Infinite values (a diverged loss: ½λΣW² overflows) are left out like NaN, also on a log scale.
        let transform: (Double) -> Double? =
            logY ? { $0 > 0 && $0.isFinite ? log10($0) : nil } : { $0.isFinite ? $0 : nil }
        var xs: [Double] = []
        var ys: [Double] = []
        for s in series {
            for p in s.points where p.x.isFinite {
                if let y = transform(p.y), y.isFinite {
                    xs.append(p.x)
                    ys.append(y)
                }
            }
        }
        guard let xMin0 = xs.min(), let xMax0 = xs.max(), var yMin = ys.min(), var yMax = ys.max() else {
            buffer.put("no data", in: rect, row: 1 + plotRows / 2, column: max(0, rect.width / 2 - 3), style: .dim)
            return
        }
        if let r = yRange {
            yMin = logY ? log10(max(r.lowerBound, 1e-12)) : r.lowerBound
            yMax = logY ? log10(max(r.upperBound, 1e-12)) : r.upperBound
        }
        if yMax - yMin < 1e-12 {
            let pad = max(abs(yMax) * 0.05, 0.5)
            yMin -= pad
            yMax += pad
        }
        var xMin = xMin0
        var xMax = xMax0
        if xMax - xMin < 1e-12 {
            xMin -= 0.5
            xMax += 0.5
        }

        // Y labels: top, middle, bottom.
        let shown: (Double) -> String = { LineChart.label(self.logY ? pow(10, $0) : $0) }
        let labels = [shown(yMax), shown((yMin + yMax) / 2), shown(yMin)]
        let gutter = min(labels.map(\.count).max()! + 1, max(0, rect.width - 3))
        let plot = Rect(x: rect.x + gutter + 1, y: rect.y + 1, width: rect.width - gutter - 1, height: plotRows)
        guard plot.width >= 1 else { return }
        for (i, row) in [0, plotRows / 2, plotRows - 1].enumerated() where i == 0 || row > 0 {
            if i == 1 && (row == 0 || row == plotRows - 1) { continue }
            let l = labels[i]
            buffer.put(
                String(repeating: " ", count: max(0, gutter - l.count)) + l, x: rect.x, y: plot.y + row, style: .dim,
                maxWidth: gutter)
        }
        for r in 0..<plotRows { buffer[plot.x - 1, plot.y + r] = Cell(glyphs.verticalLine, style: .dim) }
        // X range under the plot.
        let left = LineChart.label(xMin0)
        let right = LineChart.label(xMax0) + (xUnit.isEmpty ? "" : " " + xUnit)
        buffer.put(left, x: plot.x, y: rect.maxY - 1, style: .dim, maxWidth: plot.width)
        if right.count + left.count + 1 <= plot.width {
            buffer.put(right, x: plot.maxX - right.count, y: rect.maxY - 1, style: .dim)
        }

        var canvas = DotCanvas(columns: plot.width, rows: plot.height, glyphs: glyphs)
        let dotColumns = canvas.width
        let dotRows = canvas.height
        let toX: (Double) -> Int = { DotCanvas.dot(($0 - xMin) / (xMax - xMin) * Double(dotColumns - 1)) }
        let toY: (Double) -> Int = { DotCanvas.dot((yMax - $0) / (yMax - yMin) * Double(dotRows - 1)) }
        for s in series {
            let faint = Style(foreground: s.color, dim: true)
            let strong = Style(foreground: s.color, bold: true)
            var pts: [(Double, Double)] = []
            pts.reserveCapacity(s.points.count)
            for p in s.points where p.x.isFinite { if let y = transform(p.y) { pts.append((p.x, y)) } }
            if s.smoothing > 0 {
                if s.showsRaw { Self.drawColumns(pts, into: &canvas, toX: toX, toY: toY, style: faint, priority: 0) }
                let sm = LineChart.smoothed(s.points.filter { $0.x.isFinite }.map(\.y), weight: s.smoothing)
                var spts: [(Double, Double)] = []
                for (p, y) in zip(s.points.filter { $0.x.isFinite }, sm) {
                    if let ty = transform(y) { spts.append((p.x, ty)) }
                }
                Self.drawColumns(spts, into: &canvas, toX: toX, toY: toY, style: strong, priority: 1, envelope: false)
            } else {
                Self.drawColumns(pts, into: &canvas, toX: toX, toY: toY, style: strong, priority: 1)
            }
        }
        // Markers first as dotted lines in empty cells, so the curves stay on top.
        let (dx, _) = glyphs.dotsPerCell
        for m in markers where m.x >= xMin && m.x <= xMax {
            let col = toX(m.x) / dx
            for r in 0..<plot.height where !canvas.isSet(column: col, row: r) {
                buffer[plot.x + col, plot.y + r] = Cell(
                    glyphs.dottedVertical, style: Style(foreground: .yellow, dim: true))
            }
        }
        canvas.render(into: &buffer, x: plot.x, y: plot.y)
        // Labels on the top rows; one that would overlap an earlier label moves down a row.
        var occupied: [[Range<Int>]] = Array(repeating: [], count: min(3, plot.height))
        for m in markers where m.x >= xMin && m.x <= xMax {
            let col = toX(m.x) / dx
            let text = m.label
            let start = min(col, max(0, plot.width - text.count))
            let span = start..<(start + text.count + 1)
            guard let row = occupied.indices.first(where: { r in !occupied[r].contains { $0.overlaps(span) } }) else {
                continue
            }
            occupied[row].append(span)
            buffer.put(
                text, x: plot.x + start, y: plot.y + row, style: Style(foreground: .yellow, bold: true),
                maxWidth: plot.width - start)
        }
    }

    /// Draws points aggregated per dot column: a vertical min–max line in each column (the envelope)
    /// joined to the next column, or (envelope false) one mean value per column joined by lines.
    private static func drawColumns(
        _ pts: [(Double, Double)], into canvas: inout DotCanvas, toX: (Double) -> Int,
        toY: (Double) -> Int, style: Style, priority: Int, envelope: Bool = true
    ) {
        guard !pts.isEmpty else { return }
        struct Column {
            var x: Int
            var lo: Double
            var hi: Double
            var first: Double
            var last: Double
            var sum: Double
            var n: Int
        }
        var cols: [Column] = []
        for (x, y) in pts {
            let px = toX(x)
            if let c = cols.last, c.x == px {
                cols[cols.count - 1].lo = min(c.lo, y)
                cols[cols.count - 1].hi = max(c.hi, y)
                cols[cols.count - 1].last = y
                cols[cols.count - 1].sum += y
                cols[cols.count - 1].n += 1
            } else {
                cols.append(Column(x: px, lo: y, hi: y, first: y, last: y, sum: y, n: 1))
            }
        }
        var previous: (x: Int, y: Int)?
        for c in cols {
            if envelope {
                if let p = previous { canvas.line(from: p, to: (c.x, toY(c.first)), style: style, priority: priority) }
                canvas.line(from: (c.x, toY(c.lo)), to: (c.x, toY(c.hi)), style: style, priority: priority)
                previous = (c.x, toY(c.last))
            } else {
                let y = toY(c.sum / Double(c.n))
                if let p = previous {
                    canvas.line(from: p, to: (c.x, y), style: style, priority: priority)
                } else {
                    canvas.set(c.x, y, style: style, priority: priority)
                }
                previous = (c.x, y)
            }
        }
    }

    private func renderLegend(in rect: Rect, into buffer: inout Buffer) {
        guard series.count > 1 else { return }
        let mark: Character = glyphs == .ascii ? "*" : "●"
        let items = series.map { "\(mark) \($0.name)" }
        // Two spaces between entries, or one where that is what lets the legend fit: without it
        // curves told apart only by colour (train and test) cannot be told apart at all.
        for gap in [2, 1] {
            let total = items.reduce(0) { $0 + $1.count } + gap * (items.count - 1)
            guard title.count + 1 + total <= rect.width else { continue }
            var x = rect.maxX - total
            for (item, s) in zip(items, series) {
                buffer.put(String(mark), x: x, y: rect.y, style: Style(foreground: s.color, bold: true))
                buffer.put(String(item.dropFirst()), x: x + 1, y: rect.y)
                x += item.count + gap
            }
            return
        }
    }
}
