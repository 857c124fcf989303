import Foundation
import NN
import TUI

/// E3 on screen: one row per weight scale (the book's std 1, std 0.01, Xavier, He, then all zeros and
/// a constant — the symmetry trap), one histogram per layer, each with its mean, spread and verdict;
/// a layer whose units are (nearly) all the same says so and how many differ ("1 of 100").
/// `a` switches the activation, `r` draws new weights.
struct ActivationHistogramsScreen: InteractiveScreen {
    var activation: Activation = .sigmoid
    var seed: UInt64
    private(set) var rows: [(name: String, layers: [ActivationExperiment.LayerResult])] = []
    var showsHelp = false
    var showsOverlay: Bool { showsHelp }

    init(seed: UInt64, activation: Activation = .sigmoid) {
        self.seed = seed
        self.activation = activation
        recompute()
    }

    mutating func recompute() {
        rows = ActivationExperiment.rows().map {
            ($0.name, ActivationExperiment.run(weights: $0.weights, activation: activation, seed: seed))
        }
    }

    mutating func handle(_ key: Key) -> Bool {
        if showsHelp {
            showsHelp = false
            return true
        }
        switch key {
        case .character("a"):
            activation = activation.cycled(by: 1)
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
        ("a", "next activation (sigmoid, tanh, Leaky ReLU, SoftPlus, identity, ReLU)"), ("r", "new random weights"),
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
            buffer.put(row.name, x: 0, y: band.y + 1, style: .bold, maxWidth: 9)
            if let same = Self.symmetric(row.layers), rowHeight >= 3 {
                buffer.put("\(same.distinct) of \(same.units)", x: 0, y: band.y + 2, style: .dim, maxWidth: 8)
                if rowHeight >= 4 { buffer.put("distinct", x: 0, y: band.y + 3, style: .dim, maxWidth: 8) }
            }
            let stats = row.layers.map(\.statistics)
            let cells = Rect(x: 9, y: band.y, width: width - 9, height: band.height).columns(stats.count, gap: 1)
            let verdicts = ActivationStatistics.verdicts(stats)
            for (i, s) in stats.enumerated() {
                let word = Self.isSymmetric(row.layers[i]) ? "symmetric" : verdicts[i].rawValue
                ActivationHistogramsView.histogram(
                    s, verdict: verdicts[i], title: "\(i + 1) \(word)", width: cells[i].width,
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

    /// A layer whose units are nearly all copies of each other (`LayerVerdict`'s rule for weights).
    static func isSymmetric(_ layer: ActivationExperiment.LayerResult) -> Bool {
        layer.units > 1 && Float(layer.distinctUnits) <= LayerVerdict.symmetricDistinctShare * Float(layer.units)
    }

    /// The units and distinct units of a row whose every layer is symmetric (the same in each: the
    /// largest count).
    static func symmetric(_ layers: [ActivationExperiment.LayerResult]) -> (units: Int, distinct: Int)? {
        guard !layers.isEmpty, layers.allSatisfy(isSymmetric) else { return nil }
        return (layers[0].units, layers.map(\.distinctUnits).max()!)
    }

    /// The headless report: per scale and layer, mean, std, % saturated or zero, and the verdict
    /// ("symmetric 1/100" where the units are copies: how many of them differ).
    func report() -> [String] {
        var lines = [
            "activation-histograms (E3): \(activation.displayName), 1000×100 N(0,1) input, 5 layers × 100, no bias, seed \(seed)"
        ]
        for row in rows {
            let stats = row.layers.map(\.statistics)
            let verdicts = ActivationStatistics.verdicts(stats)
            let cells = stats.enumerated().map { i, s in
                let extra =
                    activation == .relu
                    ? String(format: "0:%3.0f%%", s.zeroFraction * 100)
                    : String(format: "sat %3.0f%%", s.saturatedFraction * 100)
                let layer = row.layers[i]
                let word =
                    Self.isSymmetric(layer)
                    ? "symmetric \(layer.distinctUnits)/\(layer.units)" : verdicts[i].rawValue
                return String(format: "L%d μ %.3f σ %.3f %@ %@", i + 1, s.mean, s.standardDeviation, extra, word)
            }
            lines.append(row.name.padding(toLength: 9, withPad: " ", startingAt: 0) + cells.joined(separator: " | "))
        }
        return lines
    }
}
