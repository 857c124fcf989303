import Foundation
import NN
import TUI

/// Population-based training on screen: a header with the generation, the best member and its
/// score; each member's pane (its loss per step above, its validation accuracy per evaluation
/// below, a dotted mark and "←n" at every step it exploited member n); and the lineage strip. `r`
/// re-trains the best member's schedule as one run once training is over and says whether its
/// losses are bit-identical.
struct PopulationScreen: InteractiveScreen {
    let population: Population
    let description: String
    var snapshot: Population.Snapshot
    var lastPoll = 0.0
    var notice: String?
    var showsHelp = false
    var showsOverlay: Bool { showsHelp }
    /// Called with each new snapshot on the main thread (the run record's writer).
    var record: ((Population.Snapshot) -> Void)?

    init(population: Population, description: String) {
        self.population = population
        self.description = description
        self.snapshot = population.snapshot()
    }

    static let keys: [(keys: String, help: String)] = [
        ("r", "replay the best member's schedule as one run (after training): are its losses bit-identical?"),
        ("?", "this help"), ("Esc", "close this help"), ("q", "quit (asks first)"),
    ]

    mutating func handle(_ key: Key) -> Bool {
        if showsHelp {
            showsHelp = false
            return true
        }
        notice = nil
        switch key {
        case .character("r"):
            if snapshot.running {
                notice = "still training: the schedule is replayed once training is over"
            } else if snapshot.replaying {
                notice = "replaying…"
            } else if population.replayBestLineage() {
                snapshot = population.snapshot()
                notice = "replaying the best member's schedule as one run…"
            } else {
                notice = "nothing to replay yet"
            }
        case .character("?"): showsHelp = true
        default: return false
        }
        return true
    }

    mutating func tick(now: Double) -> Bool {
        guard now - lastPoll >= 0.1 else { return false }
        lastPoll = now
        let s = population.snapshot()
        let changed =
            s.step != snapshot.step || s.generations.count != snapshot.generations.count
            || s.running != snapshot.running || s.replaying != snapshot.replaying || s.replay != snapshot.replay
            || s.members.map(\.losses.count) != snapshot.members.map(\.losses.count)
        if s.replay != nil && snapshot.replay == nil { notice = nil }
        snapshot = s
        if changed { record?(s) }
        return changed
    }

    func render(width: Int, height: Int, glyphs: GlyphSet) -> Buffer {
        if let small = TooSmallScreen.buffer(width: width, height: height) { return small }
        var buffer = Buffer(width: width, height: height)
        let s = snapshot
        let sep = glyphs == .ascii ? " | " : " · "
        let generation = max(0, s.generations.count - 1)
        var header =
            "dlboard" + sep + "preset population (PBT)" + sep + "generation \(generation)" + sep
            + "step \(s.step)/\(s.totalSteps)"
        if let best = s.best {
            let m = s.members[best]
            header +=
                sep
                + String(
                    format: "best m%d val %.3f (lr %.2e, wd %.2e)", best + 1, m.latestScore, m.learningRate,
                    m.weightDecay)
        }
        let scores = s.members.filter { !$0.evaluations.isEmpty }.map(\.latestScore)
        if let lo = scores.min(), let hi = scores.max(), scores.count > 1 {
            header += String(format: "%@scores %.3f…%.3f", sep, lo, hi)
        }
        buffer.put(header, x: 0, y: 0, style: .bold, maxWidth: width)
        let state =
            s.running
            ? "training"
            : s.replaying
                ? "replaying the best schedule…"
                : s.replay.map(\.summary) ?? (s.finished ? "done: r replays the best schedule" : "stopped")
        buffer.put(
            "\(s.members.count) members" + sep + description + sep + state, x: 0, y: 1, style: .dim, maxWidth: width)
        let area = Rect(x: 0, y: 2, width: width, height: height - 3)
        let stripHeight = min(area.height / 2, LineageStripView.height(members: s.members.count))
        let (panes, strip) = area.splitRows(at: area.height - stripHeight, gap: 0)
        let lineage = s.bestLineage
        renderPanes(
            s, lineage: lineage, in: Rect(x: panes.x, y: panes.y, width: panes.width, height: panes.height - 1),
            into: &buffer, glyphs: glyphs)
        let lr = population.settings.space.dimension(of: .learningRate)
        LineageStripView(
            generations: s.generations, lineage: lineage, logRange: Self.logRange(lr, members: s.members),
            glyphs: glyphs
        ).render(in: strip, into: &buffer)
        let x = HintsBar(items: [("r", "replay best schedule"), ("?", "help"), ("q", "quit")]).render(
            row: height - 1, width: width, into: &buffer)
        if let n = notice { buffer.put(n, x: x + 2, y: height - 1, style: .bold, maxWidth: width - x - 2) }
        if showsHelp {
            HelpPopup(title: "keys — any key closes", entries: Self.keys, keyWidth: 4, glyphs: glyphs).render(
                in: buffer.area, into: &buffer)
        }
        if glyphs == .ascii { AsciiFallback.apply(to: &buffer) }
        return buffer
    }

    /// The palette's span: the space's lr bounds (log-uniform), widened to every lr a member has.
    static func logRange(_ d: SearchDimension?, members: [Population.Member]) -> ClosedRange<Double> {
        var lo = -4.0
        var hi = 0.0
        if case .logUniform(let a, let b)? = d {
            lo = a
            hi = b
        }
        for m in members where m.learningRate > 0 {
            lo = min(lo, log10(Double(m.learningRate)).rounded(.down))
            hi = max(hi, log10(Double(m.learningRate)).rounded(.up))
        }
        return lo...max(hi, lo + 1)
    }

    /// One pane per member: loss above, validation accuracy below, the exploits marked.
    private func renderPanes(
        _ s: Population.Snapshot, lineage: PopulationLineage?, in rect: Rect, into buffer: inout Buffer,
        glyphs: GlyphSet
    ) {
        let n = s.members.count
        guard n > 0, rect.width >= 20, rect.height >= 4 else { return }
        // As many rows as the width needs, the members spread evenly over them (8 as 4 + 4, not 5 + 3).
        let widest = min(n, max(1, rect.width / 24))
        let rows = (n + widest - 1) / widest
        let perRow = (n + rows - 1) / rows
        let cellWidth = rect.width / perRow
        let cellHeight = max(3, rect.height / rows)
        let onPath = Set(lineage?.path ?? [])
        for m in s.members {
            let cell = Rect(
                x: rect.x + (m.id % perRow) * cellWidth, y: rect.y + (m.id / perRow) * cellHeight,
                width: cellWidth - 1, height: cellHeight)
            guard cell.maxY <= rect.maxY else { continue }
            let markers = m.events.filter { $0.kind == .exploit }.map {
                ChartMarker(x: Double($0.step), label: $0.label)
            }
            let isBest = lineage?.member == m.id
            let title = String(
                format: "%@m%d lr %.1e wd %.1e%@", isBest ? "★ " : "", m.id + 1, m.learningRate, m.weightDecay,
                m.diverged ? " ✗" : onPath.contains(m.id) && !isBest ? " ·lineage" : "")
            let (top, bottom) =
                cell.height >= 9
                ? cell.splitRows(at: cell.height * 3 / 5) : (cell, Rect(x: 0, y: 0, width: 0, height: 0))
            var loss = LineChart(
                title: title,
                series: [
                    ChartSeries(
                        name: "batch loss", points: Self.thinned(m.losses, to: max(8, top.width * 2)), color: .cyan)
                ])
            loss.markers = markers
            loss.glyphs = glyphs
            loss.showsLegend = false
            loss.render(in: top, into: &buffer)
            if isBest { buffer.put(title, in: top, style: Style(foreground: .green, bold: true)) }
            guard !bottom.isEmpty else { continue }
            var val = LineChart(
                title: String(format: "val %.3f", m.latestScore),
                series: [
                    ChartSeries(
                        name: "val",
                        points: m.evaluations.map { ChartPoint(x: Double($0.step), y: $0.validationAccuracy ?? 0) },
                        color: .green)
                ])
            val.markers = markers.map { ChartMarker(x: $0.x, label: "") }
            val.glyphs = glyphs
            val.yRange = 0...1
            val.showsLegend = false
            val.render(in: bottom, into: &buffer)
        }
    }

    /// At most about `count` points of a loss curve: each bucket's mean, so a long run stays cheap to draw.
    static func thinned(_ losses: [(step: Int, loss: Float)], to count: Int) -> [ChartPoint] {
        guard losses.count > count else { return losses.map { ChartPoint(x: Double($0.step), y: Double($0.loss)) } }
        let per = (losses.count + count - 1) / count
        return stride(from: 0, to: losses.count, by: per).map { i in
            let chunk = losses[i..<min(losses.count, i + per)].filter { $0.loss.isFinite }
            let mean = chunk.isEmpty ? Double.nan : chunk.reduce(0.0) { $0 + Double($1.loss) } / Double(chunk.count)
            return ChartPoint(x: Double(losses[min(losses.count - 1, i + per - 1)].step), y: mean)
        }
    }
}
