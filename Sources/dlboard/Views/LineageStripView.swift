import Foundation
import TUI

/// Population-based training's lineage strip: a row per member, a column per generation (column 0
/// the start), each cell coloured by the lr the member trains with after that generation on a
/// log-scale palette (legend below). A member that exploited in a generation shows "←n" there: it
/// took member n's state. The best member's lineage — the cells whose state became the best
/// member's — is bold and dotted ("•"), so its path through the population reads left to right.
/// When the generations do not fit, the latest ones are shown.
struct LineageStripView {
    var generations: [Population.Generation]
    var lineage: PopulationLineage?
    /// log10 of the lr the palette spans (the space's lr bounds).
    var logRange: ClosedRange<Double>
    var glyphs: GlyphSet = .braille

    /// Blue (low lr) through green and yellow to red (high lr).
    static let palette: [UInt8] = [21, 33, 45, 48, 118, 226, 208, 196]
    static let cellWidth = 3
    static let labelWidth = 4

    /// The palette colour of a learning rate, clamped to the range.
    static func color(learningRate lr: Float, logRange: ClosedRange<Double>) -> Color {
        let span = max(1e-9, logRange.upperBound - logRange.lowerBound)
        let x = lr > 0 ? (log10(Double(lr)) - logRange.lowerBound) / span : 0
        let k = Int((min(1, max(0, x)) * Double(palette.count - 1)).rounded())
        return .palette(palette[k])
    }

    /// The rows it needs for `members` members: title, one per member, legend.
    static func height(members: Int) -> Int { members + 2 }

    func render(in rect: Rect, into buffer: inout Buffer) {
        guard rect.width >= Self.labelWidth + Self.cellWidth, rect.height >= 3, let first = generations.first else {
            return
        }
        let members = first.learningRates.count
        let ascii = glyphs == .ascii
        let arrow = ascii ? "<" : "←"
        let dot = ascii ? "*" : "•"
        let fit = max(1, (rect.width - Self.labelWidth) / Self.cellWidth)
        let shown = generations.suffix(fit)
        let bestText = lineage.map { "; bold \(dot) = best m\($0.member + 1)'s lineage" } ?? ""
        buffer.put(
            "lineage by generation (colour = lr; \(arrow)n = took member n's state\(bestText))", in: rect, row: 0,
            style: .bold)
        for m in 0..<min(members, rect.height - 2) {
            let y = rect.y + 1 + m
            let isBest = lineage?.member == m
            buffer.put(
                "m\(m + 1)", x: rect.x, y: y, style: isBest ? Style(bold: true) : .dim, maxWidth: Self.labelWidth - 1)
            for (k, g) in shown.enumerated() {
                let x = rect.x + Self.labelWidth + k * Self.cellWidth
                let onPath = lineage?.member(afterStep: g.step) == m
                var text = String(repeating: " ", count: Self.cellWidth)
                if let donor = g.donors[m] {
                    text = (arrow + "\(donor + 1)").padding(toLength: Self.cellWidth, withPad: " ", startingAt: 0)
                } else if onPath {
                    text = " \(dot) "
                }
                let style = Style(
                    foreground: Self.color(learningRate: g.learningRates[m], logRange: logRange), bold: onPath,
                    reverse: true)
                buffer.put(text, x: x, y: y, style: style, maxWidth: Self.cellWidth)
            }
        }
        renderLegend(row: rect.y + 1 + min(members, rect.height - 2), in: rect, shown: shown, into: &buffer)
    }

    /// "lr 1e-3 ████████ 1 · generations 3 to 20 (steps 24 to 160)".
    private func renderLegend(
        row y: Int, in rect: Rect, shown: ArraySlice<Population.Generation>, into buffer: inout Buffer
    ) {
        guard y < rect.maxY else { return }
        var x = rect.x
        x = buffer.put("lr " + Self.power(logRange.lowerBound) + " ", x: x, y: y, style: .dim, maxWidth: rect.maxX - x)
        for c in Self.palette where x < rect.maxX {
            buffer.put("  ", x: x, y: y, style: Style(foreground: .palette(c), reverse: true), maxWidth: rect.maxX - x)
            x += 2
        }
        guard x < rect.maxX else { return }
        x = buffer.put(" " + Self.power(logRange.upperBound), x: x, y: y, style: .dim, maxWidth: rect.maxX - x)
        if let a = shown.first, let b = shown.last, x < rect.maxX {
            buffer.put(
                " · generations \(a.number) to \(b.number) (steps \(a.step) to \(b.step))", x: x, y: y, style: .dim,
                maxWidth: rect.maxX - x)
        }
    }

    /// 10^e as the flags write it: 1e-3, 1, 1e2 (or 3.2e-4 between whole exponents).
    static func power(_ e: Double) -> String {
        let v = pow(10, e)
        if e == e.rounded() { return e == 0 ? "1" : "1e\(Int(e))" }
        return String(format: "%.1e", v)
    }
}
