import Foundation
import NN
import TUI

/// One histogram of activations per hidden layer, titled with its verdict (healthy, saturated,
/// collapsed, dead, exploding: `ActivationStatistics.verdicts`, which sees each layer's predecessor)
/// in the verdict's colour and captioned with mean μ, spread σ and the share of
/// zeros (ReLU) or saturated units. A pane too short for histograms shows the verdicts on one line.
struct ActivationHistogramsView {
    var activations: [ActivationStatistics]
    var glyphs: GlyphSet

    private var unicode: Bool { glyphs != .ascii }

    /// As many histograms a row as fit (at least 14 columns each), rows sharing the height.
    func render(in rect: Rect, into buffer: inout Buffer) {
        guard !activations.isEmpty else {
            buffer.put("activations: waiting for the first steps…", in: rect, row: 1, style: .dim)
            return
        }
        let n = activations.count
        let perRow = max(1, min(n, rect.width / 14))
        let rows = (n + perRow - 1) / perRow
        let rowHeight = rect.height / rows
        let verdicts = ActivationStatistics.verdicts(activations)
        for (i, a) in activations.enumerated() {
            let band = Rect(x: rect.x, y: rect.y + (i / perRow) * rowHeight, width: rect.width, height: rowHeight)
            let cell = band.columns(perRow, gap: 2)[i % perRow]
            Self.histogram(
                a, verdict: verdicts[i], title: Self.title(a, verdict: verdicts[i], index: i + 1, width: cell.width),
                width: cell.width, glyphs: glyphs
            )
            .render(in: cell, into: &buffer)
        }
    }

    /// "layers 1 healthy 2 healthy 3 dead …" on the first row of `rect`, each verdict in its colour
    /// (cut to four letters when narrow).
    func renderVerdicts(in rect: Rect, into buffer: inout Buffer) {
        var x = rect.x
        buffer.put("layers", x: x, y: rect.y, style: .dim)
        x += 7
        for (i, verdict) in ActivationStatistics.verdicts(activations).enumerated() {
            let word = verdict.rawValue
            let text = "\(i + 1) " + (rect.width < 40 + activations.count * 4 ? String(word.prefix(4)) : word)
            guard x + text.count <= rect.maxX else { break }
            buffer.put(text, x: x, y: rect.y, style: Style(foreground: Self.verdictColor(verdict)))
            x += text.count + 1
        }
    }

    /// One layer's histogram, `width` columns wide, coloured by its verdict.
    static func histogram(
        _ a: ActivationStatistics, verdict: ActivationStatistics.Verdict, title: String, width: Int, glyphs: GlyphSet
    ) -> HistogramView {
        var view = HistogramView(
            title: title, bins: a.bins, caption: caption(a, unicode: glyphs != .ascii, width: width),
            color: verdictColor(verdict))
        view.glyphs = glyphs
        view.titleStyle = Style(foreground: verdictColor(verdict), bold: true)
        return view
    }

    static func title(
        _ a: ActivationStatistics, verdict: ActivationStatistics.Verdict, index: Int, width: Int
    ) -> String {
        let long = "layer \(index) \(a.activation.displayName) · \(verdict.rawValue)"
        return long.count <= width ? long : "\(index) \(a.activation.displayName) \(verdict.rawValue)"
    }

    static func caption(_ a: ActivationStatistics, unicode: Bool, width: Int) -> String {
        let (mu, sigma) = unicode ? ("μ", "σ") : ("m", "s")
        func f(_ v: Float) -> String {
            var s = String(format: "%.2f", v)
            if s.hasPrefix("0.") { s.removeFirst() } else if s.hasPrefix("-0.") { s = "-" + s.dropFirst(2) }
            return s
        }
        let third =
            a.activation == .relu
            ? String(format: "0:%.0f%%", a.zeroFraction * 100)
            : String(format: "sat %.0f%%", a.saturatedFraction * 100)
        let (m, s) = ("\(mu)\(f(a.mean))", "\(sigma)\(f(a.standardDeviation))")
        // Whole fields only, never a number cut short: σ goes first, then μ; the share of zeros
        // (or saturated values) says most.
        guard
            var caption = [[m, s, third], [m, third], [third]].map({ $0.joined(separator: " ") }).first(where: {
                $0.count <= width
            })
        else { return "" }
        // The histogram's upper end (ReLU's moves with the data), only when it fits whole.
        let range = (unicode ? " ≤" : " <=") + String(format: "%.1f", a.range.upperBound)
        if a.activation == .relu && caption.count + range.count <= width { caption += range }
        return caption
    }

    static func verdictColor(_ v: ActivationStatistics.Verdict) -> Color {
        switch v {
        case .healthy: .green
        case .collapsed, .dead, .exploding: .red
        case .saturated: .yellow
        }
    }
}
