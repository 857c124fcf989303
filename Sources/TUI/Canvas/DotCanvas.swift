/// A dot grid over a rectangle of cells, drawn with braille, half blocks or ASCII (`GlyphSet`).
///
/// Each cell remembers the style of the highest-priority layer that put a dot in it, so a bold
/// smoothed line stays bold where it crosses a faint raw envelope.
public struct DotCanvas {
    public let glyphs: GlyphSet
    public let columns: Int
    public let rows: Int
    /// Dot resolution: `columns × dotsPerCell.x` by `rows × dotsPerCell.y`.
    public var width: Int { columns * glyphs.dotsPerCell.x }
    public var height: Int { rows * glyphs.dotsPerCell.y }

    private var bits: [UInt8]
    private var styles: [Style?]
    private var priorities: [Int]

    public init(columns: Int, rows: Int, glyphs: GlyphSet) {
        self.glyphs = glyphs
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        bits = Array(repeating: 0, count: self.columns * self.rows)
        styles = Array(repeating: nil, count: self.columns * self.rows)
        priorities = Array(repeating: Int.min, count: self.columns * self.rows)
    }

    /// Sets the dot at (`x`, `y`), y growing downwards; dots outside are ignored.
    public mutating func set(_ x: Int, _ y: Int, style: Style, priority: Int = 0) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let (dx, dy) = glyphs.dotsPerCell
        let cx = x / dx
        let cy = y / dy
        let i = cy * columns + cx
        let bit: UInt8
        switch glyphs {
        case .braille:
            // Braille dot numbering: left column 1,2,3,7 and right column 4,5,6,8.
            let table: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
            bit = table[x % 2][y % 4]
        case .blocks:
            bit = y % 2 == 0 ? 1 : 2
        case .ascii:
            bit = 1
        }
        bits[i] |= bit
        if priority >= priorities[i] {
            priorities[i] = priority
            styles[i] = style
        }
    }

    /// A straight line between two dots (Bresenham).
    public mutating func line(from a: (x: Int, y: Int), to b: (x: Int, y: Int), style: Style, priority: Int = 0) {
        // Clip to the canvas first (Liang–Barsky): a diverging path has endpoints billions of dots
        // away, and stepping through them all froze the screen.
        guard let (p, q) = Self.clip(a, b, width: width, height: height) else { return }
        var x0 = p.x
        var y0 = p.y
        let dx = abs(q.x - x0)
        let dy = -abs(q.y - y0)
        let sx = x0 < q.x ? 1 : -1
        let sy = y0 < q.y ? 1 : -1
        var err = dx + dy
        var guardCount = 0
        while guardCount <= dx - dy + 1 {
            set(x0, y0, style: style, priority: priority)
            if x0 == q.x && y0 == q.y { break }
            let e2 = 2 * err
            if e2 >= dy {
                err += dy
                x0 += sx
            }
            if e2 <= dx {
                err += dx
                y0 += sy
            }
            guardCount += 1
        }
    }

    /// A dot coordinate from a computed position: far-off positions (a huge or diverging value) are
    /// clamped well outside the canvas — lines to them are clipped — before `Int()`, which traps on
    /// overflow; a non-finite position gives 0 (callers leave such points out).
    public static func dot(_ v: Double) -> Int { v.isFinite ? Int(min(1e7, max(-1e7, v)).rounded()) : 0 }

    /// The part of the segment a–b inside [0, width) × [0, height), rounded to dots; nil if none.
    static func clip(_ a: (x: Int, y: Int), _ b: (x: Int, y: Int), width: Int, height: Int) -> (
        (x: Int, y: Int), (x: Int, y: Int)
    )? {
        let x0 = Double(a.x)
        let y0 = Double(a.y)
        let dx = Double(b.x) - x0
        let dy = Double(b.y) - y0
        var t0 = 0.0
        var t1 = 1.0
        // Each edge: p·t ≤ q keeps the point inside.
        for (p, q) in [(-dx, x0), (dx, Double(width - 1) - x0), (-dy, y0), (dy, Double(height - 1) - y0)] {
            if p == 0 {
                if q < 0 { return nil }
            } else {
                let r = q / p
                if p < 0 { t0 = max(t0, r) } else { t1 = min(t1, r) }
                if t0 > t1 { return nil }
            }
        }
        func point(_ t: Double) -> (x: Int, y: Int) {
            (
                min(width - 1, max(0, Int((x0 + t * dx).rounded()))),
                min(height - 1, max(0, Int((y0 + t * dy).rounded())))
            )
        }
        return (t0 == 0 ? a : point(t0), t1 == 1 ? b : point(t1))
    }

    /// Whether the cell at (`column`, `row`) has any dot.
    public func isSet(column: Int, row: Int) -> Bool { bits[row * columns + column] != 0 }

    /// Draws the dots into `buffer` with the top-left cell at (`x`, `y`); empty cells are left as they are.
    public func render(into buffer: inout Buffer, x: Int, y: Int) {
        for r in 0..<rows {
            for c in 0..<columns {
                let b = bits[r * columns + c]
                guard b != 0 else { continue }
                let ch: Character
                switch glyphs {
                case .braille: ch = Character(Unicode.Scalar(0x2800 + UInt32(b))!)
                case .blocks: ch = b == 3 ? "█" : (b == 1 ? "▀" : "▄")
                case .ascii: ch = "*"
                }
                buffer[x + c, y + r] = Cell(ch, style: styles[r * columns + c] ?? .plain)
            }
        }
    }
}
