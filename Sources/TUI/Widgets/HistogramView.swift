/// Vertical bars of a histogram, scaled to its largest bin, with a title row above and a caption
/// row below (either may be left out, giving its row to the bars). Bins are merged or widened to
/// fit the columns.
public struct HistogramView {
    public var title: String
    public var bins: [Int]
    public var caption: String
    public var color: Color?
    public var titleStyle: Style = .bold
    public var captionStyle: Style = .dim
    public var glyphs: GlyphSet = .braille
    /// Whether the title and the caption take a row each; without, the bars take the whole height
    /// (small multiples where a row of text would leave a single row of bars).
    public var showsTitle = true
    public var showsCaption = true

    public init(title: String, bins: [Int], caption: String = "", color: Color? = nil) {
        self.title = title
        self.bins = bins
        self.caption = caption
        self.color = color
    }

    /// Column heights: each bin lands in exactly one column, and a column shows the *mean* of its
    /// bins — a sum would make columns holding two bins twice as tall as their neighbours.
    public static func resample(_ bins: [Int], columns: Int) -> [Double] {
        guard columns > 0, !bins.isEmpty else { return Array(repeating: 0, count: max(0, columns)) }
        var out = Array(repeating: 0.0, count: columns)
        if bins.count <= columns {
            for c in 0..<columns { out[c] = Double(bins[c * bins.count / columns]) }
        } else {
            var n = Array(repeating: 0, count: columns)
            for (i, v) in bins.enumerated() {
                out[i * columns / bins.count] += Double(v)
                n[i * columns / bins.count] += 1
            }
            for c in 0..<columns where n[c] > 0 { out[c] /= Double(n[c]) }
        }
        return out
    }

    public func render(in rect: Rect, into buffer: inout Buffer) {
        guard !rect.isEmpty else { return }
        buffer.fill(rect)
        if showsTitle { buffer.put(title, in: rect, style: titleStyle) }
        let top = showsTitle ? 1 : 0
        let barRows = rect.height - top - (showsCaption ? 1 : 0)
        if showsCaption && rect.height >= 2 {
            buffer.put(caption, in: rect, row: rect.height - 1, style: captionStyle)
        }
        guard barRows >= 1 else { return }
        let heights = Self.resample(bins, columns: rect.width)
        let largest = heights.max() ?? 0
        guard largest > 0 else {
            buffer.put("no data", in: rect, row: top + barRows / 2, column: max(0, rect.width / 2 - 3), style: .dim)
            return
        }
        let style = Style(foreground: color)
        for (c, h) in heights.enumerated() {
            // Any non-empty column shows at least one eighth, so a lone count is never invisible.
            var eighths = Int((h / largest * Double(barRows * 8)).rounded())
            if h > 0 { eighths = max(1, eighths) }
            for r in 0..<barRows {
                let fromBottom = barRows - 1 - r
                let e = min(8, max(0, eighths - fromBottom * 8))
                if e > 0 { buffer[rect.x + c, rect.y + top + r] = Cell(glyphs.bar(eighths: e), style: style) }
            }
        }
    }
}
