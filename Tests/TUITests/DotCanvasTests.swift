import Testing

@testable import TUI

/// Lines on the dot canvas: clipped to the canvas, whatever their endpoints.
@Suite struct DotCanvasTests {
    @Test func aLineFarOutsideIsClippedNotWalked() {
        var canvas = DotCanvas(columns: 10, rows: 5, glyphs: .braille)  // 20 × 20 dots
        // A diverging optimizer path: billions of dots away. Walking it dot by dot took minutes.
        canvas.line(from: (5, 5), to: (3_000_000_000, 5), style: .plain)
        #expect(canvas.isSet(column: 0, row: 1) == false)
        #expect(
            canvas.isSet(column: 2, row: 1) && canvas.isSet(column: 9, row: 1), "the visible part is drawn to the edge")
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

/// Found by the key storm: a diverged loss is +inf (½λΣW² overflows) and on a log scale the chart
/// converted it to Int and trapped.
@Suite struct LineChartExtremeValueTests {
    @Test(arguments: [false, true])
    func infiniteAndHugeValuesDrawWithoutTrapping(logY: Bool) {
        let points = [
            ChartPoint(x: 1, y: 2.3), ChartPoint(x: 2, y: 1e300), ChartPoint(x: 3, y: .infinity),
            ChartPoint(x: 4, y: .nan), ChartPoint(x: 5, y: 0.5),
        ]
        var chart = LineChart(title: "loss", series: [ChartSeries(name: "l", points: points, smoothing: 0.9)])
        chart.logY = logY
        var b = Buffer(width: 40, height: 12)
        chart.render(in: b.area, into: &b)
        #expect(b.text.contains("loss"))
        // A fixed range with values far outside it.
        var accuracy = LineChart(
            title: "acc",
            series: [ChartSeries(name: "a", points: [ChartPoint(x: 0, y: -1e308), ChartPoint(x: 1, y: 0.5)])])
        accuracy.yRange = 0...1
        accuracy.render(in: b.area, into: &b)
    }
}
