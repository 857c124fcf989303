import Foundation
import NN
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
}
