import Foundation
import NN
import TUI

/// Grid vs random on screen: the grid's scatter beside the random search's, the knob that matters
/// across and the other up, each trial a dot coloured by its validation accuracy; under each, the
/// values of the knob that matters it tried (a mark per distinct value, coloured by the best
/// accuracy there) and its best five. The line above says what they show: how many distinct
/// values each tried, and the best validation accuracy of each.
struct GridVsRandomScreen: InteractiveScreen {
    let comparison: GridVsRandom
    var snapshot = RandomSearch.Snapshot()
    var lastPoll = 0.0
    var showsHelp = false
    var showsOverlay: Bool { showsHelp }
    /// Called with each polled snapshot on the main thread (the run record's writer).
    var record: ((RandomSearch.Snapshot) -> Void)?

    init(comparison: GridVsRandom) { self.comparison = comparison }

    var verdict: GridVsRandomVerdict {
        GridVsRandomVerdict(snapshot.trials, important: comparison.important, other: comparison.other)
    }

    static let keys: [(keys: String, help: String)] = [
        ("?", "this help"), ("Esc", "close this help"), ("q", "quit (asks first)"),
    ]

    mutating func handle(_ key: Key) -> Bool {
        if showsHelp {
            showsHelp = false
            return true
        }
        guard key == .character("?") else { return false }
        showsHelp = true
        return true
    }

    mutating func tick(now: Double) -> Bool {
        guard now - lastPoll >= 0.1 else { return false }
        lastPoll = now
        // The random search starts when the grid is done.
        comparison.advance()
        let s = comparison.search.snapshot()
        let changed =
            s.trials.map(\.validationAccuracy.count) != snapshot.trials.map(\.validationAccuracy.count)
            || s.running != snapshot.running || s.round != snapshot.round
        snapshot = s
        // Every poll, not only on a change: a trial's header is due as soon as it starts training.
        record?(s)
        return changed
    }

    func render(width: Int, height: Int, glyphs: GlyphSet) -> Buffer {
        if let small = TooSmallScreen.buffer(width: width, height: height) { return small }
        var buffer = Buffer(width: width, height: height)
        let c = comparison
        let sep = glyphs == .ascii ? " | " : " · "
        let data = c.search.dataset
        func progress(_ round: Int) -> String {
            let mine = snapshot.trials.filter { $0.round == round }
            return "\(GridVsRandom.searchName(round: round)) \(mine.filter(\.done).count)/\(c.budget) done"
        }
        buffer.put(
            "dlboard" + sep + "preset grid-vs-random" + sep + progress(GridVsRandom.gridRound) + sep
                + progress(GridVsRandom.randomRound) + sep
                + "\(data.train.count) train / \(data.validation?.count ?? 0) validation, test set never used",
            x: 0, y: 0, style: .bold, maxWidth: width)
        buffer.put(
            "\(c.important.knob.label) (matters) \(c.important.dimension.spec)" + sep
                + "\(c.other.knob.label) (barely matters) \(c.other.dimension.spec)" + sep
                + "\(c.budget) trials each, grid \(c.side)×\(c.side)" + sep
                + "\(c.search.base.epochs) epoch\(c.search.base.epochs == 1 ? "" : "s")",
            x: 0, y: 1, style: .dim, maxWidth: width)
        buffer.put(verdict.line, x: 0, y: 2, style: .bold, maxWidth: width)
        let area = Rect(x: 0, y: 3, width: width, height: height - 4)
        let (left, right) = area.splitColumns(at: (area.width - 3) / 2, gap: 3)
        for (round, rect) in [(GridVsRandom.gridRound, left), (GridVsRandom.randomRound, right)] {
            renderSearch(round, in: rect, into: &buffer, glyphs: glyphs)
        }
        HintsBar(items: [("?", "help"), ("q", "quit")]).render(row: height - 1, width: width, into: &buffer)
        if showsHelp {
            HelpPopup(title: "keys — any key closes", entries: Self.keys, keyWidth: 4, glyphs: glyphs).render(
                in: buffer.area, into: &buffer)
        }
        if glyphs == .ascii { AsciiFallback.apply(to: &buffer) }
        return buffer
    }

    /// One search: its scatter, the values of the knob that matters it tried, its best five.
    private func renderSearch(_ round: Int, in rect: Rect, into buffer: inout Buffer, glyphs: GlyphSet) {
        let c = comparison
        let trials = snapshot.trials.filter { $0.round == round }
        let board = RandomSearchScreen.leaderboard(trials)
        let listRows = rect.height >= 16 ? min(6, rect.height / 3) : 0
        let scatterHeight = rect.height - listRows - 1
        let name = round == GridVsRandom.gridRound ? "grid \(c.side)×\(c.side)" : "random, \(c.budget) draws"
        let scatter = Rect(x: rect.x, y: rect.y, width: rect.width, height: scatterHeight)
        SearchScatterView(
            trials: trials, x: c.important, y: c.other,
            title: "\(name): \(c.important.knob.label) × \(c.other.knob.label), colour = val acc",
            marker: glyphs == .ascii ? "o" : "●"
        ).render(in: scatter, into: &buffer, glyphs: glyphs)
        // A mark per distinct value of the knob that matters, where the scatter puts it.
        let rug = rect.y + scatterHeight
        let plotX = rect.x + SearchScatterView.gutter
        let plotWidth = rect.width - SearchScatterView.gutter
        let all = snapshot.trials.compactMap { SearchScatterView.coordinate($0, on: c.important) }
        let (lo, hi) = SearchScatterView.bounds(c.important, all)
        var bestAt: [Int: Double] = [:]
        var tried: [Int: Bool] = [:]
        for t in trials {
            guard let x = SearchScatterView.coordinate(t, on: c.important), plotWidth > 1 else { continue }
            let column = plotX + Int(((x - lo) / (hi - lo) * Double(plotWidth - 1)).rounded())
            tried[column] = true
            if !t.validationAccuracy.isEmpty { bestAt[column] = max(bestAt[column] ?? 0, t.finalValidation) }
        }
        let distinct = Set(trials.compactMap { $0.point[c.important.knob] }).count
        buffer.put(
            "\(distinct) \(c.important.knob.rawValue)", x: rect.x, y: rug, style: .bold,
            maxWidth: SearchScatterView.gutter - 1)
        for column in tried.keys.sorted() {
            let color = bestAt[column].map(RandomSearchScreen.accuracyColor) ?? .palette(244)
            buffer.put(glyphs == .ascii ? "|" : "┃", x: column, y: rug, style: Style(foreground: color))
        }
        guard listRows > 0 else { return }
        let list = Rect(x: rect.x, y: rug + 1, width: rect.width, height: listRows)
        SearchLeaderboardView(space: c.space, width: list.width, showsRound: false).render(
            board, in: list, into: &buffer)
    }
}
