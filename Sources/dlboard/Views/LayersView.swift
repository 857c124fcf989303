import Foundation
import NN
import TUI

/// The layers view (`L`): why the run trains as it does, one row per Affine layer (the hidden
/// layers, then the output layer). Each row has the layer's name and verdict
/// (`LayerVerdict.assess`, and the activation verdict where it says more), the histograms of its
/// activations, of the backward signal arriving at it and of its weights, its numbers (std of W,
/// grad:data and update:data as powers of ten, distinct units, dead units, BatchNorm's batch and
/// running statistics) and a strip of log10(update:data) over steps with the reference band and
/// the switch markers (`UpdateRatioStrip`). The worst layer's hint (`LayerHint`) ends the view.
///
/// `compact` is the form of a pane among several: name, verdict, update:data and the strip only.
struct LayersView {
    var pane: PaneState
    var glyphs: GlyphSet
    var compact = false

    private var unicode: Bool { glyphs != .ascii }
    /// What the view draws: the live statistics, or those of the moment the view was frozen (`f`).
    private var sample: SessionOutput.LayerSample? { pane.frozenLayers.map(\.sample) ?? pane.layerSample }
    private var history: LayerRatioHistory { pane.frozenLayers?.history ?? pane.layerHistory }
    private var markers: [ChartMarker] { pane.frozen?.markers ?? pane.markers }

    /// Shown until the run has published its first per-layer statistics.
    static let collecting = "layers: collecting the first per-layer statistics…"

    func render(in rect: Rect, into buffer: inout Buffer) {
        guard !rect.isEmpty else { return }
        buffer.fill(rect)
        guard let sample, !sample.layers.isEmpty else {
            buffer.put(Self.collecting, in: rect, row: min(1, rect.height - 1), style: .dim)
            return
        }
        let verdicts = LayerVerdict.assess(sample.layers)
        if compact || rect.height < sample.layers.count + 3 || rect.width < 60 {
            renderCompact(sample, verdicts: verdicts, in: rect, into: &buffer)
        } else {
            renderFull(sample, verdicts: verdicts, in: rect, into: &buffer)
        }
    }

    // MARK: The parts

    /// "1 ReLU", …, "5 output": the 1-based Affine index the hints use, and what follows it.
    func name(_ index: Int, of count: Int) -> String {
        guard index < count - 1 else { return "\(index + 1) output" }
        let activation =
            pane.activations.indices.contains(index)
            ? pane.activations[index].activation : pane.status?.config.network.activation
        return "\(index + 1) " + (activation?.displayName ?? "hidden")
    }

    /// The steps across every strip of the pane.
    var steps: ClosedRange<Double>? { history.steps }

    func strip(_ layer: Int, steps: ClosedRange<Double>) -> UpdateRatioStrip {
        let points = history.series.indices.contains(layer) ? history.series[layer] : []
        return UpdateRatioStrip(points: points, steps: steps, markers: markers, glyphs: glyphs)
    }

    /// The worst verdict's hint is the one to act on first: the first layer with the most severe verdict; nil when every layer is healthy.
    static func worst(_ verdicts: [LayerVerdict]) -> Int? {
        var worst: Int?
        for i in verdicts.indices where severity(verdicts[i]) > 0 {
            if worst.map({ severity(verdicts[i]) > severity(verdicts[$0]) }) ?? true { worst = i }
        }
        return worst
    }

    /// How urgently a verdict asks for a change: a layer that cannot learn at all first, a learning
    /// rate that blows a layer up next, a slow layer last.
    static func severity(_ v: LayerVerdict) -> Int {
        switch v {
        case .healthy: 0
        case .learningRateTooLow: 1
        case .dead: 2
        case .vanishing: 3
        case .exploding: 4
        case .learningRateTooHigh: 5
        case .symmetric: 6
        }
    }

    static func color(_ v: LayerVerdict) -> Color {
        switch v {
        case .healthy: .green
        case .learningRateTooLow: .yellow
        case .symmetric, .learningRateTooHigh, .vanishing, .exploding, .dead: .red
        }
    }

    /// 10^-3.0, and what a power of ten cannot say: 0 (no update), ∞ (weights with no spread).
    func power(_ ratio: Float) -> String {
        if ratio.isNaN { return "NaN" }
        if ratio == 0 { return "0" }
        if ratio.isInfinite { return unicode ? "∞" : "inf" }
        return String(format: "10^%.1f", log10(Double(ratio)))
    }

    /// 0.0812, 3.1e-05: three significant digits at most.
    static func number(_ v: Float) -> String {
        guard v.isFinite else { return v.isNaN ? "NaN" : (v > 0 ? "inf" : "-inf") }
        return String(format: "%.3g", Double(v))
    }

    /// The layer's numbers, most telling first; a row shows as many as it has lines for.
    func numbers(_ s: LayerStatistics, width: Int) -> [(String, Style)] {
        let ratio = s.updateToData
        var lines: [(String, Style)] = [
            (
                "update:data " + power(ratio),
                Style(foreground: UpdateRatioStrip.color(LayerRatioHistory.log10Ratio(ratio)))
            ),
            ("grad:data   " + power(s.gradientToData), .plain),
        ]
        var more: [(String, Style)] = []
        if s.distinctUnits < s.units {
            more.append(("\(s.units) units, \(s.distinctUnits) distinct", Style(foreground: .red)))
        }
        more.append(("W std " + Self.number(s.weight.standardDeviation), .plain))
        if let dead = s.deadUnitFraction {
            let zeros = s.zeroFraction.map { String(format: " · zeros %.0f%%", $0 * 100) } ?? ""
            more.append((String(format: "dead %.0f%%", dead * 100) + zeros, .plain))
        }
        if let bn = s.batchNorm {
            more.append(("BN mean \(Self.number(bn.batchMean)) run \(Self.number(bn.runningMean))", .plain))
            more.append(("BN var  \(Self.number(bn.batchVariance)) run \(Self.number(bn.runningVariance))", .plain))
        }
        lines += more
        return lines.map { (String($0.0.prefix(width)), $0.1) }
    }

    // MARK: Full

    private func renderFull(
        _ sample: SessionOutput.LayerSample, verdicts: [LayerVerdict], in rect: Rect, into buffer: inout Buffer
    ) {
        let layers = sample.layers
        let n = layers.count
        let nameWidth = 12
        let numbersWidth = rect.width >= 140 ? 28 : 22
        let rest = rect.width - nameWidth - numbersWidth - 5
        let histogramWidth = min(24, max(5, rest / 6))
        let stripWidth = rest - 3 * histogramWidth
        let columns = [nameWidth, histogramWidth, histogramWidth, histogramWidth, numbersWidth, stripWidth]
        var xs: [Int] = []
        var x = rect.x
        for w in columns {
            xs.append(x)
            x += w + 1
        }
        let rowHeight = max(1, (rect.height - 3) / n)
        let wide = histogramWidth >= 14
        let steps = self.steps ?? Double(sample.step)...Double(sample.step)
        let stepRange =
            steps.lowerBound == steps.upperBound
            ? "step \(Int(steps.lowerBound))"
            : "steps \(Int(steps.lowerBound))" + (unicode ? "–" : "-") + "\(Int(steps.upperBound))"
        // The strip's title starts over the numbers, which need none: the band must be named.
        let titles = [
            "layer", wide ? "activations" : "act", (wide ? "backward " : "") + (unicode ? "∂L/∂y" : "dL/dy"),
            wide ? "weights W" : "W",
        ]
        for (k, t) in titles.enumerated() {
            buffer.put(t, x: xs[k], y: rect.y, style: .dim, maxWidth: columns[k])
        }
        // The band's swatch after its name, drawn as the band is.
        let stripTitle = "log10 update:data · band \(band) "
        let titleX = max(xs[4], xs[5] + stripWidth - stripTitle.count - 1)
        let end = buffer.put(stripTitle, x: titleX, y: rect.y, style: .dim, maxWidth: rect.maxX - titleX)
        if end < rect.maxX {
            buffer.put(String(UpdateRatioStrip.bandGlyph(glyphs)), x: end, y: rect.y, style: UpdateRatioStrip.bandStyle)
        }
        buffer.put(stepRange, x: xs[4], y: rect.y + 1, style: .dim, maxWidth: numbersWidth)
        // Marker labels over the strips, where the dotted lines below them are.
        let stripX = xs[5]
        var taken = 0
        for m in markers where steps.contains(m.x) {
            let c = UpdateRatioStrip.cellColumn(of: m.x, steps: steps, width: stripWidth, glyphs: glyphs)
            let start = max(taken, min(c, stripWidth - m.label.count))
            guard start < stripWidth else { break }
            buffer.put(
                m.label, x: stripX + start, y: rect.y + 1, style: Style(foreground: .yellow, bold: true),
                maxWidth: stripWidth - start)
            taken = start + m.label.count + 1
        }
        let activationVerdicts = ActivationStatistics.verdicts(pane.activations)
        for (i, s) in layers.enumerated() {
            let y = rect.y + 2 + i * rowHeight
            let verdict = verdicts[i]
            let hidden = i < n - 1
            let activation = hidden && pane.activations.indices.contains(i) ? pane.activations[i] : nil
            let activationVerdict = activation.map { _ in activationVerdicts[i] }
            // Name and verdicts.
            buffer.put(name(i, of: n), x: xs[0], y: y, style: .bold, maxWidth: nameWidth)
            if rowHeight >= 2 {
                buffer.put(
                    verdict.name, x: xs[0], y: y + 1, style: Style(foreground: Self.color(verdict), bold: true),
                    maxWidth: nameWidth)
            } else {
                let short = String(verdict.name.prefix(nameWidth - name(i, of: n).count - 1))
                buffer.put(
                    short, x: xs[0] + nameWidth - short.count, y: y, style: Style(foreground: Self.color(verdict)))
            }
            if rowHeight >= 3, let av = activationVerdict, av != .healthy {
                buffer.put(
                    "act " + av.rawValue, x: xs[0], y: y + 2,
                    style: Style(foreground: ActivationHistogramsView.verdictColor(av)), maxWidth: nameWidth)
            }
            // Histograms.
            let captions = rowHeight >= 5
            if let a = activation, let av = activationVerdict {
                var h = HistogramView(
                    title: "", bins: a.bins,
                    caption: ActivationHistogramsView.caption(a, unicode: unicode, width: histogramWidth),
                    color: ActivationHistogramsView.verdictColor(av))
                h.glyphs = glyphs
                h.showsTitle = false
                h.showsCaption = captions
                h.render(in: Rect(x: xs[1], y: y, width: histogramWidth, height: rowHeight), into: &buffer)
            } else if !hidden && histogramWidth >= 7 {
                buffer.put("softmax", x: xs[1], y: y, style: .dim)
            }
            let signalBad: Bool
            switch verdict {
            case .vanishing, .exploding: signalBad = true
            default: signalBad = false
            }
            histogram(
                s.backwardSignal, caption: "|·| " + Self.number(s.backwardSignal.meanAbsolute), captions: captions,
                color: signalBad ? .red : .palette(39),
                in: Rect(x: xs[2], y: y, width: histogramWidth, height: rowHeight), into: &buffer)
            let weightBad: Bool
            if case .symmetric = verdict { weightBad = true } else { weightBad = false }
            let range = s.weight.histogram.map { "±" + Self.number($0.range.upperBound) } ?? ""
            histogram(
                s.weight, caption: range, captions: captions, color: weightBad ? .red : .palette(171),
                in: Rect(x: xs[3], y: y, width: histogramWidth, height: rowHeight), into: &buffer)
            // Numbers: update:data and grad:data, then as many of the rest as there are rows.
            for (k, line) in numbers(s, width: numbersWidth).prefix(rowHeight).enumerated() {
                buffer.put(line.0, x: xs[4], y: y + k, style: line.1)
            }
            strip(i, steps: steps).render(
                in: Rect(x: stripX, y: y, width: stripWidth, height: rowHeight), into: &buffer)
        }
        let below = rect.maxY - (rect.y + 2 + n * rowHeight)
        renderHint(verdicts, lines: min(3, max(1, below)), in: rect, into: &buffer)
    }

    private func histogram(
        _ summary: LayerStatistics.Summary, caption: String, captions: Bool, color: Color, in rect: Rect,
        into buffer: inout Buffer
    ) {
        guard let h = summary.histogram else { return }
        var view = HistogramView(title: "", bins: h.bins, caption: caption, color: color)
        view.glyphs = glyphs
        view.showsTitle = false
        view.showsCaption = captions
        view.render(in: rect, into: &buffer)
    }

    /// The band as the view writes it ("10^-4…10^-2"; two dots in ASCII, where … would be one).
    var band: String {
        let b = LayerVerdict.updateRatioBand
        return "10^\(Int(b.lowerBound))" + (unicode ? "…" : "..") + "10^\(Int(b.upperBound))"
    }

    /// The worst layer's hint in its verdict's colour on the last `lines` rows of `rect` (wrapped
    /// at spaces, cut with … if it still does not fit), or that all is well.
    private func renderHint(_ verdicts: [LayerVerdict], lines: Int, in rect: Rect, into buffer: inout Buffer) {
        let text: String
        let style: Style
        if let w = Self.worst(verdicts), let line = LayerHint.line(layer: w + 1, verdict: verdicts[w]) {
            text = line
            style = Style(foreground: Self.color(verdicts[w]))
        } else {
            text = "every layer healthy: updates within \(band) of the weights"
            style = Style(foreground: .green)
        }
        let wrapped = Self.wrap(text, width: rect.width, lines: lines)
        for (k, l) in wrapped.enumerated() {
            buffer.put(l, x: rect.x, y: rect.maxY - wrapped.count + k, style: style, maxWidth: rect.width)
        }
    }

    /// `text` in at most `lines` lines of `width`, broken at spaces; the last line cut with "…".
    static func wrap(_ text: String, width: Int, lines: Int) -> [String] {
        guard width > 1, lines > 0 else { return [] }
        var out: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty && out.count < lines {
            if rest.count <= width || out.count == lines - 1 {
                out.append(rest.count <= width ? String(rest) : String(rest.prefix(width - 1)) + "…")
                break
            }
            let head = rest.prefix(width + 1)
            let cut = head.lastIndex(of: " ").map { rest.distance(from: rest.startIndex, to: $0) } ?? width
            out.append(String(rest.prefix(max(1, cut))))
            rest = rest.dropFirst(max(1, cut)).drop { $0 == " " }
        }
        return out
    }

    // MARK: Compact

    /// Rows the compact form needs for strips of three rows (the band a third of each) and a hint
    /// of two lines: its title, the marker labels, the layers, the hint.
    static func compactHeight(layers: Int) -> Int { 2 + 3 * layers + 2 }

    /// The verdict in at most five letters: a pane among several is narrow.
    static func shortName(_ v: LayerVerdict) -> String {
        switch v {
        case .learningRateTooHigh: "lr hi"
        case .learningRateTooLow: "lr lo"
        default: String(v.name.prefix(4))
        }
    }

    /// A title line, a line of marker labels, one line (or up to three) per layer — number,
    /// verdict, log10 update:data, strip — and the worst layer's hint, each only while rows are
    /// left for the layers.
    private func renderCompact(
        _ sample: SessionOutput.LayerSample, verdicts: [LayerVerdict], in rect: Rect, into buffer: inout Buffer
    ) {
        let n = sample.layers.count
        let hasHint = rect.height >= n + 1
        let hasTitle = rect.height >= n + 2
        let hasMarkers = rect.height >= n + 3
        let hintLines = rect.height >= 2 + 6 * n + 3 ? 3 : (rect.height >= Self.compactHeight(layers: n) ? 2 : 1)
        let top = rect.y + (hasTitle ? 1 : 0) + (hasMarkers ? 1 : 0)
        let rows = rect.maxY - top - (hasHint ? hintLines : 0)
        guard rows >= 1 else { return }
        let steps = self.steps ?? Double(sample.step)...Double(sample.step)
        let wide = rect.width >= 50
        let verdictWidth = wide ? 11 : 5
        let label = 2 + verdictWidth + 1 + 5
        let stripWidth = rect.width - label
        if hasTitle {
            let end = buffer.put(
                "log10 update:data · band \(band) ", x: rect.x, y: rect.y, style: .dim, maxWidth: rect.width)
            if end < rect.maxX {
                buffer.put(
                    String(UpdateRatioStrip.bandGlyph(glyphs)), x: end, y: rect.y, style: UpdateRatioStrip.bandStyle)
            }
        }
        if hasMarkers {
            var taken = 0
            for m in markers where steps.contains(m.x) {
                let c = UpdateRatioStrip.cellColumn(of: m.x, steps: steps, width: stripWidth, glyphs: glyphs)
                let start = max(taken, min(c, stripWidth - m.label.count))
                guard start < stripWidth else { break }
                buffer.put(
                    m.label, x: rect.x + label + start, y: top - 1, style: Style(foreground: .yellow, bold: true),
                    maxWidth: stripWidth - start)
                taken = start + m.label.count + 1
            }
        }
        // Strips of 1, 2, 3 or 6 rows: from three rows on, the band is a whole number of them.
        let rowHeight = rows / n >= 6 ? 6 : min(3, max(1, rows / n))
        for (i, s) in sample.layers.enumerated() {
            let y = top + i * rowHeight
            guard y + rowHeight <= top + rows else { break }
            let verdict = verdicts[i]
            buffer.put("\(i + 1)", x: rect.x, y: y, style: .bold)
            buffer.put(
                wide ? verdict.name : Self.shortName(verdict), x: rect.x + 2, y: y,
                style: Style(foreground: Self.color(verdict)), maxWidth: verdictWidth)
            let v = LayerRatioHistory.log10Ratio(s.updateToData)
            let value = v.isFinite ? String(format: "%.1f", v) : (v.isNaN ? "NaN" : (v > 0 ? "+inf" : "-inf"))
            buffer.put(
                value, x: rect.x + label - 1 - value.count, y: y, style: Style(foreground: UpdateRatioStrip.color(v)))
            strip(i, steps: steps).render(
                in: Rect(x: rect.x + label, y: y, width: stripWidth, height: rowHeight), into: &buffer)
        }
        if hasHint { renderHint(verdicts, lines: hintLines, in: rect, into: &buffer) }
    }
}
