import Testing
@testable import TUI

/// Lines on the dot canvas: clipped to the canvas, whatever their endpoints.
@Suite struct DotCanvasTests {
    @Test func aLineFarOutsideIsClippedNotWalked() {
        var canvas = DotCanvas(columns: 10, rows: 5, glyphs: .braille)  // 20 × 20 dots
        // A diverging optimizer path: billions of dots away. Walking it dot by dot took minutes.
        canvas.line(from: (5, 5), to: (3_000_000_000, 5), style: .plain)
        #expect(canvas.isSet(column: 0, row: 1) == false)
        #expect(canvas.isSet(column: 2, row: 1) && canvas.isSet(column: 9, row: 1), "the visible part is drawn to the edge")
        canvas.line(from: (-4_000_000_000, -4_000_000_000), to: (-3, -7), style: .plain)  // wholly outside
    }

    static func pts(_ c: ((x: Int, y: Int), (x: Int, y: Int))?) -> [Int]? {
        c.map { [$0.0.x, $0.0.y, $0.1.x, $0.1.y] }
    }

    @Test func clippingByHand() {
        // From (−10, 5) to (30, 5) on 20 × 10 dots: x from 0 to 19 at y 5.
        #expect(Self.pts(DotCanvas.clip((-10, 5), (30, 5), width: 20, height: 10)) == [0, 5, 19, 5])
        // The diagonal (−5, −5) → (25, 25) enters at (0, 0) and leaves at (9, 9) on 20 × 10.
        #expect(Self.pts(DotCanvas.clip((-5, -5), (25, 25), width: 20, height: 10)) == [0, 0, 9, 9])
        #expect(Self.pts(DotCanvas.clip((-5, 0), (-1, 9), width: 20, height: 10)) == nil)
        // Inside: unchanged.
        #expect(Self.pts(DotCanvas.clip((2, 3), (7, 8), width: 20, height: 10)) == [2, 3, 7, 8])
    }
}
