import Foundation
import NN
import TUI
import Testing

@testable import dlboard

/// The batch size switched in mid-run, at the driver: epochs, their evaluations, the target and the
/// ETA are counted in samples, whatever the size.
@Suite struct BatchSizeSwitchTests {
    /// 200 training images in batches of 20: 10 steps an epoch, 3 epochs.
    static func driver() -> RunDriver {
        RunDriver(
            id: 0, trainer: Trainer(config: SessionTests.config, data: SessionTests.dataset()), title: "",
            paused: false, histogramInterval: .infinity)
    }

    @Test func evaluationsComeAtEpochEndsInSamples() {
        var d = Self.driver()
        for _ in 0..<5 { d.trainOneStep() }  // 100 samples
        d.apply(.stepBatchSize(up: true))  // 20 → 50
        #expect(d.trainer.config.batchSize == 50)
        while d.isRunning { d.trainOneStep() }
        let out = d.takeOutput()
        // Epoch 1 ends after 5 × 20 + 2 × 50 samples (step 7), then 4 steps of 50 an epoch.
        #expect(out.evaluations.map(\.step) == [7, 11, 15])
        #expect(out.evaluations.map(\.epoch) == [1, 2, 3])
        #expect(out.evaluations[0].samplesPerSecond > 0)
        #expect(out.events.map(\.kind) == [.batchSize])
        #expect(out.events.map { [$0.from, $0.to] } == [["20", "50"]])
        #expect(out.events.first?.label == "batch 50" && out.events.first?.step == 5)
        let s = out.status
        #expect(s?.finished == true && s?.epochTarget == 3 && s?.epochProgress == 3)
        #expect(s?.stepsPerEpoch == 4 && s?.step == 15)
        #expect((s?.trainingSeconds ?? 0) > 0 && s?.trainSize == 200)
    }

    @Test func aSwitchThatLeavesTooFewSamplesEndsTheEpochThere() {
        var d = Self.driver()
        for _ in 0..<9 { d.trainOneStep() }  // 180 of 200
        d.apply(.setBatchSize(50))
        let out = d.takeOutput()
        #expect(out.evaluations.map(\.step) == [9] && out.evaluations.map(\.epoch) == [1])
        #expect(out.status?.epochProgress == 1)
    }

    @Test func theTargetAndTheETAFollowTheNewSize() {
        var d = Self.driver()
        for _ in 0..<10 { d.trainOneStep() }  // epoch 1 of 3
        #expect(d.takeOutput().status?.stepTarget == 30)
        d.apply(.setBatchSize(100))
        let s = d.takeOutput().status
        #expect(s?.stepTarget == 14, "two epochs left at 2 steps an epoch")
        #expect(s?.epochTarget == 3)
        // Resuming past the target trains one more target's worth of epochs, in samples.
        while d.isRunning { d.trainOneStep() }
        d.apply(.resume)
        while d.isRunning { d.trainOneStep() }
        #expect(d.trainer.completedEpochs == 6 && d.trainer.steps == 20)
    }

    @Test func theLadderAndItsEnds() {
        #expect(SettingSteps.batchSize(from: 100, up: true) == 200)
        #expect(SettingSteps.batchSize(from: 128, up: true) == 200)
        #expect(SettingSteps.batchSize(from: 128, up: false) == 100)
        #expect(SettingSteps.batchSize(from: 1, up: false) == nil)
        #expect(SettingSteps.batchSize(from: 1000, up: true) == nil)
        var c = SessionTests.config
        c.batchSize = 1
        #expect(SessionCommand.stepBatchSize(up: false).resolved(against: c) == nil)
        #expect(SessionCommand.stepBatchSize(up: false).limitNotice == "smallest batch size")
        #expect(SessionCommand.stepBatchSize(up: true).resolved(against: c) == .setBatchSize(2))
    }

    /// A batch-size switch recorded live replays as the same marker, configuration and epochs.
    @Test func aRecordedSwitchReplays() throws {
        let path = ReplayTests.temporaryPath("batch.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let specs = [TrainingSession.RunSpec(config: SessionTests.config)]
        let dataset = SessionTests.dataset()
        let session = TrainingSession(runs: specs, dataset: dataset, publishInterval: 0.001)
        let log = try MetricsLog(path: path)
        let recorder = SessionRecorder(log: log, dataset: dataset, dataDirectory: "(test)", logEvery: 1, specs: specs)
        var live = DashboardState(datasetName: dataset.name)
        func pump(until done: (DashboardState) -> Bool) {
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                let snapshot = session.drainAll()
                _ = live.apply(snapshot)
                recorder.record(snapshot)
                if done(live) { return }
                usleep(2000)
            }
            Issue.record("timed out")
        }
        session.start(paused: true)
        for _ in 0..<5 { session.send(.stepOnce) }
        session.send(.setBatchSize(50))
        session.send(.resume)
        pump { $0.focused?.status?.finished == true }
        session.stop()
        let last = session.drainAll()
        _ = live.apply(last)
        recorder.record(last)
        recorder.finish(seconds: 1, stopReason: nil)

        // Each step record's epoch is counted in samples: 5 × 20 + 2 × 50 make epoch 1, then 4 a step.
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let epochs = lines.filter { $0["type"] as? String == "step" }.compactMap { $0["epoch"] as? Int }
        #expect(epochs == Array(repeating: 1, count: 7) + Array(repeating: 2, count: 4) + Array(repeating: 3, count: 4))
        let record = try RunRecordReader.read(path: path)
        let event = record.runs[0].events.first { $0.event.kind == .batchSize }?.event
        #expect(event?.from == "20" && event?.to == "50" && event?.step == 5)
        var player = ReplayPlayer(records: [record])
        var replayed = DashboardState(datasetName: "", sessionName: "replay")
        _ = replayed.apply(player.advance(to: .infinity))
        let r = try #require(replayed.focused)
        let l = try #require(live.focused)
        #expect(r.losses == l.losses && r.trainAccuracy == l.trainAccuracy)
        #expect(r.markers.map(\.label) == ["batch 50"] && r.markers == l.markers)
        #expect(r.status?.config.batchSize == 50 && r.status?.config == l.status?.config)
        #expect(r.status?.step == 15 && r.status?.stepsPerEpoch == 4)
        // 5 × 20 + 10 × 50 samples of 200: 3 epochs, as live.
        #expect(r.status?.epochProgress == 3 && l.status?.epochProgress == 3)
    }

    /// BatchNorm on a batch of one: the status bar says so first, in red; BN off or a larger batch,
    /// nothing.
    @Test func theStatusBarWarnsAboutBatchNormOnOneImage() {
        func statusRow(batch: Int, batchNorm: Bool, width: Int = 160, height: Int = 48) -> (text: String, style: Style)
        {
            var s = DashboardSnapshotTests.fixedState()
            s.status?.config.batchSize = batch
            s.status?.config.network.batchNorm = batchNorm
            let buffer = PaneView(state: s, glyphs: .braille).render(width: width, height: height)
            let row = buffer.height - 2
            return (buffer.line(row), buffer[1, row].style)
        }
        let warned = statusRow(batch: 1, batchNorm: true)
        #expect(warned.text.hasPrefix(" ⚠ BatchNorm with batch 1: every normalized output is 0"), "\(warned.text)")
        #expect(warned.style.foreground == .red && warned.style.bold)
        #expect(warned.text.contains("batch 1 │"), "the batch size is shown as ever")
        // On the narrow screens most people have, the warning still comes first (cut at the edge)
        // and nothing traps: dropping parts stops at the settings it always keeps.
        for (width, height) in [(80, 24), (100, 30), (118, 30), (60, 16)] {
            let narrow = statusRow(batch: 1, batchNorm: true, width: width, height: height)
            #expect(narrow.text.hasPrefix(" ⚠ BatchNorm with batch 1"), "\(width)×\(height): \(narrow.text)")
            #expect(narrow.style.foreground == .red)
        }
        for (batch, bn) in [(1, false), (2, true)] {
            let plain = statusRow(batch: batch, batchNorm: bn)
            #expect(!plain.text.contains("⚠") && plain.style.foreground != .red, "batch \(batch), BN \(bn)")
            #expect(plain.text.contains("│ batch \(batch) │"))
        }
    }
}
