/// A bordered box with a title, cleared inside: the frame of overlays and popups.
public struct Panel {
    public var title: String
    public var glyphs: GlyphSet = .braille
    public var style: Style = .plain

    public init(title: String) { self.title = title }

    /// Draws the box and returns the area inside the border.
    @discardableResult
    public func render(in rect: Rect, into buffer: inout Buffer) -> Rect {
        guard rect.width >= 2 && rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        buffer.fill(rect)
        let (tl, tr, bl, br) = glyphs.corners
        let h = glyphs.horizontalLine
        let v = glyphs.verticalLine
        for x in (rect.x + 1)..<(rect.maxX - 1) {
            buffer[x, rect.y] = Cell(h, style: style)
            buffer[x, rect.maxY - 1] = Cell(h, style: style)
        }
        for y in (rect.y + 1)..<(rect.maxY - 1) {
            buffer[rect.x, y] = Cell(v, style: style)
            buffer[rect.maxX - 1, y] = Cell(v, style: style)
        }
        buffer[rect.x, rect.y] = Cell(tl, style: style)
        buffer[rect.maxX - 1, rect.y] = Cell(tr, style: style)
        buffer[rect.x, rect.maxY - 1] = Cell(bl, style: style)
        buffer[rect.maxX - 1, rect.maxY - 1] = Cell(br, style: style)
        if !title.isEmpty { buffer.put(" \(title) ", x: rect.x + 2, y: rect.y, style: .bold, maxWidth: rect.width - 4) }
        return rect.inset(by: 1)
    }

    /// A rectangle of `width`×`height` centred in `area` (clamped to it).
    public static func centered(width: Int, height: Int, in area: Rect) -> Rect {
        let w = min(width, area.width)
        let h = min(height, area.height)
        return Rect(x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h)
    }
}
