import Foundation
import NN
import TUI

/// Successive halving on screen: a status line (rungs done, epochs spent against a full search's,
/// the random search of the same budget and the regret once known), the rung ladder, and small
/// multiples of the trials' validation curves — a pruned trial's greyed with the rung that pruned
/// it, a kept-alive one marked. The search trains on its own queue; the screen polls snapshots.
struct SuccessiveHalvingScreen: InteractiveScreen {
    let search: SuccessiveHalvingSearch
    var snapshot: SuccessiveHalvingSearch.Snapshot
    var lastPoll = 0.0
    var showsHelp = false
    /// Whether the curves include the pruned trials that stopped (`p`).
    var showsPruned = true
    /// Whether the curves are the random search's trials instead of the ladder's (`r`).
    var showsRandom = false
    var showsOverlay: Bool { showsHelp }
    /// Called with each polled snapshot on the main thread (the run record's writer).
    var record: ((SuccessiveHalvingSearch.Snapshot) -> Void)?

    init(search: SuccessiveHalvingSearch) {
        self.search = search
        snapshot = search.snapshot()
    }

    static let keys: [(keys: String, help: String)] = [
        ("p", "show or hide the pruned trials' curves"), ("r", "curves of the random search with the same budget"),
        ("?", "this help"), ("Esc", "close this help"), ("q", "quit (asks first)"),
    ]

    mutating func handle(_ key: Key) -> Bool {
        if showsHelp {
            showsHelp = false
            return true
        }
        switch key {
        case .character("p"): showsPruned.toggle()
        case .character("r"): showsRandom.toggle()
        case .character("?"): showsHelp = true
        default: return false
        }
        return true
    }

    mutating func tick(now: Double) -> Bool {
        guard now - lastPoll >= 0.1 else { return false }
        lastPoll = now
        let s = search.snapshot()
        let changed =
            s.trials.map(\.epochs) != snapshot.trials.map(\.epochs)
            || s.comparison.map(\.epochs) != snapshot.comparison.map(\.epochs)
            || s.decisions.count != snapshot.decisions.count || s.phase != snapshot.phase
            || s.running != snapshot.running
        snapshot = s
        // Every poll, not only on a change: a trial's header is due as soon as it starts training.
        record?(s)
        return changed
    }

    /// The ladder's columns from a snapshot: each rung's trials at its budget, with their fate.
    static func rungs(_ s: SuccessiveHalvingSearch.Snapshot, halving: SuccessiveHalving) -> [RungLadderView.Rung] {
        let sizes = halving.rungSizes(trials: s.trials.count)
        var members = Array(s.trials.indices)
        var alive: [Int] = []
        var rungs: [RungLadderView.Rung] = []
        for (k, budget) in halving.budgets.enumerated() {
            let decision = k < s.decisions.count ? s.decisions[k] : nil
            let promoted = Set(decision?.promoted ?? [])
            let kept = Set(k < s.kept.count ? s.kept[k] : [])
            let last = k == halving.budgets.count - 1
            var dots: [RungLadderView.Dot] = []
            for id in members {
                let score = s.trials[id].score(atEpoch: budget)
                guard !score.isNaN else { continue }
                let fate: RungLadderView.Fate =
                    decision == nil
                    ? .pending
                    : last ? .finished : promoted.contains(id) ? .promoted : kept.contains(id) ? .kept : .pruned
                dots.append(.init(trial: id, score: score, fate: fate))
            }
            for id in alive {
                let score = s.trials[id].score(atEpoch: budget)
                if !score.isNaN { dots.append(.init(trial: id, score: score, fate: .keptOutside)) }
            }
            rungs.append(
                .init(budget: budget, size: sizes[k], dots: dots, cutoff: decision?.cutoff, decided: decision != nil))
            guard let decision else { break }
            alive += kept
            members = decision.promoted
        }
        // The rungs not reached yet, as empty columns: the whole ladder is always shown.
        for k in rungs.count..<halving.budgets.count {
            rungs.append(.init(budget: halving.budgets[k], size: sizes[k], dots: [], cutoff: nil, decided: false))
        }
        return rungs
    }

    /// The header's two lines.
    static func status(_ s: SuccessiveHalvingSearch.Snapshot, halving: SuccessiveHalving, sep: String) -> (
        String, String
    ) {
        let v = SuccessiveHalvingSearch.verdict(s, halving: halving)
        let phase: String
        switch s.phase {
        case .rung(let k):
            let trained = s.trials.filter { $0.epochs >= halving.budgets[k] || $0.diverged }.count
            phase =
                s.stopped
                ? "stopped at rung \(k + 1)"
                : "rung \(k + 1)/\(halving.budgets.count) training (\(trained) at \(halving.budgets[k]) ep)"
        case .comparison: phase = "ladder done; random search with the same budget training"
        case .done: phase = "done"
        }
        let first =
            "successive halving" + sep + "\(s.decisions.count)/\(halving.budgets.count) rungs done" + sep + phase + sep
            + "budget \(v.budgetSpent) of a full search's \(v.fullBudget) epochs"
        var parts = [
            "η \(halving.eta) sizes "
                + halving.rungSizes(trials: s.trials.count).map(String.init).joined(separator: "/")
        ]
        if let b = v.best { parts.append(String(format: "ladder best %.3f (#%d)", b.score, b.run + 1)) }
        if let rb = v.randomBudget {
            parts.append(
                "random search, same budget (\(v.randomTrials)×\(halving.budgets.last ?? 1) = \(rb) ep): "
                    + (v.randomBest.map { String(format: "best %.3f", $0.score) } ?? "–"))
        } else if s.phase == .comparison {
            let e = s.comparison.reduce(0) { $0 + $1.epochs }
            parts.append(
                "random search \(v.randomTrials) trials: \(e)/\(v.randomTrials * (halving.budgets.last ?? 1)) ep")
        }
        let keptCount = s.trials.filter(\.keptAlive).count
        if let r = v.regret {
            parts.append("regret \(r.missed)/\(r.kept) kept in top 3")
        } else if keptCount > 0 {
            parts.append("\(keptCount) kept alive")
        }
        return (first, parts.joined(separator: sep))
    }

    func render(width: Int, height: Int, glyphs: GlyphSet) -> Buffer {
        if let small = TooSmallScreen.buffer(width: width, height: height) { return small }
        var buffer = Buffer(width: width, height: height)
        let s = snapshot
        let sep = glyphs == .ascii ? " | " : " · "
        let (first, second) = Self.status(s, halving: search.halving, sep: sep)
        buffer.put("dlboard" + sep + first, x: 0, y: 0, style: .bold, maxWidth: width)
        buffer.put(second, x: 0, y: 1, style: .dim, maxWidth: width)
        let area = Rect(x: 0, y: 2, width: width, height: height - 3)
        let (top, bottom) = area.splitRows(at: max(8, area.height * 11 / 20), gap: 1)
        RungLadderView(rungs: Self.rungs(s, halving: search.halving), trials: s.trials.count, glyphs: glyphs).render(
            in: top, into: &buffer)
        renderCurves(s, in: bottom, into: &buffer, glyphs: glyphs)
        HintsBar(
            items: [
                ("p", showsPruned ? "hide pruned" : "show pruned"),
                ("r", showsRandom ? "ladder's curves" : "random search's curves"), ("?", "help"), ("q", "quit"),
            ]
        ).render(row: height - 1, width: width, into: &buffer)
        if showsHelp {
            HelpPopup(title: "keys — any key closes", entries: Self.keys, keyWidth: 4, glyphs: glyphs).render(
                in: buffer.area, into: &buffer)
        }
        if glyphs == .ascii { AsciiFallback.apply(to: &buffer) }
        return buffer
    }

    /// The trials the curves show, in the order drawn: finishers and the training first (by their
    /// latest score), then the kept-alive, then the pruned.
    func shownTrials(_ s: SuccessiveHalvingSearch.Snapshot) -> [SuccessiveHalvingSearch.Trial] {
        if showsRandom { return s.comparison }
        func group(_ t: SuccessiveHalvingSearch.Trial) -> Int { t.keptAlive ? 1 : t.prunedAt != nil ? 2 : 0 }
        return s.trials.filter { showsPruned || $0.prunedAt == nil || $0.keptAlive }.sorted { a, b in
            let (ga, gb) = (group(a), group(b))
            if ga != gb { return ga < gb }
            let (x, y) = (a.evaluations.last?.validationAccuracy ?? -1, b.evaluations.last?.validationAccuracy ?? -1)
            return x != y ? x > y : a.id < b.id
        }
    }

    /// Small multiples of validation accuracy (y 0…1) over epochs 0…full budget, the rungs' budgets
    /// as ticks on the axis.
    private func renderCurves(
        _ s: SuccessiveHalvingSearch.Snapshot, in rect: Rect, into buffer: inout Buffer, glyphs: GlyphSet
    ) {
        guard rect.height >= 4, rect.width >= 20 else { return }
        let trials = shownTrials(s)
        let title =
            showsRandom
            ? "random search with the same budget: validation accuracy (0…1) per epoch"
            : "validation accuracy (0…1) per epoch, each trial; grey: pruned"
        buffer.put(title, x: rect.x, y: rect.y, style: .dim, maxWidth: rect.width)
        let area = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        let perRow = max(1, area.width / 22)
        let cellHeight = min(6, max(4, area.height / max(1, (trials.count + perRow - 1) / perRow)))
        let rows = max(1, area.height / cellHeight)
        let cellWidth = area.width / perRow
        let capacity = perRow * rows
        let full = Double(search.fullEpochs)
        for (i, t) in trials.prefix(capacity).enumerated() {
            let cell = Rect(
                x: area.x + (i % perRow) * cellWidth, y: area.y + (i / perRow) * cellHeight, width: cellWidth - 1,
                height: cellHeight)
            let stopped = t.prunedAt != nil && !t.keptAlive
            let latest = t.evaluations.last?.validationAccuracy
            let color: Color =
                stopped ? RungLadderView.pruned : t.keptAlive ? RungLadderView.kept : RungLadderView.color(latest ?? 0)
            let name = showsRandom ? "point \(t.point + 1)" : "#\(t.id + 1)"
            var label = name + (latest.map { String(format: " %.2f", $0) } ?? " …")
            if let k = t.prunedAt { label += t.keptAlive ? " kept ◆" : " pruned @rung \(k + 1)" }
            if t.diverged { label += " diverged" }
            buffer.put(
                label, x: cell.x, y: cell.y,
                style: Style(foreground: stopped ? RungLadderView.pruned : nil, bold: !stopped && t.prunedAt == nil),
                maxWidth: cell.width)
            let plot = Rect(x: cell.x + 1, y: cell.y + 1, width: cell.width - 1, height: cell.height - 2)
            guard plot.width >= 2, plot.height >= 1 else { continue }
            for y in plot.y..<plot.maxY { buffer[cell.x, y] = Cell(glyphs.verticalLine, style: .dim) }
            for x in plot.x..<plot.maxX { buffer[x, plot.maxY] = Cell(glyphs.horizontalLine, style: .dim) }
            for b in search.halving.budgets {
                let x = plot.x + Int((Double(b) / full * Double(plot.width - 1)).rounded())
                buffer[x, plot.maxY] = Cell(glyphs == .ascii ? "+" : "┴", style: .dim)
            }
            var canvas = DotCanvas(columns: plot.width, rows: plot.height, glyphs: glyphs)
            let style = Style(foreground: color, dim: stopped)
            var previous: (x: Int, y: Int)?
            for e in t.evaluations {
                guard let v = e.validationAccuracy else { continue }
                let p = (
                    x: DotCanvas.dot(Double(e.epoch) / full * Double(canvas.width - 1)),
                    y: DotCanvas.dot((1 - v) * Double(canvas.height - 1))
                )
                if let q = previous {
                    canvas.line(from: q, to: p, style: style)
                } else {
                    canvas.set(p.x, p.y, style: style)
                }
                previous = p
            }
            canvas.render(into: &buffer, x: plot.x, y: plot.y)
        }
        if trials.count > capacity {
            let more = "+\(trials.count - capacity) more"
            buffer.put(more, x: rect.maxX - more.count, y: rect.y, style: .dim)
        }
    }
}
