import Foundation
import Testing
@testable import TUI

/// Widgets rendered into an in-memory buffer and compared as text, edge cases included.
@Suite struct WidgetSnapshotTests {
    static let line = (0..<30).map { ChartPoint(x: Double($0), y: Double(30 - $0) / 10) }

    @Test func brailleLine() {
        var b = Buffer(width: 24, height: 6)
        do { LineChart(title: "loss", series: [ChartSeries(name: "l", points: Self.line)]).render(in: b.area, into: &b) }
        expectSnapshot(b, """
            loss
                3│⠑⠢⠤⣀
                 │    ⠉⠑⠢⢄⣀
             1.55│         ⠉⠒⠢⢄⣀
              0.1│              ⠉⠒⠤⢄
                  0               29
            """)
    }

    @Test func empty() {
        var b = Buffer(width: 20, height: 5)
        do { LineChart(title: "loss", series: [ChartSeries(name: "l", points: [])]).render(in: b.area, into: &b) }
        expectSnapshot(b, """
            loss

                   no data
            """)
    }

    @Test func onePoint() {
        var b = Buffer(width: 20, height: 5)
        do { LineChart(title: "loss", series: [ChartSeries(name: "l", points: [ChartPoint(x: 3, y: 1.5)])]).render(in: b.area, into: &b) }
        expectSnapshot(b, """
            loss
               2│
             1.5│       ⠠
               1│
                 3             3
            """)
    }

    @Test func allEqual() {
        var b = Buffer(width: 20, height: 5)
        do { LineChart(title: "loss", series: [ChartSeries(name: "l", points: (0..<10).map { ChartPoint(x: Double($0), y: 2) })]).render(in: b.area, into: &b) }
        expectSnapshot(b, """
            loss
             2.5│
               2│⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤
             1.5│
                 0             9
            """)
    }

    @Test func nan() {
        var b = Buffer(width: 20, height: 5)
        do { LineChart(title: "loss", series: [ChartSeries(name: "l", points: [ChartPoint(x: 0, y: 1), ChartPoint(x: 1, y: .nan), ChartPoint(x: 2, y: .infinity), ChartPoint(x: 3, y: 0)])]).render(in: b.area, into: &b) }
        expectSnapshot(b, """
            loss
               1│⠉⠒⠤⢄⣀
             0.5│     ⠉⠒⠢⠤⣀
               0│          ⠉⠑⠒⠤⣀
                 0             3
            """)
    }

    @Test func width1() {
        var b = Buffer(width: 1, height: 5)
        do { LineChart(title: "loss", series: [ChartSeries(name: "l", points: Self.line)]).render(in: b.area, into: &b) }
        expectSnapshot(b, """
            l
            """)
    }

    @Test func log() {
        var b = Buffer(width: 20, height: 6)
        do { var c = LineChart(title: "log", series: [ChartSeries(name: "l", points: [ChartPoint(x: 0, y: 100), ChartPoint(x: 1, y: 10), ChartPoint(x: 2, y: 1), ChartPoint(x: 3, y: 0)])]); c.logY = true; c.glyphs = .ascii; c.render(in: b.area, into: &b) }
        expectSnapshot(b, """
            log
             100|**
                |  ****
              10|      *****
               1|           ****
                 0             2
            """)
    }

    @Test func blocks() {
        var b = Buffer(width: 16, height: 5)
        do { var c = LineChart(title: "b", series: [ChartSeries(name: "l", points: Self.line)]); c.glyphs = .blocks; c.render(in: b.area, into: &b) }
        expectSnapshot(b, """
            b
                3│▀█▄
             1.55│   ▀▀▄▄
              0.1│       ▀█▄
                  0       29
            """)
    }

    @Test func hist() {
        var b = Buffer(width: 12, height: 5)
        do { HistogramView(title: "L1", bins: [0, 1, 2, 4, 8, 4, 2, 1], caption: "ok").render(in: b.area, into: &b) }
        expectSnapshot(b, """
            L1
                  ██
                 ▄██▄
              ▃▆▆████▆▆▃
            ok
            """)
    }

    @Test func histEmpty() {
        var b = Buffer(width: 12, height: 4)
        do { HistogramView(title: "L1", bins: [0, 0], caption: "").render(in: b.area, into: &b) }
        expectSnapshot(b, """
            L1

               no data
            """)
    }

    @Test func histAsciiMerge() {
        var b = Buffer(width: 4, height: 4)
        do { var h = HistogramView(title: "L", bins: [1, 1, 2, 2, 0, 0, 8, 8]); h.glyphs = .ascii; h.render(in: b.area, into: &b) }
        expectSnapshot(b, """
            L
               #
            .: #
            """)
    }

    @Test func panel() {
        var b = Buffer(width: 12, height: 4)
        do { let inner = Panel(title: "help").render(in: b.area, into: &b); b.put("hi", in: inner) }
        expectSnapshot(b, """
            ┌─ help ───┐
            │hi        │
            │          │
            └──────────┘
            """)
    }

}
