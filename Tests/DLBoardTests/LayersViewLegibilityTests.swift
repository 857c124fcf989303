import Foundation
import NN
import TUI
import Testing

@testable import dlboard

/// The layers view says what it knows and no more: markers visible in the smallest strips, no
/// number for a ratio to weights without spread, BatchNorm's gap, no number cut so that it reads
/// as another, hints and verdicts that fit, and keys only where keys steer.
@Suite struct LayersViewLegibilityTests {
    /// A comparison of four runs with the layers view on: each pane with the fixed state's
    /// samples and its markers ("→ Momentum" at 400, "+BN" at 800).
    static func fourPanes() -> DashboardState {
        var d = DashboardViewTests.fixedState(runs: 4)
        let sample = LayersViewTests.fixedState()
        for i in d.panes.indices {
            d.panes[i].state.layerHistory = sample.layerHistory
            d.panes[i].state.layerSample = sample.layerSample
            d.panes[i].state.markers = sample.markers
            d.panes[i].state.showsLayers = true
        }
        return d
    }

    /// The text of the cells in columns `xs` and rows `ys`.
    static func region(_ b: Buffer, _ xs: Range<Int>, _ ys: Range<Int>) -> [String] {
        ys.map { y in String(xs.map { b[$0, y].character }) }
    }

    // MARK: Markers

    /// The top panes at 80×24 have one-row strips and one row fewer than the bottom ones.
    @Test func markersShowInOneRowStrips() throws {
        let buffer = DashboardView(state: Self.fourPanes(), glyphs: .braille).render(width: 80, height: 24)
        let pane1 = Self.region(buffer, 0..<40, 1..<12)
        #expect(
            pane1.contains { $0.contains("+BN") }, "the switch is labelled in pane 1:\n\(pane1.joined(separator: "\n"))"
        )
        let stripRows = (1..<12).filter { y in (0..<40).contains { buffer[$0, y].character == "⠒" } }
        #expect(stripRows.count == 5, "one row per layer")
        for y in stripRows {
            let markers = (0..<40).filter { buffer[$0, y].character == "┊" }
            #expect(markers.count == 2, "both dotted lines on row \(y): \(buffer.line(y))")
            // Over a dot the marker keeps the dot's colour: the ratio's colour still shows.
            for x in markers {
                let c = buffer[x, y].style.foreground
                #expect(c == .green || c == .yellow || c == .red, "\(String(describing: c))")
            }
        }
    }

    /// Labels near the right edge move left to fit whole; none is cut.
    @Test func markerLabelsAreNeverCut() {
        var s = LayersViewTests.fixedState()
        s.markers += [ChartMarker(x: 1_150, label: "lr 0.01"), ChartMarker(x: 1_200, label: "lr 0.0032")]
        for (w, h) in [(120, 36), (160, 48), (80, 24)] {
            let text = LayersViewTests.render(s, w, h).text
            #expect(text.contains("lr 0.0032") && text.contains("lr 0.01 "), "\(w)×\(h)")
        }
        let placed = UpdateRatioStrip.labelPlacements(
            markers: s.markers, steps: 50...1200, width: 20, glyphs: .braille)
        #expect(placed.map(\.label) == ["→ Momentum", "lr 0.0032"], "what does not fit whole is left out")
        #expect(placed.allSatisfy { $0.column >= 0 && $0.column + $0.label.count <= 20 })
        #expect(zip(placed, placed.dropFirst()).allSatisfy { $0.column + $0.label.count < $1.column })
    }

    // MARK: Zeros and constants

    static func zerosState() -> (PaneState, [LayerStatistics]) {
        var s = DashboardSnapshotTests.fixedState()
        s.showsLayers = true
        var layers = LayersViewTests.realLayers(initializer: .zeros)
        // What rounding leaves of a ratio to W = 0: 0 on one step, ∞ on the next.
        var other = layers
        for i in layers.indices where layers[i].weight.standardDeviation == 0 {
            layers[i].update.standardDeviation = 0
            other[i].update.standardDeviation = 1e-9
        }
        s.apply(
            SessionOutput(layerSamples: [
                .init(step: 50, layers: layers), .init(step: 100, layers: other), .init(step: 150, layers: layers),
            ]))
        return (s, layers)
    }

    @Test func weightsWithoutSpreadHaveNoRatio() throws {
        let (s, layers) = Self.zerosState()
        let flat = try #require(layers.indices.first { layers[$0].weight.standardDeviation == 0 })
        #expect(s.layerHistory.series[flat].allSatisfy { $0.y.isNaN }, "a gap, not 0 and ∞ in turn")
        let wide = LayersViewTests.render(s, 160, 48).text
        #expect(wide.contains("update:data n/a"))
        #expect(wide.contains("W all 0 (no spread)"))
        #expect(wide.contains("all 0") && !wide.contains("±1"), "the histogram says what W holds")
        #expect(!wide.contains("update:data ∞") && !wide.contains("update:data 0 "))
        let compact = DashboardView(state: Self.single(s, runs: 2), glyphs: .braille).render(width: 80, height: 24)
        #expect(compact.text.contains("n/a") && !compact.text.contains("inf"))
        let numbers = LayersView(pane: s, glyphs: .braille).numbers(layers[flat], width: 22)
        #expect(numbers.map(\.0).prefix(3) == ["update:data n/a", "W all 0 (no spread)", "grad:data   n/a"])
    }

    /// Two panes of the same state.
    static func single(_ s: PaneState, runs: Int) -> DashboardState {
        var d = DashboardViewTests.fixedState(runs: runs)
        for i in d.panes.indices { d.panes[i].state = s }
        return d
    }

    @Test func aConstantIsNamed() {
        let w = LayersViewTests.realLayers(initializer: .constant(0.5))[1].weight
        #expect(w.standardDeviation == 0)
        #expect(LayersView.weightCaption(w) == "all 0.5")
        var negative = w
        negative.histogram?.bins.reverse()
        #expect(LayersView.weightCaption(negative) == "all -0.5")
        #expect(LayersView.weightCaption(LayersViewTests.realLayers()[1].weight).hasPrefix("±"))
    }

    /// Samples without a ratio leave a gap: the line stops and starts again, it is not drawn across.
    @Test func stripLeavesAGap() {
        let points = [0.0, 1, 2, 3, 4, 5].map { ChartPoint(x: $0, y: (1...4).contains($0) ? .nan : -3) }
        let strip = UpdateRatioStrip(points: points, steps: 0...5, markers: [], glyphs: .braille)
        var buffer = Buffer(width: 30, height: 3)
        strip.render(in: buffer.area, into: &buffer)
        let dotted = (0..<30).filter { x in
            (0..<3).contains { ("\u{2801}"..."\u{28FF}").contains(buffer[x, $0].character) }
        }
        #expect(dotted == [0, 29], "only the two defined samples: \(buffer.text)")
    }

    // MARK: BatchNorm

    @Test func batchNormShowsItsMeanGap() {
        let text = LayersViewTests.render(LayersViewTests.fixedState(), 160, 48).text
        #expect(text.contains("BN gap 0.05σ"))
        let ascii = LayersViewTests.render(LayersViewTests.fixedState(), 160, 48, glyphs: .ascii).text
        #expect(ascii.contains("BN gap 0.05 sd"))
    }

    // MARK: Numbers never cut

    @Test func numbersTakeShorterFormsNotCuts() {
        var s = LayersViewTests.realLayers()[0]
        s.batchNorm = BatchNormStatistics(
            batchMean: -0.0129, runningMean: -0.0123, batchVariance: 0.148, runningVariance: 0.141, meanGap: 0.08)
        let view = LayersView(pane: LayersViewTests.fixedState(), glyphs: .braille)
        let narrow = view.numbers(s, width: 22).map(\.0)
        #expect(narrow.contains("BN μ -0.0129/-0.0123"), "\(narrow)")
        #expect(narrow.contains("BN σ² 0.148/0.141"), "\(narrow)")
        #expect(narrow.contains("BN gap 0.08σ"))
        let wide = view.numbers(s, width: 28).map(\.0)
        #expect(wide.contains("BN mean -0.0129 run -0.0123"), "the long form where it fits")
        // At any width every line is whole: never a longer line cut inside a word or a number
        // (whole fields dropped after a space are another, shorter form).
        let widest = view.numbers(s, width: 200).map(\.0)
        for width in 8...40 {
            for line in view.numbers(s, width: width).map(\.0) {
                #expect(line.count <= width)
                let cut = widest.contains {
                    $0 != line && $0.hasPrefix(line) && !$0.dropFirst(line.count).hasPrefix(" ")
                }
                #expect(!cut, "\(width): \(line)")
            }
        }
    }

    @Test func activationCaptionsDropWholeFields() {
        let a = ActivationStatistics(
            layer: "ReLU1", activation: .relu, bins: [50, 0, 50], excludesZeros: false, range: 0...1, underflow: 0,
            overflow: 0, count: 100, mean: 0.5, standardDeviation: 0.5, zeroFraction: 0.5, saturatedFraction: 0,
            minimum: 0, maximum: 1)
        #expect(ActivationHistogramsView.caption(a, unicode: true, width: 13) == "μ.50 0:50%")
        #expect(ActivationHistogramsView.caption(a, unicode: true, width: 7) == "0:50%")
        #expect(ActivationHistogramsView.caption(a, unicode: true, width: 4) == "")
        #expect(ActivationHistogramsView.caption(a, unicode: true, width: 40).hasPrefix("μ.50 σ.50 0:50%"))
    }

    // MARK: Hints and verdicts

    /// At 80×24 a pane is 38 columns wide: the hint's short form, with its remedy.
    @Test func compactHintKeepsItsRemedy() {
        let text = DashboardView(state: Self.fourPanes(), glyphs: .braille).render(width: 80, height: 24).text
        #expect(text.contains("L4 lr too high (10^-0.7): try -"), "\(text)")
        #expect(!text.contains("of its we…"))
    }

    @Test func compactVerdictsAreWholeWords() {
        let text = DashboardView(state: Self.fourPanes(), glyphs: .braille).render(width: 80, height: 24).text
        #expect(text.contains("1 ok ") && text.contains("4 lr↑ "))
        #expect(!text.contains("heal"))
        for v: LayerVerdict in [
            .healthy, .symmetric(units: 2, distinct: 1), .learningRateTooHigh(log10UpdateRatio: 0),
            .learningRateTooLow(log10UpdateRatio: -6), .vanishing(log10SignalRatio: -3),
            .exploding(log10SignalRatio: 3), .dead(fraction: 1),
        ] {
            for unicode in [true, false] {
                #expect(LayersView.shortName(v, unicode: unicode).count <= LayersView.shortNameWidth)
            }
        }
        let names = [
            LayerVerdict.healthy, .symmetric(units: 2, distinct: 1), .learningRateTooHigh(log10UpdateRatio: 0),
            .learningRateTooLow(log10UpdateRatio: -6), .vanishing(log10SignalRatio: -3),
            .exploding(log10SignalRatio: 3), .dead(fraction: 1),
        ].map { LayersView.shortName($0, unicode: true) }
        #expect(names == ["ok", "sym", "lr↑", "lr↓", "vanish", "expl", "dead"])
    }

    /// Eleven layers: "10" and "11" stand apart from their verdicts.
    @Test func twoDigitLayerNumbers() {
        var config = NetworkConfig(inputSize: 20, hidden: [Int](repeating: 20, count: 10))
        config.initializer = .he
        let net = Network(config: config, seed: 3)
        var g = SeededGenerator(seed: 11)
        let x = Matrix(rows: 50, cols: 20)
        for i in 0..<x.count { x.pointer[i] = g.nextNormal() }
        net.gradient(x, labels: (0..<50).map { Int32($0 % 10) })
        let before = net.affines.map { $0.weight.value.copy() }
        SGD(learningRate: 0.1).update(net.parameters)
        var s = DashboardSnapshotTests.fixedState()
        s.showsLayers = true
        s.apply(SessionOutput(layerSamples: [.init(step: 100, layers: net.layerStatistics(weightsBefore: before))]))
        var buffer = Buffer(width: 38, height: 40)
        LayersView(pane: s, glyphs: .braille, compact: true).render(in: buffer.area, into: &buffer)
        let lines = (0..<40).map { buffer.line($0) }
        for k in [1, 9, 10, 11] {
            #expect(
                lines.contains { $0.hasPrefix(k < 10 ? "\(k)  " : "\(k) ") && $0.dropFirst(3).first?.isLetter == true },
                "layer \(k):\n\(lines.joined(separator: "\n"))")
        }
    }

    // MARK: Keys

    @Test func theLayersKeyShowsAtEightyColumns() {
        let buffer = LayersViewTests.render(DashboardSnapshotTests.fixedState(), 80, 24)
        #expect(buffer.line(23).contains("L layers"), "\(buffer.line(23))")
        #expect(buffer.line(23).contains("q quit") && buffer.line(23).contains("? help"))
        let compare = DashboardView(state: DashboardViewTests.fixedState(runs: 2), glyphs: .braille).render(
            width: 80, height: 24)
        #expect(compare.line(23).contains("L layers"), "\(compare.line(23))")
    }

    @Test func replayHelpListsTheLayersKey() {
        #expect(DLBoard.helpMessage(for: ReplayCommand.self, columns: 200).contains("L the layers view"))
    }

    /// In a replay `-` slows the replay: the hint says what would help, without a key.
    @Test func aReplayHintNamesNoKeys() throws {
        for (verdict, _) in LayerHintTests.realistic {
            let line = try #require(LayerHint.line(layer: 3, verdict: verdict, steerable: false))
            let short = try #require(LayerHint.short(layer: 3, verdict: verdict, steerable: false))
            #expect(LayerHintTests.actions(in: line).isEmpty && !line.contains("try -"), "\(line)")
            #expect(LayerHintTests.actions(in: short).isEmpty && !short.contains("try"), "\(short)")
        }
        var d = Self.single(LayersViewTests.fixedState(), runs: 1)
        d.steerable = false
        let text = DashboardView(state: d, glyphs: .braille).render(width: 160, height: 48).text
        #expect(text.contains("too high for it — try a lower one") && !text.contains("try -"))
        let compact = Self.fourPanes()
        var replay = compact
        replay.steerable = false
        let four = DashboardView(state: replay, glyphs: .braille).render(width: 80, height: 24).text
        #expect(four.contains("L4 lr too high (10^-0.7): lower it"))
    }

    @Test func replayScreensDoNotSteer() throws {
        let path = ReplayTests.temporaryPath("steer.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try ReplayTests.recordSession(to: path)
        var screen = ReplayScreen(records: [try RunRecordReader.read(path: path)], speed: nil)
        #expect(!screen.state.steerable)
        _ = screen.handle(.character("r"))
        #expect(!screen.state.steerable, "starting again keeps it a replay")
        #expect(DashboardState(datasetName: "MNIST").steerable)
    }
}
