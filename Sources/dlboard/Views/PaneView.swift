import Foundation
import NN
import TUI

/// Draws the whole dashboard for a state into a buffer of the terminal's size.
///
/// Layout, top to bottom: a header line; the loss chart (left) beside the accuracy chart (right);
/// one activation histogram per hidden layer; the status bar; the key hints. Larger terminals give
/// every part more rows and columns. Below `minimumSize` it shows a one-line notice instead.
struct PaneView {
    static let minimumSize = (width: 60, height: 16)

    var state: PaneState
    var glyphs: GlyphSet
    /// Part of a comparison session: the help lists the comparison keys too, and the hints are theirs.
    var comparison = false

    init(state: PaneState, glyphs: GlyphSet, comparison: Bool = false) {
        self.state = state
        self.glyphs = glyphs
        self.comparison = comparison
    }

    func render(width: Int, height: Int) -> Buffer {
        var buffer = Buffer(width: width, height: height)
        guard width >= Self.minimumSize.width, height >= Self.minimumSize.height else {
            buffer.put(
                "terminal too small (\(width)×\(height)): dlboard needs \(Self.minimumSize.width)×\(Self.minimumSize.height) — q quits",
                x: 0, y: 0, style: .bold, maxWidth: width)
            return buffer
        }
        let area = buffer.area
        renderHeader(into: &buffer, row: 0, width: width)
        renderStatus(into: &buffer, row: height - 2, width: width)
        renderHints(into: &buffer, row: height - 1, width: width)
        let middle = Rect(x: 0, y: 1, width: width, height: height - 3)
        let histogramRows = max(5, middle.height / 3)
        let (charts, histograms) = middle.splitRows(at: middle.height - histogramRows)
        let (lossArea, accuracyArea) = charts.splitColumns(at: charts.width * 3 / 5, gap: 2)
        renderLoss(in: lossArea, into: &buffer)
        renderAccuracy(in: accuracyArea, into: &buffer)
        renderHistograms(in: histograms, into: &buffer)
        renderOverlay(in: area, into: &buffer)
        if glyphs == .ascii { Self.asciify(&buffer) }
        return buffer
    }

    /// In ASCII mode every cell must be ASCII: marker labels and notices come with arrows and signs.
    static func asciify(_ buffer: inout Buffer) {
        let map: [Character: Character] = [
            "→": ">", "↺": "@", "✗": "x", "✓": "+", "≤": "<", "·": "|", "−": "-",
            "×": "x", "÷": "/", "√": "v", "μ": "m", "σ": "s", "…": ".", "❚": "|", "—": "-",
        ]
        for y in 0..<buffer.height {
            for x in 0..<buffer.width where !buffer[x, y].character.isASCII {
                buffer[x, y].character = map[buffer[x, y].character] ?? "?"
            }
        }
    }

    // MARK: Parts

    private var unicode: Bool { glyphs != .ascii }

    private func renderHeader(into buffer: inout Buffer, row: Int, width: Int) {
        var left = "dlboard · " + (state.banner.map { "\($0) · " } ?? "") + state.datasetName
        var right = ""
        if let s = state.status {
            left += " · \(s.config.network.shapeDescription) \(s.config.network.activation.displayName)"
            right = String(format: "epoch %.2f/%d · step %d", s.epochProgress, s.epochTarget, s.step)
        }
        if state.frozen != nil { right = (unicode ? "❄ " : "* ") + "view frozen (f) · " + right }
        if !unicode {
            left = left.replacingOccurrences(of: "·", with: "|")
            right = right.replacingOccurrences(of: "·", with: "|")
        }
        buffer.put(left, x: 0, y: row, style: .bold, maxWidth: width)
        if left.count + right.count + 2 <= width { buffer.put(right, x: width - right.count, y: row, style: .plain) }
    }

    func renderLoss(in rect: Rect, into buffer: inout Buffer, color: Color = .palette(39)) {
        let losses = state.frozen?.losses ?? state.losses
        let markers = state.frozen?.markers ?? state.markers
        var title = "loss"
        if let last = losses.last { title += String(format: " %.4f", last.y) }
        if state.smoothing > 0 { title += " (smoothing \(state.smoothing))" }
        if state.logY { title += " log" }
        var chart = LineChart(
            title: title, series: [ChartSeries(name: "loss", points: losses, color: color, smoothing: state.smoothing)])
        chart.markers = markers
        chart.glyphs = glyphs
        chart.logY = state.logY
        chart.xUnit = "step"
        chart.render(in: rect, into: &buffer)
        if state.showsPathInset { renderPathInset(in: rect, into: &buffer) }
    }

    /// The current optimizer and learning rate replayed on the bowl of the book's E1, top right of
    /// the loss chart: how this update rule moves on an elongated valley.
    func renderPathInset(in rect: Rect, into buffer: inout Buffer) {
        guard let s = state.status, rect.width >= 36, rect.height >= 9 else { return }
        let lr = s.config.effectiveLearningRate
        let box = Rect(
            x: rect.maxX - min(34, rect.width / 2), y: rect.y + 1, width: min(34, rect.width / 2),
            height: min(10, rect.height - 2))
        var panel = Panel(title: "E1 bowl: \(s.config.optimizer.displayName) \(Format.number(lr))")
        panel.glyphs = glyphs
        let inner = panel.render(in: box, into: &buffer)
        let path = OptimizerPaths.path(s.config.optimizer, learningRate: lr, steps: 30)
        BowlPlot.draw(path, color: .palette(39), in: inner, into: &buffer, glyphs: glyphs)
        if let last = path.last {
            buffer.put(
                String(format: "30 steps: f %.3g", OptimizerPaths.f(last.x, last.y)), x: inner.x, y: inner.maxY - 1,
                style: .dim, maxWidth: inner.width)
        }
    }

    func renderAccuracy(in rect: Rect, into buffer: inout Buffer) {
        var series = [
            ChartSeries(name: "train", points: state.frozen?.train ?? state.trainAccuracy, color: .palette(34)),
            ChartSeries(name: "test", points: state.frozen?.test ?? state.testAccuracy, color: .palette(208)),
        ]
        if !state.validationAccuracy.isEmpty {
            series.append(ChartSeries(name: "val", points: state.validationAccuracy, color: .palette(171)))
        }
        var title = "accuracy"
        if let t = (state.frozen?.test ?? state.testAccuracy).last { title += String(format: " %.4f", t.y) }
        var chart = LineChart(title: title, series: series)
        chart.glyphs = glyphs
        chart.xUnit = "epoch"
        chart.render(in: rect, into: &buffer)
    }

    func renderHistograms(in rect: Rect, into buffer: inout Buffer) {
        guard !state.activations.isEmpty else {
            buffer.put("activations: waiting for the first steps…", in: rect, row: 1, style: .dim)
            return
        }
        let n = state.activations.count
        let perRow = max(1, min(n, rect.width / 14))
        let rows = (n + perRow - 1) / perRow
        let rowHeight = rect.height / rows
        for (i, a) in state.activations.enumerated() {
            let r = i / perRow
            let c = i % perRow
            let band = Rect(x: rect.x, y: rect.y + r * rowHeight, width: rect.width, height: rowHeight)
            let cell = band.columns(perRow, gap: 2)[c]
            var view = HistogramView(
                title: Self.histogramTitle(a, index: i + 1, width: cell.width),
                bins: a.bins, caption: Self.histogramCaption(a, unicode: unicode, width: cell.width),
                color: Self.verdictColor(a.verdict))
            view.glyphs = glyphs
            view.titleStyle = Style(foreground: Self.verdictColor(a.verdict), bold: true)
            view.render(in: cell, into: &buffer)
        }
    }

    static func histogramTitle(_ a: ActivationStatistics, index: Int, width: Int) -> String {
        let long = "layer \(index) \(a.activation.displayName) · \(a.verdict.rawValue)"
        return long.count <= width ? long : "\(index) \(a.activation.displayName) \(a.verdict.rawValue)"
    }

    static func histogramCaption(_ a: ActivationStatistics, unicode: Bool, width: Int) -> String {
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
        var caption = "\(mu)\(f(a.mean)) \(sigma)\(f(a.standardDeviation)) \(third)"
        // The histogram's upper end (ReLU's moves with the data), only when it fits whole.
        let range = (unicode ? " ≤" : " <=") + String(format: "%.1f", a.range.upperBound)
        if a.activation == .relu && caption.count + range.count <= width { caption += range }
        return caption.count <= width ? caption : String(caption.prefix(width))
    }

    static func verdictColor(_ v: ActivationStatistics.Verdict) -> Color {
        switch v {
        case .healthy: .green
        case .collapsed, .dead: .red
        case .saturated: .yellow
        }
    }

    func renderStatus(into buffer: inout Buffer, row: Int, width: Int) {
        let style = Style(reverse: true)
        buffer.fill(Rect(x: 0, y: row, width: width, height: 1), with: Cell(" ", style: style))
        guard let s = state.status else {
            buffer.put(" loading…", x: 0, y: row, style: style, maxWidth: width)
            return
        }
        let net = s.config.network
        let sep = unicode ? " │ " : " | "
        var parts = [
            "\(s.config.optimizer.displayName) lr \(Format.number(s.config.effectiveLearningRate))",
            "init \(net.initializer.displayName)",
            "BN \(net.batchNorm ? "on" : "off")",
            "dropout \(net.dropout > 0 ? Format.number(net.dropout) : "off")",
            "wd \(Format.number(net.weightDecay))",
            "\(Format.rate(s.samplesPerSecond)) samples/s",
        ]
        if let eta = s.secondsToTarget { parts.append("ETA \(Format.duration(eta))") }
        let state: String
        if s.diverged {
            state = (unicode ? "✗ " : "X ") + "diverged: lower lr (-), restart (r)"
        } else if s.finished {
            state = (unicode ? "✓ " : "+ ") + "reached \(s.epochTarget) epochs (space trains on)"
        } else if s.paused {
            state = (unicode ? "❚❚ " : "|| ") + "paused"
        } else {
            state = (unicode ? "▶ " : "> ") + "training"
        }
        parts.append(state)
        if let n = self.state.notice { parts.append(n) }
        if let w = self.state.warning { parts.insert((unicode ? "⚠ " : "! ") + w, at: 0) }
        var text = " " + parts.joined(separator: sep)
        // Drop the least important parts until it fits: ETA, then weight decay…
        while text.count > width, parts.count > 3 {
            parts.remove(at: parts.count >= 8 ? 6 : 4)
            text = " " + parts.joined(separator: sep)
        }
        let danger =
            s.diverged || self.state.warning != nil ? Style(foreground: .red, bold: true, reverse: true) : style
        buffer.put(text, x: 0, y: row, style: danger, maxWidth: width)
    }

    func renderHints(into buffer: inout Buffer, row: Int, width: Int) {
        var x = 0
        for (key, label) in comparison ? KeyMap.comparisonHints : KeyMap.hints {
            let needed = key.count + label.count + 3
            if x + needed > width { break }
            buffer.put(key, x: x, y: row, style: .bold)
            buffer.put(label, x: x + key.count + 1, y: row, style: .dim)
            x += needed
        }
    }

    func renderOverlay(in area: Rect, into buffer: inout Buffer) {
        switch state.overlay {
        case .none:
            return
        case .help:
            var bindings = KeyMap.bindings.map { ($0.keys, $0.help) }
            if !comparison {
                bindings += KeyMap.comparisonBindings.filter { $0.action == .fork }.map {
                    ($0.keys, "fork this run into a second pane (next switch applies to the fork)")
                }
            }
            if comparison {
                bindings = KeyMap.comparisonBindings.map { ($0.keys, $0.help) } + bindings
            }
            let lines = bindings.map { keys, help in
                keys.map(\.displayName).joined(separator: " ").padding(toLength: 9, withPad: " ", startingAt: 0) + help
            }
            let width = min(area.width - 2, (lines.map(\.count).max() ?? 20) + 4)
            let rect = Panel.centered(width: width, height: min(area.height, lines.count + 2), in: area)
            var panel = Panel(
                title: comparison ? "keys (single-run keys act on the focused pane) — Esc closes" : "keys — Esc closes")
            panel.glyphs = glyphs
            let inner = panel.render(in: rect, into: &buffer)
            for (i, l) in lines.enumerated() where i < inner.height {
                buffer.put(" " + l, in: inner, row: i)
                buffer.setStyle(.bold, in: Rect(x: inner.x + 1, y: inner.y + i, width: 8, height: 1))
            }
        case .confirmInitializer(let initializer):
            popup(
                title: "re-initialize?",
                lines: [
                    "Draw new weights with \(initializer.displayName)?",
                    "(optimizer state restarts too)", "", "y yes   n no",
                ], in: area, into: &buffer)
        }
    }

    private func popup(title: String, lines: [String], in area: Rect, into buffer: inout Buffer) {
        let width = (lines.map(\.count).max() ?? 10) + 6
        let rect = Panel.centered(width: width, height: lines.count + 2, in: area)
        var panel = Panel(title: title)
        panel.glyphs = glyphs
        let inner = panel.render(in: rect, into: &buffer)
        for (i, l) in lines.enumerated() { buffer.put("  " + l, in: inner, row: i) }
    }
}
