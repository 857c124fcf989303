import Foundation
import NN
import TUI

/// E3 on screen: one row per weight scale (std 1, std 0.01, Xavier, He), one histogram per layer,
/// each with its mean, spread and verdict. `a` switches the activation, `r` draws new weights.
struct ActivationHistogramsScreen: InteractiveScreen {
    var activation: Activation = .sigmoid
    var seed: UInt64
    private(set) var rows: [(name: String, stats: [ActivationStatistics])] = []
    var showsHelp = false
    var showsOverlay: Bool { showsHelp }

    init(seed: UInt64, activation: Activation = .sigmoid) {
        self.seed = seed
        self.activation = activation
        recompute()
    }

    mutating func recompute() {
        rows = ActivationExperiment.scales().map {
            ($0.name, ActivationExperiment.run(scale: $0.scale, activation: activation, seed: seed))
        }
    }

    mutating func handle(_ key: Key) -> Bool {
        if showsHelp {
            showsHelp = false
            return true
        }
        switch key {
        case .character("a"):
            let all = Activation.allCases
            activation = all[((all.firstIndex(of: activation) ?? 0) + 1) % all.count]
            recompute()
        case .character("r"):
            seed &+= 1
            recompute()
        case .character("?"): showsHelp = true
        default: return false
        }
        return true
    }

    mutating func tick(now: Double) -> Bool { false }

    static let keys: [(keys: String, help: String)] = [
        ("a", "next activation (sigmoid, tanh, ReLU)"), ("r", "new random weights"),
        ("?", "this help"), ("Esc", "close this help"), ("q", "quit (asks first)"),
    ]

    func render(width: Int, height: Int, glyphs: GlyphSet) -> Buffer {
        if let small = TooSmallScreen.buffer(width: width, height: height) { return small }
        var buffer = Buffer(width: width, height: height)
        let unicode = glyphs != .ascii
        buffer.put(
            "dlboard" + (unicode ? " · " : " | ")
                + "preset activation-histograms (E3): 1000×100 normal input, 5 layers of 100, no bias, no training",
            x: 0, y: 0, style: .bold, maxWidth: width)
        let range = activation.histogramRange
        buffer.put(
            "activation \(activation.displayName) · histogram range \(LineChart.label(Double(range.lowerBound)))…\(LineChart.label(Double(range.upperBound))) · seed \(seed)",
            x: 0, y: 1, style: .dim, maxWidth: width)
        let area = Rect(x: 0, y: 2, width: width, height: height - 3)
        let rowHeight = area.height / max(1, rows.count)
        for (r, row) in rows.enumerated() {
            let band = Rect(x: 0, y: area.y + r * rowHeight, width: width, height: rowHeight)
            let label = row.name
            buffer.put(label, x: 0, y: band.y + 1, style: .bold, maxWidth: 9)
            let cells = Rect(x: 9, y: band.y, width: width - 9, height: band.height).columns(row.stats.count, gap: 1)
            let verdicts = ActivationStatistics.verdicts(row.stats)
            for (i, s) in row.stats.enumerated() {
                ActivationHistogramsView.histogram(
                    s, verdict: verdicts[i], title: "\(i + 1) \(verdicts[i].rawValue)", width: cells[i].width,
                    glyphs: glyphs
                ).render(in: cells[i], into: &buffer)
            }
        }
        HintsBar(
            items: [("a", "activation"), ("r", "new weights"), ("?", "help"), ("q", "quit")]).render(
                row: height - 1, width: width, into: &buffer)
        if showsHelp {
            HelpPopup(title: "keys — any key closes", entries: Self.keys, keyWidth: 4, glyphs: glyphs).render(
                in: buffer.area, into: &buffer)
        }
        if glyphs == .ascii { AsciiFallback.apply(to: &buffer) }
        return buffer
    }

    /// The headless report: per scale and layer, mean, std, % saturated or zero, and the verdict.
    func report() -> [String] {
        var lines = [
            "activation-histograms (E3): \(activation.displayName), 1000×100 N(0,1) input, 5 layers × 100, no bias, seed \(seed)"
        ]
        for row in rows {
            let verdicts = ActivationStatistics.verdicts(row.stats)
            let cells = row.stats.enumerated().map { i, s in
                let extra =
                    activation == .relu
                    ? String(format: "0:%3.0f%%", s.zeroFraction * 100)
                    : String(format: "sat %3.0f%%", s.saturatedFraction * 100)
                return String(
                    format: "L%d μ %.3f σ %.3f %@ %@", i + 1, s.mean, s.standardDeviation, extra, verdicts[i].rawValue)
            }
            lines.append(row.name.padding(toLength: 9, withPad: " ", startingAt: 0) + cells.joined(separator: " | "))
        }
        return lines
    }
}
