import Foundation
import NN
import Testing

@testable import dlboard

/// Lock-step sessions whose runs share gathered batches (on a core's lane) train every run bit for
/// bit as that run's config trained alone, and keep lock-step through a pause, a switch and a fork.
@Suite struct LockStepSharingSessionTests {
    typealias Spec = TrainingSession.RunSpec
    typealias Collector = ComparisonSessionTests.Collector

    func finished(_ s: TrainingSession.Snapshot) -> Bool {
        !s.order.isEmpty && s.order.allSatisfy { s.runs[$0]?.status?.finished == true }
    }

    /// Every run's losses (bit patterns) of a session of `configs`, trained to the end.
    func losses(
        _ configs: [TrainingConfig], layerStatisticsInterval: Int = 0,
        scheduling: TrainingSession.Scheduling = .runs
    ) -> [[UInt32]] {
        let s = TrainingSession(
            runs: configs.map { Spec(config: $0) }, dataset: SessionTests.dataset(), publishInterval: 0.001,
            recordsBatches: true, layerStatisticsInterval: layerStatisticsInterval, scheduling: scheduling)
        s.start()
        let out = Collector(s).wait(until: finished)
        s.stop()
        return out.order.map { id in out.runs[id]!.losses.map(\.loss.bitPattern) }
    }

    /// Five runs (on two cores, lanes of three and two: runs share within a lane, and some
    /// pipelines differ) lose exactly what each loses alone, however the chunks are scheduled.
    @Test(arguments: TrainingSession.Scheduling.allCases)
    func eachRunOfALockStepSessionLosesWhatItLosesAlone(_ scheduling: TrainingSession.Scheduling) {
        let base = SessionTests.config
        var adam = base
        adam.optimizer = .adam
        adam.learningRate = 0.01
        var shifted = base
        shifted.augmentation = Augmentation(shift: 1)
        var standardized = base
        standardized.inputs = .standardize
        var slower = base
        slower.learningRate = 0.03
        let configs = [base, adam, shifted, standardized, slower]
        let together = losses(configs, layerStatisticsInterval: 5, scheduling: scheduling)
        #expect(together.count == 5)
        for (k, config) in configs.enumerated() {
            let alone = losses([config], layerStatisticsInterval: 5)
            #expect(together[k].count == 30)
            #expect(together[k] == alone[0], "run \(k): bit for bit as alone")
        }
        #expect(together[0] != together[4], "the learning rate makes a difference")
    }

    /// Four runs of one config: one paused for a few steps falls behind and must gather its own
    /// batches from then on; all still end with the same losses, batches and steps.
    @Test(arguments: TrainingSession.Scheduling.allCases)
    func aPausedRunOfFourStaysInLockStepWithItself(_ scheduling: TrainingSession.Scheduling) {
        let c = SessionTests.config
        let s = TrainingSession(
            runs: Array(repeating: Spec(config: c), count: 4), dataset: SessionTests.dataset(),
            publishInterval: 0.001, recordsBatches: true, scheduling: scheduling)
        s.start(paused: true)
        let col = Collector(s)
        col.wait { $0.order.count == 4 }
        for _ in 0..<4 { s.send(.stepOnce, to: 2) }
        col.wait { $0.runs[2]?.status?.step == 4 }
        for id in 0..<4 { s.send(.resume, to: id) }
        let out = col.wait(until: finished)
        s.stop()
        for id in 1..<4 {
            #expect(out.runs[id]!.batches == out.runs[0]!.batches, "run \(id): the same batches")
            #expect(out.runs[id]!.losses.map(\.loss.bitPattern) == out.runs[0]!.losses.map(\.loss.bitPattern))
        }
        #expect(out.runs[0]!.losses.count == 30)
    }
    /// A command that arrives mid-chunk ends it after the step under way, and every run at its own
    /// step: the runs that had gone fewer steps catch up before it applies, so a pause of all runs
    /// sent at once (P) stops them at one step, time after time, however the chunks are scheduled.
    @Test(arguments: TrainingSession.Scheduling.allCases)
    func pausingAllRunsMidChunkStopsThemAtOneStep(_ scheduling: TrainingSession.Scheduling) {
        var c = SessionTests.config
        c.epochs = 2_000
        let s = TrainingSession(
            runs: Array(repeating: Spec(config: c), count: 4), dataset: SessionTests.dataset(),
            publishInterval: 0.001, scheduling: scheduling)
        s.start()
        let col = Collector(s)
        col.wait { $0.order.count == 4 && $0.runs[3]?.status?.step ?? 0 > 0 }
        for round in 0..<6 {
            s.send((0..<4).map { (run: Int?($0), command: SessionCommand.pause) })
            let out = col.wait { snap in (0..<4).allSatisfy { snap.runs[$0]?.status?.paused == true } }
            let steps = (0..<4).map { out.runs[$0]!.status!.step }
            #expect(Set(steps).count == 1, "round \(round): paused at steps \(steps)")
            s.send((0..<4).map { (run: Int?($0), command: SessionCommand.resume) })
            col.wait { snap in (0..<4).allSatisfy { snap.runs[$0]?.status?.paused == false } }
            usleep(UInt32(2_000 + 3_000 * round))
        }
        s.stop()
    }
}
