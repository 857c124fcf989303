/// A rectangle of terminal cells: `x`, `y` of the top-left corner, `width` columns, `height` rows.
public struct Rect: Equatable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }
    public var description: String { "(\(x),\(y) \(width)x\(height))" }

    /// The rectangle shrunk by `n` cells on every side.
    public func inset(by n: Int) -> Rect {
        Rect(x: x + n, y: y + n, width: width - 2 * n, height: height - 2 * n)
    }

    /// Splits into a left part of `width` columns (clamped) and the rest.
    public func splitColumns(at width: Int, gap: Int = 0) -> (left: Rect, right: Rect) {
        let w = min(max(0, width), self.width)
        return (
            Rect(x: x, y: y, width: w, height: height),
            Rect(x: x + w + gap, y: y, width: self.width - w - gap, height: height)
        )
    }

    /// Splits into a top part of `height` rows (clamped) and the rest.
    public func splitRows(at height: Int, gap: Int = 0) -> (top: Rect, bottom: Rect) {
        let h = min(max(0, height), self.height)
        return (
            Rect(x: x, y: y, width: width, height: h),
            Rect(x: x, y: y + h + gap, width: width, height: self.height - h - gap)
        )
    }

    /// `n` side-by-side columns of (nearly) equal width, separated by `gap` columns.
    public func columns(_ n: Int, gap: Int = 1) -> [Rect] {
        guard n > 0 else { return [] }
        let usable = width - gap * (n - 1)
        var result: [Rect] = []
        var cx = x
        for i in 0..<n {
            let w = usable / n + (i < usable % n ? 1 : 0)
            result.append(Rect(x: cx, y: y, width: w, height: height))
            cx += w + gap
        }
        return result
    }
}
