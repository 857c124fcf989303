import TUI

/// Small multiples of the watched trials' curves, best first, as many cells as fit (each at least
/// 20×6): the chosen metric in the trial's rank colour, and for an accuracy the train accuracy
/// faint beside it; accuracies on 0…1, anything else on its own range. A cell's title: rank, name,
/// the latest value.
struct WatchCurvesView {
    var board: WatchBoard
    var glyphs: GlyphSet

    static let cellWidth = 24
    static let cellHeight = 7

    func render(in rect: Rect, into buffer: inout Buffer) {
        guard rect.width >= 20, rect.height >= 6, !board.rows.isEmpty else { return }
        let perRow = max(1, rect.width / Self.cellWidth)
        let rowsFit = max(1, rect.height / Self.cellHeight)
        let count = min(board.rows.count, perRow * rowsFit)
        let rows = (count + perRow - 1) / perRow
        let width = rect.width / perRow
        let height = rect.height / rows
        let name = board.metric.name
        let trainName = EvalRecord.CodingKeys.trainAccuracy.stringValue
        let isAccuracy = name.lowercased().contains("acc")
        for (i, r) in board.rows.prefix(count).enumerated() {
            let cell = Rect(
                x: rect.x + (i % perRow) * width, y: rect.y + (i / perRow) * height, width: width - 1, height: height)
            var series = [
                ChartSeries(name: name, points: r.trial.curves[name] ?? [], color: board.color(of: i))
            ]
            if isAccuracy && name != trainName, let train = r.trial.curves[trainName] {
                series.append(ChartSeries(name: trainName, points: train, color: .palette(244)))
            }
            var chart = LineChart(title: "#\(i + 1) \(r.trial.shortName) \(WatchBoard.value(r.last))", series: series)
            chart.glyphs = glyphs
            if isAccuracy { chart.yRange = 0...1 }
            chart.showsLegend = false
            chart.render(in: cell, into: &buffer)
        }
    }
}
