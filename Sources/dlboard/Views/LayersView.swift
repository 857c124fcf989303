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
/// Text is fitted, never cut inside a number: a field too long for its column takes a shorter form
/// or is left out, a hint too long for its lines its short form (`LayerHint.short`).
struct LayersView {
    var pane: PaneState
    var glyphs: GlyphSet
    var compact = false
    /// Whether keys steer the run (not in a replay): the hint names keys only then.
    var steerable = true

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

    /// 10^-3.0, and what a power of ten cannot say: 0 (no update), ∞ (an overflow). Weights with
    /// no spread, where ratios to them are undefined, never get here: `numbers` says "n/a".
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

    /// What W holds when it has no spread: "all 0", "all 0.5", "all -0.01" (every value is ±its
    /// mean |·|; the histogram's filled bin gives the sign).
    static func constant(_ w: LayerStatistics.Summary) -> String {
        guard w.meanAbsolute > 0 else { return "all 0" }
        let bins = w.histogram?.bins ?? []
        let negative = bins.firstIndex { $0 > 0 }.map { $0 < bins.count / 2 } ?? false
        return "all " + number(negative ? -w.meanAbsolute : w.meanAbsolute)
    }

    /// The caption under W's histogram: its range, or the one value W holds.
    static func weightCaption(_ w: LayerStatistics.Summary) -> String {
        guard let h = w.histogram else { return "" }
        return w.standardDeviation == 0 ? constant(w) : "±" + number(h.range.upperBound)
    }

    /// The first of `forms` (longest first) that fits `width`, or nil: the field is left out.
    static func fitting(_ forms: [String], _ width: Int) -> String? { forms.first { $0.count <= width } }

    /// The layer's numbers, most telling first; a row shows as many as it has lines for. Each
    /// field in the first of its forms that fits `width`; one with none that fits is left out.
    func numbers(_ s: LayerStatistics, width: Int) -> [(String, Style)] {
        let (mu, sigma, variance) = unicode ? ("μ", "σ", "σ²") : ("mu", " sd", "var")
        var fields: [([String], Style)] = []
        if LayerRatioHistory.hasNoSpread(s) {
            // Ratios to a std of 0 are 0 or ∞ by rounding alone: say why there is no number.
            let w = Self.constant(s.weight)
            fields.append((["update:data n/a (W has no spread)", "update:data n/a", "upd:data n/a"], .plain))
            fields.append((["W \(w) (no spread)", "W \(w)"], .plain))
            fields.append((["grad:data   n/a", "grad:data n/a"], .plain))
        } else {
            let ratio = s.updateToData
            let color = UpdateRatioStrip.color(LayerRatioHistory.log10Ratio(ratio))
            fields.append((["update:data " + power(ratio), "upd:data " + power(ratio)], Style(foreground: color)))
            fields.append((["grad:data   " + power(s.gradientToData), "grad:data " + power(s.gradientToData)], .plain))
        }
        if s.distinctUnits < s.units {
            fields.append(
                (
                    ["\(s.units) units, \(s.distinctUnits) distinct", "\(s.distinctUnits)/\(s.units) distinct"],
                    Style(foreground: .red)
                ))
        }
        // How far eval mode's centring is from train mode's: why test accuracy lags early on.
        if let bn = s.batchNorm { fields.append((["BN gap \(Self.number(bn.meanGap))\(sigma)"], .plain)) }
        if !LayerRatioHistory.hasNoSpread(s) {
            fields.append((["W std " + Self.number(s.weight.standardDeviation)], .plain))
        }
        if let dead = s.deadUnitFraction {
            let d = String(format: "dead %.0f%%", dead * 100)
            let forms = s.zeroFraction.map { [d + String(format: " · zeros %.0f%%", $0 * 100), d] } ?? [d]
            fields.append((forms, .plain))
        }
        if let bn = s.batchNorm {
            let (m, rm) = (Self.number(bn.batchMean), Self.number(bn.runningMean))
            let (v, rv) = (Self.number(bn.batchVariance), Self.number(bn.runningVariance))
            fields.append((["BN mean \(m) run \(rm)", "BN \(mu) \(m)/\(rm)"], .plain))
            fields.append((["BN var  \(v) run \(rv)", "BN \(variance) \(v)/\(rv)"], .plain))
        }
        return fields.compactMap { forms, style in Self.fitting(forms, width).map { ($0, style) } }
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
        let rangeEnd = buffer.put(stepRange, x: xs[4], y: rect.y + 1, style: .dim, maxWidth: numbersWidth)
        // Marker labels over the strips, where the dotted lines below them are; near the right
        // edge one may reach left over the numbers' column, up to the step range.
        let stripX = xs[5]
        for (c, label) in UpdateRatioStrip.labelPlacements(
            markers: markers, steps: steps, width: stripWidth, glyphs: glyphs, leftLimit: rangeEnd + 1 - stripX)
        {
            buffer.put(label, x: stripX + c, y: rect.y + 1, style: Style(foreground: .yellow, bold: true))
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
            } else if let short = Self.fitting(
                [verdict.name, Self.shortName(verdict, unicode: unicode)], nameWidth - name(i, of: n).count - 1)
            {
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
            histogram(
                s.weight, caption: Self.weightCaption(s.weight), captions: captions,
                color: weightBad ? .red : .palette(171),
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
    /// at spaces; its short form if it does not fit), or that all is well.
    private func renderHint(_ verdicts: [LayerVerdict], lines: Int, in rect: Rect, into buffer: inout Buffer) {
        let forms: [String]
        let style: Style
        if let w = Self.worst(verdicts),
            let line = LayerHint.line(layer: w + 1, verdict: verdicts[w], steerable: steerable)
        {
            forms =
                [line] + [LayerHint.short(layer: w + 1, verdict: verdicts[w], steerable: steerable)].compactMap { $0 }
            style = Style(foreground: Self.color(verdicts[w]))
        } else {
            forms = ["every layer healthy: updates within \(band) of the weights", "every layer healthy"]
            style = Style(foreground: .green)
        }
        // The whole sentence where it fits the lines, else the short form (cut only if even that
        // does not fit).
        let text =
            forms.first { Self.wrap($0, width: rect.width, lines: lines).joined(separator: " ") == $0 }
            ?? forms[forms.count - 1]
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

    /// The verdict in at most six letters, whole words or abbreviations that read: a pane among
    /// several is narrow.
    static let shortNameWidth = 6
    static func shortName(_ v: LayerVerdict, unicode: Bool) -> String {
        switch v {
        case .healthy: "ok"
        case .symmetric: "sym"
        case .learningRateTooHigh: unicode ? "lr↑" : "lr hi"
        case .learningRateTooLow: unicode ? "lr↓" : "lr lo"
        case .vanishing: "vanish"
        case .exploding: "expl"
        case .dead: "dead"
        }
    }

    /// A title line, a line of marker labels, one line (or up to three) per layer — number,
    /// verdict, log10 update:data, strip — and the worst layer's hint, each only while rows are
    /// left for the layers.
    private func renderCompact(
        _ sample: SessionOutput.LayerSample, verdicts: [LayerVerdict], in rect: Rect, into buffer: inout Buffer
    ) {
        let n = sample.layers.count
        let steps = self.steps ?? Double(sample.step)...Double(sample.step)
        // The marker labels say what the dotted lines are: they come before the legend, which
        // only names the band.
        let hasHint = rect.height >= n + 1
        let hasMarkers = markers.contains { steps.contains($0.x) } && rect.height >= n + 2
        let hasTitle = rect.height >= n + 2 + (hasMarkers ? 1 : 0)
        let hintLines = rect.height >= 2 + 6 * n + 3 ? 3 : (rect.height >= Self.compactHeight(layers: n) ? 2 : 1)
        let top = rect.y + (hasTitle ? 1 : 0) + (hasMarkers ? 1 : 0)
        let rows = rect.maxY - top - (hasHint ? hintLines : 0)
        guard rows >= 1 else { return }
        let wide = rect.width >= 50
        // The layer number, a space, the verdict, a space, the value (5): "10 vanish  -3.0".
        let numberWidth = String(n).count + 1
        let verdictWidth = wide ? 11 : Self.shortNameWidth
        let label = numberWidth + verdictWidth + 1 + 5
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
            // The row is free left of the strips too: a label near the right edge may reach there.
            for (c, text) in UpdateRatioStrip.labelPlacements(
                markers: markers, steps: steps, width: stripWidth, glyphs: glyphs, leftLimit: -label)
            {
                buffer.put(text, x: rect.x + label + c, y: top - 1, style: Style(foreground: .yellow, bold: true))
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
                wide ? verdict.name : Self.shortName(verdict, unicode: unicode), x: rect.x + numberWidth, y: y,
                style: Style(foreground: Self.color(verdict)), maxWidth: verdictWidth)
            let v = LayerRatioHistory.log10Ratio(s.updateToData)
            let value =
                LayerRatioHistory.hasNoSpread(s)
                ? "n/a"
                : (v.isFinite ? String(format: "%.1f", v) : (v.isNaN ? "NaN" : (v > 0 ? "+inf" : "-inf")))
            let valueStyle = LayerRatioHistory.hasNoSpread(s) ? Style.dim : Style(foreground: UpdateRatioStrip.color(v))
            buffer.put(value, x: rect.x + label - 1 - value.count, y: y, style: valueStyle)
            strip(i, steps: steps).render(
                in: Rect(x: rect.x + label, y: y, width: stripWidth, height: rowHeight), into: &buffer)
        }
        if hasHint { renderHint(verdicts, lines: hintLines, in: rect, into: &buffer) }
    }
}
