import Foundation
import NN
import TUI
import Testing

@testable import dlboard

/// The layers view (`L`) from fixed states: one row per layer with its histograms, numbers and
/// update:data strip, in a single pane and compact in a comparison; its history kept bounded.
@Suite struct LayersViewTests {
    /// Per-layer statistics of one real SGD step of a 20-50-50-50-50-10 ReLU network on fixed
    /// inputs: deterministic.
    static func realLayers(initializer: Initializer = .he, seed: UInt64 = 3) -> [LayerStatistics] {
        var config = NetworkConfig(inputSize: 20, hidden: [50, 50, 50, 50])
        config.initializer = initializer
        let net = Network(config: config, seed: seed)
        var g = SeededGenerator(seed: 11)
        let x = Matrix(rows: 100, cols: 20)
        for i in 0..<x.count { x.pointer[i] = g.nextNormal() }
        let labels = (0..<100).map { Int32($0 % 10) }
        net.gradient(x, labels: labels)
        let before = net.affines.map { $0.weight.value.copy() }
        SGD(learningRate: 0.1).update(net.parameters)
        return net.layerStatistics(weightsBefore: before)
    }

    /// `layers` with each layer's update:data set to 10^`log10Ratios[i]` (by scaling std ΔW).
    static func withRatios(_ layers: [LayerStatistics], _ log10Ratios: [Double]) -> [LayerStatistics] {
        zip(layers, log10Ratios).map { s, r in
            var s = s
            s.update.standardDeviation = s.weight.standardDeviation * Float(pow(10, r))
            return s
        }
    }

    /// The dashboard's fixed state (markers "→ Momentum" at 400 and "+BN" at 800, step 1200) with
    /// a sample every 50 steps: before BatchNorm the output layer's updates are too high (red)
    /// and the others above the band (yellow); after it every layer settles into the band; the
    /// last sample has layer 4 spiking too high. The hidden layers carry BatchNorm's statistics.
    static func fixedState() -> PaneState {
        var s = DashboardSnapshotTests.fixedState()
        s.showsLayers = true
        let real = realLayers()
        for step in stride(from: 50, through: 1200, by: 50) {
            let ratios: [Double] =
                step < 800
                ? [-1.8, -1.7, -1.9, -1.75, -0.8]
                : [-3.0, -2.9, -3.1, step == 1200 ? -0.7 : -3.2, -2.6]
            var layers = withRatios(real, ratios)
            if step >= 800 {
                for i in 0..<4 {
                    layers[i].batchNorm = BatchNormStatistics(
                        batchMean: 0.012, runningMean: 0.004 * Float(i), batchVariance: 1.02,
                        runningVariance: 0.8, meanGap: 0.05)
                }
            }
            s.apply(SessionOutput(layerSamples: [.init(step: step, layers: layers)]))
        }
        return s
    }

    static func render(_ s: PaneState, _ width: Int, _ height: Int, glyphs: GlyphSet = .braille) -> Buffer {
        var d = DashboardState(datasetName: "MNIST")
        d.panes = [.init(id: 0, state: s)]
        return DashboardView(state: d, glyphs: glyphs).render(width: width, height: height)
    }

    /// The foreground colours of the strip cells (braille) on the screen rows holding `text`.
    static func stripColors(_ buffer: Buffer, row: Int) -> Set<Color> {
        Set(
            (0..<buffer.width).map { buffer[$0, row] }.filter { ("\u{2801}"..."\u{28FF}").contains($0.character) }
                .compactMap(\.style.foreground))
    }

    @Test(arguments: [(80, 24), (160, 48)])
    func singlePane(width: Int, height: Int) throws {
        let buffer = Self.render(Self.fixedState(), width, height)
        try DashboardSnapshotTests.check(buffer, "layers-\(width)x\(height)")
        let text = buffer.text
        for name in ["1 ReLU", "2 ReLU", "3 ReLU", "4 ReLU", "5 output"] { #expect(text.contains(name)) }
        #expect(text.contains("update:data 10^-0.7"), "layer 4's last ratio as a power of ten")
        #expect(text.contains("band 10^-4…10^-2"), "the reference band is named")
        #expect(text.contains("+BN"), "the BatchNorm switch is labelled over the strips")
        // The worst layer's hint, from LayerHint, in red; the layer's verdict in red too.
        let hint = LayerHint.line(layer: 4, verdict: LayerVerdict.assess(Self.fixedState().layerSample!.layers)[3])!
        #expect(text.contains(String(hint.prefix(40))))
        #expect(DashboardSnapshotTests.style(of: String(hint.prefix(20)), in: buffer)?.foreground == .red)
        let tooHigh = LayerVerdict.learningRateTooHigh(log10UpdateRatio: -0.7).name
        #expect(DashboardSnapshotTests.style(of: tooHigh, in: buffer)?.foreground == .red)
        // Strips: the output layer's row holds red (too high before BN) and green (in the band after).
        let row = (0..<buffer.height).first { buffer.line($0).contains("5 output") }!
        let above = (0..<buffer.height).first { buffer.line($0).contains("4 ReLU") }!
        let rows = row..<(row + row - above)
        let colors = rows.reduce(into: Set<Color>()) { $0.formUnion(Self.stripColors(buffer, row: $1)) }
        #expect(colors.contains(.red) && colors.contains(.green), "\(colors)")
        // The marker's dotted line on the strips.
        #expect(rows.contains { buffer.line($0).contains("┊") })
        if height >= 48 {
            #expect(text.contains("BN mean 0.012 run 0.012"), "layer 4's batch and running mean")
            #expect(text.contains("W std "))
            #expect(text.contains("dead "))
        }
    }

    @Test func theBandIsDrawnBehindTheStrips() {
        let buffer = Self.render(Self.fixedState(), 160, 48)
        let band = buffer.cells.filter { $0.character == "░" }
        #expect(!band.isEmpty && band.allSatisfy { $0.style == Style(foreground: .green, dim: true) })
    }

    @Test(arguments: [(80, 24), (160, 48)])
    func fourPanesCompact(width: Int, height: Int) throws {
        var d = DashboardViewTests.fixedState(runs: 4)
        let sample = Self.fixedState()
        for i in d.panes.indices {
            d.panes[i].state.layerHistory = sample.layerHistory
            d.panes[i].state.layerSample = sample.layerSample
        }
        // The toggle on the focused pane applies to every pane, as the other view settings do.
        #expect(d.handle(.character("L")).isEmpty)
        #expect(d.panes.allSatisfy { $0.state.showsLayers })
        let buffer = DashboardView(state: d, glyphs: .braille).render(width: width, height: height)
        try DashboardSnapshotTests.check(buffer, "layers-compare-4-\(width)x\(height)")
        let text = buffer.text
        for t in ["1 · SGD", "2 · Adam", "3 · Momentum", "4 · AdaGrad"] { #expect(text.contains(t)) }
        #expect(!text.contains("accuracy"), "the layers replace the charts")
        // Every pane shows five layers with coloured strips.
        let redRows = (0..<buffer.height).filter { Self.stripColors(buffer, row: $0).contains(.red) }
        #expect(!redRows.isEmpty)
        #expect(d.handle(.character("L")).isEmpty && d.panes.allSatisfy { !$0.state.showsLayers })
    }

    @Test func collectingUntilTheFirstSample() {
        var s = DashboardSnapshotTests.fixedState()
        s.showsLayers = true
        #expect(Self.render(s, 80, 24).text.contains(LayersView.collecting))
        var d = DashboardViewTests.fixedState(runs: 2)
        for i in d.panes.indices { d.panes[i].state.showsLayers = true }
        #expect(DashboardView(state: d, glyphs: .braille).render(width: 80, height: 24).text.contains("collecting"))
    }

    /// All zeros: W has no spread (update:data undefined: "n/a" and a gap on the strip, whether
    /// rounding makes the ratio 0 or ∞) and every unit is a copy of the others.
    @Test func zerosInitIsShownNotCrashed() {
        var s = DashboardSnapshotTests.fixedState()
        s.showsLayers = true
        var layers = Self.realLayers(initializer: .zeros)
        layers[0].update.standardDeviation = 0
        layers[1].weight.standardDeviation = 0
        layers[1].update.standardDeviation = 0.01
        layers[2].update.standardDeviation = .nan
        s.apply(SessionOutput(layerSamples: [.init(step: 100, layers: layers), .init(step: 150, layers: layers)]))
        #expect(s.layerHistory.series[1].last?.y.isNaN == true, "a gap where update:data would be ∞")
        #expect(s.layerHistory.series[0].last?.y.isNaN == true, "a gap where update:data would be 0")
        let verdicts = LayerVerdict.assess(layers)
        #expect(verdicts.contains { if case .symmetric = $0 { true } else { false } })
        for (w, h) in [(80, 24), (160, 48), (60, 16)] {
            let text = Self.render(s, w, h).text
            #expect(text.contains(LayerVerdict.symmetric(units: 50, distinct: 1).name), "\(w)×\(h)")
        }
        let wide = Self.render(s, 160, 48).text
        #expect(wide.contains("50 units, 1 distinct"))
        #expect(wide.contains("update:data n/a") && !wide.contains("update:data ∞"))
        let hint = LayerHint.line(layer: 1, verdict: verdicts[0]) ?? "?"
        #expect(wide.contains(String(hint.prefix(30))), "the symmetric layer's hint")
        let ascii = Self.render(s, 160, 48, glyphs: .ascii).text
        #expect(ascii.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(ascii.contains("update:data n/a"))
    }

    @Test func asciiFallback() {
        for (w, h) in [(80, 24), (160, 48)] {
            let text = Self.render(Self.fixedState(), w, h, glyphs: .ascii).text
            #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "\(w)×\(h)")
            #expect(text.contains("5 output") && text.contains("+BN"))
            #expect(text.contains("dL/dy") && text.contains("steps 50-1200") && text.contains("band 10^-4..10^-2"))
        }
        var d = DashboardViewTests.fixedState(runs: 4)
        for i in d.panes.indices { d.panes[i].state = Self.fixedState() }
        let text = DashboardView(state: d, glyphs: .ascii).render(width: 80, height: 24).text
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func smallTerminalsDegrade() {
        // The smallest screen still names every layer; below it the one-line notice.
        let small = Self.render(Self.fixedState(), 60, 16)
        for i in 1...5 { #expect(small.text.contains("\(i) "), "layer \(i) at 60×16") }
        #expect(Self.render(Self.fixedState(), 59, 16).line(0).hasPrefix("terminal too small"))
        for (w, h) in [(60, 16), (61, 17), (200, 50), (300, 90)] { _ = Self.render(Self.fixedState(), w, h) }
        var d = DashboardViewTests.fixedState(runs: 4)
        for i in d.panes.indices { d.panes[i].state = Self.fixedState() }
        _ = DashboardView(state: d, glyphs: .braille).render(width: 60, height: 16)
    }

    @Test func worstVerdictWins() {
        #expect(LayersView.worst([.healthy, .healthy]) == nil)
        #expect(LayersView.worst([.learningRateTooLow(log10UpdateRatio: -6), .healthy]) == 0)
        #expect(
            LayersView.worst([
                .learningRateTooLow(log10UpdateRatio: -6), .learningRateTooHigh(log10UpdateRatio: -1),
                .learningRateTooHigh(log10UpdateRatio: -0.5),
            ]) == 1, "the first of the most severe")
        #expect(LayersView.worst([.dead(fraction: 0.9), .symmetric(units: 50, distinct: 1)]) == 1)
    }

    @Test func stripColoursFollowTheBand() {
        #expect(UpdateRatioStrip.color(-3) == .green)
        #expect(UpdateRatioStrip.color(-4) == .green && UpdateRatioStrip.color(-2) == .green)
        #expect(UpdateRatioStrip.color(-1.7) == .yellow, "between the band and too high")
        #expect(UpdateRatioStrip.color(-5) == .yellow, "below the band")
        #expect(UpdateRatioStrip.color(-0.9) == .red && UpdateRatioStrip.color(.infinity) == .red)
        #expect(UpdateRatioStrip.color(-1) == .yellow, "the threshold itself is not too high")
        #expect(UpdateRatioStrip.color(-.infinity) == .yellow)
    }

    // MARK: History

    @Test func historyStaysBoundedAndInOrder() {
        var s = DashboardSnapshotTests.fixedState()
        s.markers = [ChartMarker(x: 1_200, label: "+BN")]
        let layers = Self.realLayers()
        var step = 0
        for _ in 0..<200 {
            let samples = (0..<100).map { _ -> SessionOutput.LayerSample in
                step += 50
                return .init(step: step, layers: layers)
            }
            s.apply(SessionOutput(layerSamples: samples))
        }
        #expect(s.layerSample?.step == 1_000_000, "the latest sample is kept whole")
        #expect(s.layerHistory.series.count == 5)
        for series in s.layerHistory.series {
            #expect(series.count <= LayerRatioHistory.maxPoints)
            #expect(series.count > LayerRatioHistory.maxPoints / 2, "compaction keeps most of the cap")
            let newest = series.last?.x ?? 0
            #expect(newest > 1_000_000 - Double(s.layerHistory.stride * 50), "the newest point holds the newest steps")
            #expect(zip(series, series.dropFirst()).allSatisfy { $0.x < $1.x })
        }
        #expect(s.layerHistory.steps == 50...1_000_000, "the strips span the whole run")
        #expect((s.layerHistory.series[0].first?.x ?? .infinity) < 1_200, "the oldest steps stay, merged")
        // The marker outlives the compaction and still shows on the strips at its step.
        s.showsLayers = true
        #expect(s.markers.contains { $0.label == "+BN" })
        let buffer = Self.render(s, 160, 48)
        let row = (0..<buffer.height).first { buffer.line($0).contains("1 ReLU") }!
        #expect(buffer.line(row).contains("┊"), "the marker at step 1,200 of 1,000,000 is on the strip")
    }

    @Test func compactionMergesEvenlyAndKeepsInfinitiesVisible() {
        var h = LayerRatioHistory()
        var layers = Array(Self.realLayers().prefix(1))
        let n = LayerRatioHistory.maxPoints + 3
        for step in 1...n {
            // update:data 10^-3 but for one infinite sample (an update that overflowed).
            layers[0].update.standardDeviation = step == 2 ? .infinity : layers[0].weight.standardDeviation * 1e-3
            h.append(.init(step: step, layers: layers))
        }
        #expect(h.stride == 2 && h.series[0].count == (n + 1) / 2)
        // Pairs of steps: (1, 2), (3, 4), …, and the newest, alone.
        #expect(h.series[0].first?.x == 1.5 && h.series[0].last?.x == Double(n))
        #expect(h.series[0][0].y == .infinity, "the infinite sample is not averaged away")
        #expect(abs(h.series[0][1].y + 3) < 1e-4)
        // The next sample joins the newest point, which then stands for two steps.
        h.append(.init(step: n + 1, layers: layers))
        #expect(h.series[0].count == (n + 1) / 2 && h.series[0].last?.x == Double(n) + 0.5)
        h.append(.init(step: n + 2, layers: layers))
        #expect(h.series[0].count == (n + 1) / 2 + 1 && h.lastCount == 1)
    }

    @Test func anotherNetworkStartsOverAndStaleStepsAreDropped() {
        var h = LayerRatioHistory()
        let layers = Self.realLayers()
        h.append(.init(step: 100, layers: layers))
        h.append(.init(step: 100, layers: layers))
        h.append(.init(step: 50, layers: layers))
        #expect(h.series.map(\.count) == [1, 1, 1, 1, 1])
        h.append(.init(step: 150, layers: Array(layers.prefix(3))))
        #expect(h.layers == ["Affine1", "Affine2", "Affine3"] && h.series.map(\.count) == [1, 1, 1])
    }

    @Test func aForkInheritsTheHistoryUpToItsStep() {
        let parent = Self.fixedState()
        var fork = PaneState(datasetName: "MNIST")
        fork.inheritHistory(from: parent, upTo: 600)
        #expect(fork.layerHistory.series.allSatisfy { $0.last?.x == 600 })
        #expect(fork.layerSample == nil, "the parent's latest sample is after the fork")
        #expect(fork.showsLayers)
    }

    /// The session's apply passes samples on even when nothing else came (a paused run's n).
    @Test func dashboardStateAppliesSamplesAlone() {
        var d = DashboardState(datasetName: "MNIST")
        let status = DashboardSnapshotTests.fixedState().status
        var first = TrainingSession.Snapshot()
        first.order = [0]
        first.runs[0] = SessionOutput(status: status)
        _ = d.apply(first)
        var next = TrainingSession.Snapshot()
        next.order = [0]
        next.runs[0] = SessionOutput(status: status, layerSamples: [.init(step: 1200, layers: Self.realLayers())])
        let changed = d.apply(next)
        #expect(changed)
        #expect(d.panes[0].state.layerSample?.step == 1200)
    }

    // MARK: Keys

    @Test func theKeyTogglesTheViewOnly() {
        #expect(KeyMap.action(for: .character("L")) == .toggleLayers)
        #expect(KeyMap.bindings.first { $0.action == .toggleLayers }?.help.hasPrefix("layers view") == true)
        var s = DashboardSnapshotTests.fixedState()
        #expect(s.handle(.character("L")).isEmpty && s.showsLayers, "a view key: no command for the trainer")
        #expect(Self.render(s, 80, 24).text.contains("5 output") || Self.render(s, 80, 24).text.contains("collecting"))
        #expect(s.handle(.character("L")).isEmpty && !s.showsLayers)
        #expect(Self.render(s, 80, 24).text.contains("accuracy"))
        #expect(ReplayScreen.viewActions.contains(.toggleLayers), "a replay shows the layers view too")
    }

    @Test func freezingKeepsTheLayersAsTheyWere() {
        var s = Self.fixedState()
        let before = Self.render(s, 120, 36).text
        #expect(s.handle(.character("f")).isEmpty)
        let layers = Self.withRatios(Self.realLayers(), [-0.5, -0.5, -0.5, -0.5, -0.5])
        s.apply(SessionOutput(layerSamples: [.init(step: 1250, layers: layers)]))
        #expect(s.layerSample?.step == 1250, "the data goes on underneath")
        let frozen = Self.render(s, 120, 36).text
        #expect(frozen.contains("update:data 10^-0.7") && !frozen.contains("update:data 10^-0.5"))
        #expect(frozen.contains("view frozen (f)"))
        #expect(
            frozen.split(separator: "\n").dropFirst() == before.split(separator: "\n").dropFirst(), "all but the header"
        )
        _ = s.handle(.character("f"))
        #expect(Self.render(s, 120, 36).text.contains("update:data 10^-0.5"), "live again")
    }

    /// A replay takes L as a view key (not "cannot be steered") and shows the view in every pane.
    @Test func aReplayShowsTheLayersView() throws {
        let path = ReplayTests.temporaryPath("layers.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try ReplayTests.recordSession(to: path)
        var screen = ReplayScreen(records: [try RunRecordReader.read(path: path)], speed: nil)
        _ = screen.handle(.character("L"))
        #expect(screen.state.notice == nil)
        #expect(!screen.state.panes.isEmpty && screen.state.panes.allSatisfy { $0.state.showsLayers })
        let text = screen.render(width: 120, height: 40, glyphs: .braille).text
        #expect(text.contains("log10 update:data") || text.contains("collecting"))
        #expect(!text.contains("accuracy"))
    }
}
