import NN
import TUI

/// A search's leaderboard on screen, best first, a column per knob of the space, each row coloured
/// by the trial's validation accuracy and marked `…` while it trains. It takes the widest layout
/// that fits: with the round, the train accuracy and the knobs' long names; then compact (short
/// names, one decimal fewer); then without the train accuracy; then without the last knobs.
struct SearchLeaderboardView {
    struct Column {
        var header: String
        var width: Int
        var value: (RandomSearch.Trial) -> String
        /// Counts (the rank, the round) to the right of their column, the rest to the left.
        var rightAligned = false
    }

    let columns: [Column]
    let gap: Int
    /// What the chosen layout needs.
    var width: Int { columns.reduce(0) { $0 + $1.width } + gap * max(0, columns.count - 1) + 2 }

    /// `showsRound`: a column for the trial's round (not when all of them share one).
    init(space: SearchSpace, width available: Int, showsRound: Bool = true) {
        func knobs(long: Bool) -> [Column] {
            space.axes.map { a in
                let precision = long ? 2 : 1
                let header = long ? a.knob.label : a.knob.rawValue
                return Column(
                    header: header, width: max(header.count, a.cellWidth(precision: precision)),
                    value: { a.cell($0.point[a.knob], precision: precision) })
            }
        }
        let rank = Column(header: "#", width: 2, value: { _ in "" }, rightAligned: true)
        let round = Column(header: "round", width: 5, value: { "\($0.round)" }, rightAligned: true)
        let val = Column(header: "val", width: 5, value: { String(format: "%.3f", $0.finalValidation) })
        let train = Column(header: "train", width: 5, value: { String(format: "%.3f", $0.trainAccuracy.last ?? 0) })
        var layouts: [([Column], Int)] = [
            ([rank] + (showsRound ? [round] : []) + [val, train] + knobs(long: true), 2),
            ([rank, val, train] + knobs(long: false), 1),
        ]
        var narrow = [rank, val] + knobs(long: false)
        while narrow.count > 2 {
            layouts.append((narrow, 1))
            narrow.removeLast()
        }
        layouts.append((narrow, 1))
        let fits = layouts.first { cols, gap in
            cols.reduce(0) { $0 + $1.width } + gap * (cols.count - 1) + 2 <= available
        }
        (columns, gap) = fits ?? layouts.last!
    }

    private func line(_ texts: [String]) -> String {
        zip(columns, texts).map { column, text in
            column.rightAligned
                ? String(repeating: " ", count: max(0, column.width - text.count)) + text
                : text.padding(toLength: column.width, withPad: " ", startingAt: 0)
        }.joined(separator: String(repeating: " ", count: gap))
    }

    func render(_ board: [RandomSearch.Trial], in rect: Rect, into buffer: inout Buffer) {
        buffer.put(line(columns.map(\.header)), in: rect, row: 0, style: .bold)
        for (i, t) in board.prefix(rect.height - 1).enumerated() {
            let texts = columns.enumerated().map { k, c in k == 0 ? "\(i + 1)" : c.value(t) }
            buffer.put(
                line(texts) + (t.done ? "" : " …"), in: rect, row: i + 1,
                style: Style(foreground: RandomSearchScreen.accuracyColor(t.finalValidation)))
        }
    }
}
