import Foundation
import TUI

/// Successive halving's rung ladder: one column per rung (labelled with its budget), each trial a
/// dot at the validation accuracy it had there — coloured by that accuracy, bold when it went on,
/// grey when the rung pruned it, a diamond when it was pruned but kept training — and the rung's
/// cutoff (the lowest promoted score) as a dashed line across its column. A trial sits at the same
/// place across the columns (by its number), so the eye can follow it up the ladder.
struct RungLadderView {
    /// The raw values are the words the headless rung tables print.
    enum Fate: String, Equatable, Sendable {
        /// At the rung, not yet decided (the rung is training).
        case pending
        case promoted
        case pruned
        /// Pruned here but training on to the full budget (the regret's trials).
        case kept
        /// Pruned at an earlier rung, kept training: shown, left out of this rung's decision.
        case keptOutside
        /// At the last rung, which promotes no one: it finished the ladder.
        case finished
    }

    struct Dot: Equatable, Sendable {
        var trial: Int
        var score: Double
        var fate: Fate
    }

    struct Rung: Equatable, Sendable {
        var budget: Int
        /// How many trials the rung holds once its trials have all reported.
        var size: Int
        var dots: [Dot]
        var cutoff: Double?
        var decided: Bool
    }

    var rungs: [Rung]
    /// How many trials the ladder started with (spreads the dots across a column).
    var trials: Int
    var glyphs: GlyphSet

    static let pruned = Color.palette(240)
    static let kept = Color.palette(250)
    static let cutoffColor = Color.magenta

    /// The colour of an accuracy, as the search screens colour them.
    static func color(_ v: Double) -> Color {
        v >= 0.8 ? .green : v >= 0.5 ? .yellow : v >= 0.2 ? .palette(208) : .red
    }

    func style(of dot: Dot) -> Style {
        switch dot.fate {
        case .pending: Style(foreground: Self.color(dot.score))
        case .promoted, .finished: Style(foreground: Self.color(dot.score), bold: true)
        case .pruned: Style(foreground: Self.pruned)
        case .kept, .keptOutside: Style(foreground: Self.kept)
        }
    }

    func glyph(of dot: Dot) -> Character {
        let ascii = glyphs == .ascii
        switch dot.fate {
        case .kept, .keptOutside: return ascii ? "*" : "◆"
        default: return ascii ? "o" : "●"
        }
    }

    /// The accuracy range shown: the scores' own, widened to tenths (0…1 before any).
    var yRange: (lo: Double, hi: Double) {
        let scores = rungs.flatMap { $0.dots.map(\.score) }.filter(\.isFinite)
        guard let lo = scores.min(), let hi = scores.max() else { return (0, 1) }
        var l = max(0, (lo * 10).rounded(.down) / 10)
        var h = min(1, (hi * 10).rounded(.up) / 10)
        if h - l < 0.1 {
            l = max(0, l - 0.05)
            h = min(1, l + 0.1)
        }
        return (l, h)
    }

    func render(in rect: Rect, into buffer: inout Buffer) {
        guard rect.width >= 20, rect.height >= 6, !rungs.isEmpty else { return }
        let unicode = glyphs != .ascii
        let legend =
            "rung ladder: val acc at each rung's budget  " + (unicode ? "●" : "o") + " bold went on  "
            + (unicode ? "●" : "o") + " grey pruned  " + (unicode ? "◆" : "*") + " kept alive  "
            + (unicode ? "╌" : "-") + " cutoff"
        buffer.put(legend, x: rect.x, y: rect.y, style: .dim, maxWidth: rect.width)
        let gutter = 5
        let plot = Rect(x: rect.x + gutter, y: rect.y + 2, width: rect.width - gutter, height: rect.height - 3)
        let (lo, hi) = yRange
        func row(_ v: Double) -> Int {
            plot.y + Int(((hi - min(hi, max(lo, v))) / (hi - lo) * Double(plot.height - 1)).rounded())
        }
        for (v, y) in [(hi, plot.y), ((lo + hi) / 2, row((lo + hi) / 2)), (lo, plot.maxY - 1)] {
            buffer.put(String(format: "%.2f", v), x: rect.x, y: y, style: .dim, maxWidth: gutter - 1)
        }
        let columns = plot.columns(rungs.count, gap: 1)
        for (k, (rung, col)) in zip(rungs, columns).enumerated() {
            let header =
                "rung \(k + 1) · \(rung.budget) ep · "
                + (rung.decided || rung.dots.count == rung.size ? "\(rung.size)" : "\(rung.dots.count)/\(rung.size)")
            buffer.put(header, x: col.x, y: rect.y + 1, style: .bold, maxWidth: col.width)
            if k > 0 {
                for y in plot.y..<plot.maxY { buffer[col.x - 1, y] = Cell(glyphs.dottedVertical, style: .dim) }
            }
            if let cut = rung.cutoff {
                let y = row(cut)
                for x in col.x..<col.maxX {
                    buffer[x, y] = Cell(unicode ? "╌" : "-", style: Style(foreground: Self.cutoffColor))
                }
            }
            // Pruned first, then the rest, so a promoted dot wins a shared cell.
            let order = rung.dots.sorted { rank($0.fate) < rank($1.fate) }
            let span = max(1, col.width - 2)
            for d in order where d.score.isFinite {
                let x = col.x + 1 + (trials > 1 ? d.trial * (span - 1) / (trials - 1) : span / 2)
                buffer[x, row(d.score)] = Cell(glyph(of: d), style: style(of: d))
            }
            let promoted = rung.dots.filter { $0.fate == .promoted }.count
            let footer: String
            if !rung.decided {
                footer = rung.dots.isEmpty ? "waiting" : "training…"
            } else if let cut = rung.cutoff {
                footer = String(format: "%d went on · cut %.3f", promoted, cut)
            } else {
                footer = "finished"
            }
            buffer.put(
                footer, x: col.x, y: plot.maxY, style: Style(foreground: rung.cutoff != nil ? Self.cutoffColor : nil),
                maxWidth: col.width)
        }
    }

    private func rank(_ f: Fate) -> Int {
        switch f {
        case .pruned: 0
        case .keptOutside: 1
        case .kept: 2
        case .pending: 3
        case .promoted, .finished: 4
        }
    }
}
