import Testing

@testable import TUI

@Suite struct BufferAndMathTests {
    @Test func writesAreClippedNeverTrap() {
        var b = Buffer(width: 4, height: 2)
        b.put("hello", x: 2, y: 1)
        b.put("x", x: -3, y: 0)
        b.put("y", x: 0, y: 7)
        b.fill(Rect(x: -5, y: -5, width: 100, height: 1))
        b.setStyle(.bold, in: Rect(x: 3, y: 0, width: 10, height: 10))
        #expect(b.text == "\n  he")
        #expect(b[3, 1].style.bold && !b[0, 1].style.bold)
        var empty = Buffer(width: 0, height: 0)
        empty.put("x", x: 0, y: 0)
        #expect(empty.text == "")
    }

    @Test func debiasedEMAByHand() {
        // w = 0.5: s₁ = 0.5·1 = 0.5 → /(1−0.5) = 1; s₂ = 0.25 + 0.5·3 = 1.75 → /(1−0.25) = 2.333…
        let s = LineChart.smoothed([1, 3, .nan, 3], weight: 0.5)
        #expect(s[0] == 1)
        #expect(abs(s[1] - 1.75 / 0.75) < 1e-12)
        #expect(s[2].isNaN)
        // s₃ = 0.875 + 1.5 = 2.375 → /(1−0.125) = 2.714…
        #expect(abs(s[3] - 2.375 / 0.875) < 1e-12)
        #expect(LineChart.smoothed([4, 5], weight: 0) == [4, 5])
    }

    @Test func axisLabelsStayShort() {
        #expect(LineChart.label(2.302585) == "2.3")
        #expect(LineChart.label(0.0421) == "0.0421")
        #expect(LineChart.label(60000) == "6e4")
        #expect(LineChart.label(0.00001) == "1e-5")
        #expect(LineChart.label(599) == "599")
        #expect([2.302585, 0.0421, 60000, 0.00001, 1234.5, -0.5].allSatisfy { LineChart.label($0).count <= 6 })
    }

    @Test func rectSplits() {
        let r = Rect(x: 0, y: 0, width: 10, height: 4)
        #expect(r.columns(3, gap: 1).map(\.width) == [3, 3, 2])
        #expect(r.columns(3, gap: 1).map(\.x) == [0, 4, 8])
        #expect(r.splitRows(at: 1).bottom == Rect(x: 0, y: 1, width: 10, height: 3))
        #expect(r.splitColumns(at: 20).right.isEmpty)
    }

    @Test func paletteColoursMapToTheNearestBasicOne() {
        #expect(Color.palette(196).basicIndex == 1)  // bright red
        #expect(Color.palette(46).basicIndex == 2)  // green
        #expect(Color.palette(21).basicIndex == 4)  // blue
        #expect(Color.palette(250).basicIndex == 7)  // light grey
        #expect(Color.palette(9).basicIndex == 1)
    }

    @Test func histogramResampling() {
        #expect(HistogramView.resample([1, 2, 3, 4], columns: 2) == [1.5, 3.5])
        #expect(
            HistogramView.resample([4, 4, 4], columns: 2) == [4, 4], "no comb: one- and two-bin columns stay level")
        #expect(HistogramView.resample([1, 2], columns: 4) == [1, 1, 2, 2])
        #expect(HistogramView.resample([], columns: 3) == [0, 0, 0])
        #expect(HistogramView.resample([5], columns: 0) == [])
    }

    /// Without title and caption the bars take every row: the tallest bin fills the height.
    @Test func histogramWithoutTextUsesTheWholeHeight() {
        var view = HistogramView(title: "t", bins: [1, 2], caption: "c")
        var framed = Buffer(width: 2, height: 3)
        view.render(in: framed.area, into: &framed)
        #expect(framed.line(0) == "t" && framed.line(2) == "c" && framed.line(1) == "▄█")
        view.showsTitle = false
        view.showsCaption = false
        var bare = Buffer(width: 2, height: 3)
        view.render(in: bare.area, into: &bare)
        #expect(bare.text == " █\n▄█\n██", "three rows of bars, the 1 half the 2")
        view.bins = [0, 0]
        var empty = Buffer(width: 8, height: 3)
        view.render(in: empty.area, into: &empty)
        #expect(empty.line(1).contains("no data"))
    }
}
