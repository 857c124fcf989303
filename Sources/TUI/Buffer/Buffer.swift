/// A grid of cells that widgets draw into. The screen shows a `Buffer`; tests compare its text.
///
/// Every write is clipped to the buffer, so a widget given a rectangle partly (or wholly) outside
/// never traps. All characters are assumed one column wide (ASCII, box drawing, blocks, braille).
public struct Buffer: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { contains(x, y) ? cells[y * width + x] : .blank }
        set { if contains(x, y) { cells[y * width + x] = newValue } }
    }

    public func contains(_ x: Int, _ y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    /// Writes `text` from (`x`, `y`) rightwards, at most `maxWidth` characters; returns the column
    /// after the last one written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        var cx = x
        let limit = maxWidth.map { x + max(0, $0) } ?? Int.max
        for ch in text {
            if cx >= limit { break }
            if ch == "\n" || ch == "\t" {
                self[cx, y] = Cell(" ", style: style)
            } else {
                self[cx, y] = Cell(ch, style: style)
            }
            cx += 1
        }
        return cx
    }

    /// Writes `text` inside `rect`'s row `row`, clipped to the rectangle.
    public mutating func put(_ text: String, in rect: Rect, row: Int = 0, column: Int = 0, style: Style = .plain) {
        guard row >= 0 && row < rect.height && column < rect.width else { return }
        put(text, x: rect.x + column, y: rect.y + row, style: style, maxWidth: rect.width - column)
    }

    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        let (xs, ys) = clipped(rect)
        for yy in ys { for xx in xs { cells[yy * width + xx] = cell } }
    }

    /// The column and row ranges of `rect` that lie inside the buffer (possibly empty).
    private func clipped(_ rect: Rect) -> (Range<Int>, Range<Int>) {
        let x0 = max(0, rect.x)
        let x1 = min(width, rect.maxX)
        let y0 = max(0, rect.y)
        let y1 = min(height, rect.maxY)
        return (x0..<max(x0, x1), y0..<max(y0, y1))
    }

    /// Changes the style of every cell in `rect`, keeping the characters.
    public mutating func setStyle(_ style: Style, in rect: Rect) {
        let (xs, ys) = clipped(rect)
        for yy in ys { for xx in xs { cells[yy * width + xx].style = style } }
    }

    /// One line of text per row, trailing spaces removed: what a snapshot test compares.
    public var text: String {
        (0..<height).map { line($0) }.joined(separator: "\n")
    }

    /// Row `y` as text, trailing spaces removed.
    public func line(_ y: Int) -> String {
        var s = String(cells[(y * width)..<((y + 1) * width)].map(\.character))
        while s.last == " " { s.removeLast() }
        return s
    }
}
