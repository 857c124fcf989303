import Foundation
import Testing

@testable import TUI

/// Widgets rendered into an in-memory buffer and compared as text, edge cases included.
@Suite struct WidgetSnapshotTests {
    static let line = (0..<30).map { ChartPoint(x: Double($0), y: Double(30 - $0) / 10) }

    @Test func brailleLine() {
        var b = Buffer(width: 24, height: 6)
        do {
            LineChart(title: "loss", series: [ChartSeries(name: "l", points: Self.line)]).render(in: b.area, into: &b)
        }
        expectSnapshot(
            b,
            """
            loss
                3│⠑⠢⠤⣀
                 │    ⠉⠑⠢⢄⣀
             1.55│         ⠉⠒⠢⢄⣀
              0.1│              ⠉⠒⠤⢄
                  0               29
            -- styles --
            aaaa
            bbbbbbaaaa
                 b    aaaaa
            bbbbbb         aaaaa
            bbbbbb              aaaa
                  b               bb
            -- legend --
            a bold
            b dim
            """)
    }

    @Test func empty() {
        var b = Buffer(width: 20, height: 5)
        do { LineChart(title: "loss", series: [ChartSeries(name: "l", points: [])]).render(in: b.area, into: &b) }
        expectSnapshot(
            b,
            """
            loss

                   no data


            -- styles --
            aaaa

                   bbbbbbb


            -- legend --
            a bold
            b dim
            """)
    }

    @Test func onePoint() {
        var b = Buffer(width: 20, height: 5)
        do {
            LineChart(title: "loss", series: [ChartSeries(name: "l", points: [ChartPoint(x: 3, y: 1.5)])]).render(
                in: b.area, into: &b)
        }
        expectSnapshot(
            b,
            """
            loss
               2│
             1.5│       ⠠
               1│
                 3             3
            -- styles --
            aaaa
            bbbbb
            bbbbb       a
            bbbbb
                 b             b
            -- legend --
            a bold
            b dim
            """)
    }

    @Test func allEqual() {
        var b = Buffer(width: 20, height: 5)
        do {
            LineChart(
                title: "loss",
                series: [ChartSeries(name: "l", points: (0..<10).map { ChartPoint(x: Double($0), y: 2) })]
            ).render(in: b.area, into: &b)
        }
        expectSnapshot(
            b,
            """
            loss
             2.5│
               2│⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤
             1.5│
                 0             9
            -- styles --
            aaaa
            bbbbb
            bbbbbaaaaaaaaaaaaaaa
            bbbbb
                 b             b
            -- legend --
            a bold
            b dim
            """)
    }

    @Test func nan() {
        var b = Buffer(width: 20, height: 5)
        do {
            LineChart(
                title: "loss",
                series: [
                    ChartSeries(
                        name: "l",
                        points: [
                            ChartPoint(x: 0, y: 1), ChartPoint(x: 1, y: .nan), ChartPoint(x: 2, y: .infinity),
                            ChartPoint(x: 3, y: 0),
                        ])
                ]
            ).render(in: b.area, into: &b)
        }
        expectSnapshot(
            b,
            """
            loss
               1│⠉⠒⠤⢄⣀
             0.5│     ⠉⠒⠢⠤⣀
               0│          ⠉⠑⠒⠤⣀
                 0             3
            -- styles --
            aaaa
            bbbbbaaaaa
            bbbbb     aaaaa
            bbbbb          aaaaa
                 b             b
            -- legend --
            a bold
            b dim
            """)
    }

    @Test func width1() {
        var b = Buffer(width: 1, height: 5)
        do {
            LineChart(title: "loss", series: [ChartSeries(name: "l", points: Self.line)]).render(in: b.area, into: &b)
        }
        expectSnapshot(
            b,
            """
            l




            -- styles --
            a




            -- legend --
            a bold
            """)
    }

    @Test func log() {
        var b = Buffer(width: 20, height: 6)
        do {
            var c = LineChart(
                title: "log",
                series: [
                    ChartSeries(
                        name: "l",
                        points: [
                            ChartPoint(x: 0, y: 100), ChartPoint(x: 1, y: 10), ChartPoint(x: 2, y: 1),
                            ChartPoint(x: 3, y: 0),
                        ])
                ])
            c.logY = true
            c.glyphs = .ascii
            c.render(in: b.area, into: &b)
        }
        expectSnapshot(
            b,
            """
            log
             100|**
                |  ****
              10|      *****
               1|           ****
                 0             2
            -- styles --
            aaa
            bbbbbaa
                b  aaaa
            bbbbb      aaaaa
            bbbbb           aaaa
                 b             b
            -- legend --
            a bold
            b dim
            """)
    }

    @Test func blocks() {
        var b = Buffer(width: 16, height: 5)
        do {
            var c = LineChart(title: "b", series: [ChartSeries(name: "l", points: Self.line)])
            c.glyphs = .blocks
            c.render(in: b.area, into: &b)
        }
        expectSnapshot(
            b,
            """
            b
                3│▀█▄
             1.55│   ▀▀▄▄
              0.1│       ▀█▄
                  0       29
            -- styles --
            a
            bbbbbbaaa
            bbbbbb   aaaa
            bbbbbb       aaa
                  b       bb
            -- legend --
            a bold
            b dim
            """)
    }

    @Test func hist() {
        var b = Buffer(width: 12, height: 5)
        do { HistogramView(title: "L1", bins: [0, 1, 2, 4, 8, 4, 2, 1], caption: "ok").render(in: b.area, into: &b) }
        expectSnapshot(
            b,
            """
            L1
                  ██
                 ▄██▄
              ▃▆▆████▆▆▃
            ok
            -- styles --
            aa



            bb
            -- legend --
            a bold
            b dim
            """)
    }

    @Test func histEmpty() {
        var b = Buffer(width: 12, height: 4)
        do { HistogramView(title: "L1", bins: [0, 0], caption: "").render(in: b.area, into: &b) }
        expectSnapshot(
            b,
            """
            L1

               no data

            -- styles --
            aa

               bbbbbbb

            -- legend --
            a bold
            b dim
            """)
    }

    @Test func histAsciiMerge() {
        var b = Buffer(width: 4, height: 4)
        do {
            var h = HistogramView(title: "L", bins: [1, 1, 2, 2, 0, 0, 8, 8])
            h.glyphs = .ascii
            h.render(in: b.area, into: &b)
        }
        expectSnapshot(
            b,
            """
            L
               #
            .: #

            -- styles --
            a



            -- legend --
            a bold
            """)
    }

    @Test func panel() {
        var b = Buffer(width: 12, height: 4)
        do {
            let inner = Panel(title: "help").render(in: b.area, into: &b)
            b.put("hi", in: inner)
        }
        expectSnapshot(
            b,
            """
            ┌─ help ───┐
            │hi        │
            │          │
            └──────────┘
            -- styles --
              aaaaaa



            -- legend --
            a bold
            """)
    }
    /// Each series is drawn in its colour, its legend dot too; markers are yellow.
    @Test func colouredSeriesLegendAndMarker() {
        var b = Buffer(width: 30, height: 6)
        do {
            let train = (0..<10).map { ChartPoint(x: Double($0), y: 0.5 + 0.04 * Double($0)) }
            let test = (0..<10).map { ChartPoint(x: Double($0), y: 0.45 + 0.03 * Double($0)) }
            var c = LineChart(
                title: "acc",
                series: [
                    ChartSeries(name: "train", points: train, color: .palette(34)),
                    ChartSeries(name: "test", points: test, color: .palette(208)),
                ])
            c.markers = [ChartMarker(x: 5, label: "+BN")]
            c.render(in: b.area, into: &b)
        }
        expectSnapshot(
            b,
            """
            acc            ● train  ● test
              0.86│            +BN ⢀⣀⡠⠔⠒⠊⠉
                  │         ⢀⣀⡠⠤⠔⠊⠉⢁⣀⣀⠤⠤⠔⠒
             0.655│   ⢀⡠⠤⠔⠒⠊⣁⣀⡠⠤⠔⠊⠉⠁
              0.45│⣒⡪⠭⠥⠒⠒⠊⠉⠉   ┊
                   0                     9
            -- styles --
            aaa            b        c
            ddddddd            eee bbbbbbb
                  d         bbbbbbbccccccc
            ddddddd   bbbbbbcccccccc
            dddddddccccccccc   f
                   d                     d
            -- legend --
            a bold
            b p34 bold
            c p208 bold
            d dim
            e yellow bold
            f yellow dim
            """)
        // What a reader of the chart relies on: each legend dot has its curve's colour.
        let row = Array(b.line(0))
        let trainDot = row.firstIndex(of: "●")!
        let testDot = row.lastIndex(of: "●")!
        #expect(b[trainDot, 0].style.foreground == .palette(34) && b[testDot, 0].style.foreground == .palette(208))
        let curveColours = Set(
            b.cells.filter { ("\u{2801}"..."\u{28FF}").contains($0.character) }.compactMap(\.style.foreground))
        #expect(curveColours == [.palette(34), .palette(208)])
    }

    /// A smoothed series: a faint envelope and a bold line, both in the series' colour.
    @Test func smoothedSeriesKeepsItsColour() {
        var b = Buffer(width: 20, height: 5)
        do {
            let noisy = (0..<40).map { ChartPoint(x: Double($0), y: 2 - Double($0) / 20 + ($0 % 2 == 0 ? 0.3 : -0.3)) }
            LineChart(
                title: "loss", series: [ChartSeries(name: "l", points: noisy, color: .palette(39), smoothing: 0.9)]
            ).render(in: b.area, into: &b)
        }
        expectSnapshot(
            b,
            """
            loss
               2.3│⢻⣴⣦⣄⣀⡀
              1.02│ ⠈⠁⠛⠋⠿⣿⢷⣲⣤⢄⣀
             -0.25│       ⠈⠉⠘⠻⠟⣯
                   0          39
            -- styles --
            aaaa
            bbbbbbbcccccc
            bbbbbbb ddddccccccc
            bbbbbbb       dddddc
                   b          bb
            -- legend --
            a bold
            b dim
            c p39 bold
            d p39 dim
            """)
    }

    @Test func histogramInItsColour() {
        var b = Buffer(width: 8, height: 4)
        do {
            var h = HistogramView(title: "1 dead", bins: [0, 1, 3, 1], caption: "0:99%", color: .red)
            h.titleStyle = Style(foreground: .red, bold: true)
            h.render(in: b.area, into: &b)
        }
        expectSnapshot(
            b,
            """
            1 dead
                ██
              ▅▅██▅▅
            0:99%
            -- styles --
            aaaaaa
                bb
              bbbbbb
            ccccc
            -- legend --
            a red bold
            b red
            c dim
            """)
    }
}
