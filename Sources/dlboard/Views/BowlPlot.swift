import NN
import TUI

/// The bowl f(x, y) = x²/20 + y² of the book's optimizer-path experiment, as in its figure: a
/// contour over x ∈ [-10, 10], y ∈ [-5, 5], a path, and '+' at the minimum.
enum BowlPlot {
    static func draw(
        _ points: [(x: Float, y: Float)], color: Color, in chart: Rect, into buffer: inout Buffer, glyphs: GlyphSet
    ) {
        guard chart.width >= 4, chart.height >= 2 else { return }
        var canvas = DotCanvas(columns: chart.width, rows: chart.height, glyphs: glyphs)
        let dotColumns = canvas.width
        let dotRows = canvas.height
        // A diverging path leaves the bowl by orders of magnitude (clamped and clipped by the
        // canvas); NaN or infinity ends the path.
        func toX(_ x: Float) -> Int { DotCanvas.dot((Double(x) + 10) / 20 * Double(dotColumns - 1)) }
        func toY(_ y: Float) -> Int { DotCanvas.dot((5 - Double(y)) / 10 * Double(dotRows - 1)) }
        let points = Array(points.prefix { $0.x.isFinite && $0.y.isFinite })
        let levels: [Float] = [0.5, 2, 5]
        let contour = Style(dim: true)
        for py in 0..<dotRows {
            for px in 0..<dotColumns {
                let x = Float(px) / Float(dotColumns - 1) * 20 - 10
                let y = 5 - Float(py) / Float(dotRows - 1) * 10
                let x2 = Float(px + 1) / Float(dotColumns - 1) * 20 - 10
                let y2 = 5 - Float(py + 1) / Float(dotRows - 1) * 10
                let a = OptimizerPaths.f(x, y)
                let neighbours = [OptimizerPaths.f(x2, y), OptimizerPaths.f(x, y2)]
                // A level crossed between this dot and its right or lower neighbour.
                if levels.contains(where: { l in neighbours.contains { ($0 - l) * (a - l) <= 0 } }) {
                    canvas.set(px, py, style: contour, priority: 0)
                }
            }
        }
        let strong = Style(foreground: color, bold: true)
        for (a, b) in zip(points, points.dropFirst()) {
            canvas.line(from: (toX(a.x), toY(a.y)), to: (toX(b.x), toY(b.y)), style: strong, priority: 2)
        }
        if let last = points.last { canvas.set(toX(last.x), toY(last.y), style: strong, priority: 2) }
        canvas.render(into: &buffer, x: chart.x, y: chart.y)
        let (dx, dy) = glyphs.dotsPerCell
        buffer.put("+", x: chart.x + toX(0) / dx, y: chart.y + toY(0) / dy, style: .bold)
    }
}
