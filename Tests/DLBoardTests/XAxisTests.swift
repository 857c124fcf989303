import Foundation
import NN
import TUI
import Testing

@testable import dlboard

/// The charts' x-axis on steps, epochs (samples seen) and seconds: the conversion of curves stored
/// by step and by epoch, runs of different batch sizes laid over each other on epochs, the key, and
/// snapshots (text and styles) of the epoch axis.
@Suite struct XAxisTests {
    /// A run of `batch`-sized steps over 60,000 images, 2 epochs, ~`secondsPerEpoch` an epoch, as
    /// the dashboard's state holds it after the session published it.
    static func run(batch: Int, secondsPerEpoch: Double, scale: Double = 1) -> PaneState {
        var s = PaneState(datasetName: "MNIST")
        let perEpoch = 60_000 / batch
        var config = TrainingConfig(optimizer: .sgd)
        config.batchSize = batch
        var g = SeededGenerator(seed: UInt64(batch))
        for step in 1...(2 * perEpoch) {
            let epochs = Double(step) / Double(perEpoch)
            let base = scale * (2.3 * exp(-epochs * 3) + 0.1)
            s.losses.append(ChartPoint(x: Double(step), y: base * (0.8 + 0.4 * Double(g.nextUniform()))))
            if step % max(1, perEpoch / 20) == 0 || step == 2 * perEpoch {
                var out = SessionOutput()
                out.status = .init(
                    config: config, step: step, stepsPerEpoch: perEpoch, epochTarget: 2, stepTarget: 2 * perEpoch,
                    paused: false, diverged: false, finished: false, samplesPerSecond: 60_000 / secondsPerEpoch,
                    lastLoss: 0.3)
                out.status?.epochs = epochs
                out.status?.trainingSeconds = epochs * secondsPerEpoch
                out.status?.trainSize = 60_000
                s.apply(out)
            }
        }
        s.trainAccuracy = [0.90, 0.94].enumerated().map { ChartPoint(x: Double($0.offset + 1), y: $0.element) }
        s.testAccuracy = [0.89, 0.92].enumerated().map { ChartPoint(x: Double($0.offset + 1), y: $0.element) }
        s.markers = [ChartMarker(x: Double(perEpoch / 2), label: "+BN")]
        return s
    }

    static func comparison() -> DashboardState {
        var c = DashboardState(datasetName: "MNIST", sessionName: "compare")
        c.panes = [
            .init(id: 0, state: run(batch: 100, secondsPerEpoch: 0.6)),
            .init(id: 1, state: run(batch: 1000, secondsPerEpoch: 0.3, scale: 1.3)),
        ]
        for i in c.panes.indices { c.panes[i].state.xAxis = .epochs }
        return c
    }

    @Test func curvesByStepAndByEpochGoOnEveryAxis() {
        let s = Self.run(batch: 100, secondsPerEpoch: 0.6)
        let m = s.axisMap
        let steps = [ChartPoint(x: 300, y: 1), ChartPoint(x: 600, y: 2), ChartPoint(x: 1200, y: 3)]
        #expect(m.fromSteps(steps, to: .steps) == steps)
        #expect(m.fromSteps(steps, to: .epochs).map(\.x) == [0.5, 1, 2])
        let seconds = m.fromSteps(steps, to: .seconds).map(\.x)
        #expect(zip(seconds, [0.3, 0.6, 1.2]).allSatisfy { abs($0 - $1) < 1e-9 })
        #expect(m.fromSteps(steps, to: .seconds).map(\.y) == [1, 2, 3], "only x moves")
        let epochs = [ChartPoint(x: 1, y: 0.9), ChartPoint(x: 2, y: 0.94)]
        #expect(m.fromEpochs(epochs, to: .steps) == epochs, "on the step axis the accuracies stay on epochs")
        #expect(m.fromEpochs(epochs, to: .epochs) == epochs)
        #expect(zip(m.fromEpochs(epochs, to: .seconds).map(\.x), [0.6, 1.2]).allSatisfy { abs($0 - $1) < 1e-9 })
        #expect(m.fromSteps([ChartMarker(x: 300, label: "+BN")], to: .epochs) == [ChartMarker(x: 0.5, label: "+BN")])
    }

    @Test func aBatchSizeSwitchBendsTheStepToEpochLine() {
        var m = AxisMap()
        m.append(step: 100, epochs: 0.5, seconds: 1)  // 100 steps of 300 on 60,000
        m.append(step: 110, epochs: 1.0, seconds: 2)  // then 10 steps of 3,000
        let x = m.fromSteps([ChartPoint(x: 50, y: 0), ChartPoint(x: 105, y: 0)], to: .epochs).map(\.x)
        #expect(x == [0.25, 0.75])
        // Points out of order (a fork's inherited history) are found again.
        let back = m.fromSteps([ChartPoint(x: 105, y: 0), ChartPoint(x: 50, y: 0)], to: .epochs).map(\.x)
        #expect(back == [0.75, 0.25])
        #expect(m.upTo(step: 100).anchors.count == 2)
    }

    @Test func theMapStaysBounded() {
        var m = AxisMap()
        for step in 1...(3 * AxisMap.maxAnchors) { m.append(step: step, epochs: Double(step) / 600, seconds: 0) }
        #expect(m.anchors.count <= AxisMap.maxAnchors)
        #expect(m.anchors.last?.step == Double(3 * AxisMap.maxAnchors), "the latest reading is exact")
        let x = m.fromSteps([ChartPoint(x: 1234, y: 0)], to: .epochs)[0].x
        #expect(abs(x - 1234.0 / 600) < 1e-9, "old stretches lose anchors, not accuracy, while steps are linear")
    }

    @Test func xCyclesTheAxisOnEveryPane() {
        var c = Self.comparison()
        for i in c.panes.indices { c.panes[i].state.xAxis = .steps }
        _ = c.handle(.character("X"))
        #expect(c.panes.map(\.state.xAxis) == [.epochs, .epochs])
        _ = c.handle(.character("X"))
        #expect(c.panes.map(\.state.xAxis) == [.seconds, .seconds])
        _ = c.handle(.character("X"))
        #expect(c.panes.map(\.state.xAxis) == [.steps, .steps])
        #expect(KeyMap.action(for: .character("X")) == .nextXAxis)
    }

    @Test func runsOfDifferentBatchSizesStartOnEpochs() {
        func snapshot(_ batches: [Int]) -> TrainingSession.Snapshot {
            var snap = TrainingSession.Snapshot()
            for (id, b) in batches.enumerated() {
                var out = SessionOutput()
                var config = TrainingConfig()
                config.batchSize = b
                out.status = .init(
                    config: config, step: 0, stepsPerEpoch: 600, epochTarget: 5, stepTarget: 3000, paused: true,
                    diverged: false, finished: false, samplesPerSecond: 0, lastLoss: .nan)
                snap.order.append(id)
                snap.runs[id] = out
            }
            return snap
        }
        var mixed = DashboardState(datasetName: "MNIST")
        _ = mixed.apply(snapshot([10, 100]))
        #expect(mixed.panes.map(\.state.xAxis) == [.epochs, .epochs])
        var same = DashboardState(datasetName: "MNIST")
        _ = same.apply(snapshot([100, 100]))
        #expect(same.panes.map(\.state.xAxis) == [.steps, .steps])
    }

    @Test func theDifferenceOfRunsOfOtherBatchSizesInterpolates() {
        let a = [ChartPoint(x: 0.5, y: 1), ChartPoint(x: 1.5, y: 2), ChartPoint(x: 3, y: 0)]
        let b = [ChartPoint(x: 0, y: 0), ChartPoint(x: 1, y: 1), ChartPoint(x: 2, y: 1)]
        #expect(DifferenceChartView.difference(a, minus: b) == [ChartPoint(x: 0.5, y: 0.5), ChartPoint(x: 1.5, y: 1)])
    }

    @Test func singlePaneOnEpochs() throws {
        var s = Self.run(batch: 100, secondsPerEpoch: 0.6)
        s.xAxis = .epochs
        let buffer = PaneView(state: s, glyphs: .braille).render(width: 100, height: 30)
        try DashboardSnapshotTests.check(buffer, "axis-epochs-100x30")
        let text = buffer.text
        #expect(text.contains("2 epoch"), "the loss chart's axis ends at 2 epochs, not 1200 steps")
        #expect(!text.contains("1200 step"))
        #expect(text.contains("+BN"), "the marker moves with the axis")
    }

    @Test func singlePaneOnSeconds() throws {
        var s = Self.run(batch: 100, secondsPerEpoch: 0.6)
        s.xAxis = .seconds
        let buffer = PaneView(state: s, glyphs: .braille).render(width: 100, height: 30)
        #expect(buffer.text.contains("1.2 s"), "the axis ends at 1.2 s of training")
        #expect(!buffer.text.contains("epoch ") || buffer.text.contains("epoch 2"), "\(buffer.text)")
    }

    @Test func batch100And1000OnOneEpochAxis() throws {
        var c = Self.comparison()
        c.focus = 1
        let panes = DashboardView(state: c, glyphs: .braille).render(width: 120, height: 36)
        try DashboardSnapshotTests.check(panes, "axis-epochs-compare-120x36")
        c.layout = .overlay
        let overlay = DashboardView(state: c, glyphs: .braille).render(width: 120, height: 36)
        try DashboardSnapshotTests.check(overlay, "axis-epochs-overlay-120x36")
        // Both runs end at 2 epochs: 1,200 steps of 100 and 120 of 1,000 share one axis.
        #expect(overlay.text.contains("2 epoch") && !overlay.text.contains("1200 step"))
        c.layout = .difference
        let difference = DashboardView(state: c, glyphs: .braille).render(width: 120, height: 36)
        #expect(difference.text.contains("loss 2 − 1") && difference.text.contains("2 epoch"))
    }
}
