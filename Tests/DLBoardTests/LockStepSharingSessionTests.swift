import Foundation
import NN
import Testing

@testable import dlboard

/// Lock-step sessions whose runs share gathered batches (on a core's lane) train every run bit for
/// bit as that run's config trained alone, and keep lock-step through a pause, a switch and a fork.
/// Sessions are given two lanes, so the lanes hold several runs on a machine of any core count,
/// and the tests check from each run's `sharedInputSteps` that the runs that can share did.
@Suite struct LockStepSharingSessionTests {
    typealias Spec = TrainingSession.RunSpec
    typealias Collector = ComparisonSessionTests.Collector

    func finished(_ s: TrainingSession.Snapshot) -> Bool {
        !s.order.isEmpty && s.order.allSatisfy { s.runs[$0]?.status?.finished == true }
    }

    /// The lanes every session here is split into.
    static let lanes = 2

    /// Whether `scheduling` shares inputs within a lane (`runs` gives each run its own gather).
    func shares(_ scheduling: TrainingSession.Scheduling) -> Bool { scheduling != .runs }

    /// Every run's losses (bit patterns) of a session of `configs`, trained to the end, and how many
    /// of its steps each run read another's inputs in.
    func losses(
        _ configs: [TrainingConfig], layerStatisticsInterval: Int = 0,
        scheduling: TrainingSession.Scheduling = .runs
    ) -> (losses: [[UInt32]], shared: [Int]) {
        let s = TrainingSession(
            runs: configs.map { Spec(config: $0) }, dataset: SessionTests.dataset(), publishInterval: 0.001,
            recordsBatches: true, layerStatisticsInterval: layerStatisticsInterval, scheduling: scheduling,
            lanes: Self.lanes)
        s.start()
        let out = Collector(s).wait(until: finished)
        s.stop()
        return (
            out.order.map { id in out.runs[id]!.losses.map(\.loss.bitPattern) },
            out.order.map { out.runs[$0]!.status!.sharedInputSteps }
        )
    }

    /// Five runs in lanes of three (runs 0, 2, 4) and two (1, 3): run 4's pipeline is run 0's and
    /// shares its gathered inputs at every step, the others' pipelines differ from their lane's
    /// earlier runs; each loses exactly what it loses alone, however the chunks are scheduled.
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
        let (together, shared) = losses(configs, layerStatisticsInterval: 5, scheduling: scheduling)
        #expect(together.count == 5)
        for (k, config) in configs.enumerated() {
            let alone = losses([config], layerStatisticsInterval: 5)
            #expect(together[k].count == 30)
            #expect(together[k] == alone.losses[0], "run \(k): bit for bit as alone")
            #expect(alone.shared == [0])
        }
        #expect(together[0] != together[4], "the learning rate makes a difference")
        #expect(shared == (shares(scheduling) ? [0, 0, 0, 0, 30] : [0, 0, 0, 0, 0]), "steps with shared inputs")
    }

    /// `count` runs of `config` on `lanes` lanes, recording their batches, started paused: returns
    /// once every run has published, so the test's steps start from step 0 for all of them.
    static func pausedSession(_ count: Int, of config: TrainingConfig, _ scheduling: TrainingSession.Scheduling)
        -> (TrainingSession, Collector)
    {
        let s = TrainingSession(
            runs: Array(repeating: Spec(config: config), count: count), dataset: SessionTests.dataset(),
            publishInterval: 0.001, recordsBatches: true, scheduling: scheduling, lanes: lanes)
        s.start(paused: true)
        let col = Collector(s)
        col.wait { $0.order.count == count }
        return (s, col)
    }

    /// Four runs of one config: one paused for a few steps falls behind and must gather its own
    /// batches from then on; all still end with the same losses, batches and steps.
    @Test(arguments: TrainingSession.Scheduling.allCases)
    func aPausedRunOfFourStaysInLockStepWithItself(_ scheduling: TrainingSession.Scheduling) {
        let c = SessionTests.config
        let (s, col) = Self.pausedSession(4, of: c, scheduling)
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

    /// A session of four runs of one config (lanes: runs 0 and 2, runs 1 and 3) stepped 3 steps by
    /// hand, then given two switches: run 2 a learning rate (its inputs stay run 0's, so it goes on
    /// sharing them) and run 3 augmentation (its inputs now differ from run 1's: it gathers its own).
    /// Each run loses what the same config with the same switch at the same step loses alone.
    @Test(arguments: TrainingSession.Scheduling.allCases)
    func runsStayInLockStepThroughASwitch(_ scheduling: TrainingSession.Scheduling) {
        let c = SessionTests.config
        let switches: [Int: SessionCommand] = [2: .setLearningRate(0.03), 3: .setAugmentation(Augmentation(shift: 1))]
        func run(_ count: Int, switches: [Int: SessionCommand]) -> TrainingSession.Snapshot {
            let (s, col) = Self.pausedSession(count, of: c, scheduling)
            s.send((0..<count).flatMap { id in (0..<3).map { _ in (run: Int?(id), command: SessionCommand.stepOnce) } })
            s.send(switches.sorted { $0.key < $1.key }.map { (run: Int?($0.key), command: $0.value) })
            // One batch: every run resumes at the same step, and no chunk ends early for a command.
            s.send((0..<count).map { (run: Int?($0), command: SessionCommand.resume) })
            let out = col.wait(until: finished)
            s.stop()
            return out
        }
        let together = run(4, switches: switches)
        for id in 0..<4 {
            #expect(together.runs[id]!.batches == together.runs[0]!.batches, "run \(id): the same batches")
            let alone = run(1, switches: switches[id].map { [0: $0] } ?? [:])
            #expect(
                together.runs[id]!.losses.map(\.loss.bitPattern) == alone.runs[0]!.losses.map(\.loss.bitPattern),
                "run \(id): bit for bit as alone with its switch")
        }
        let shared = (0..<4).map { together.runs[$0]!.status!.sharedInputSteps }
        #expect(shared == (shares(scheduling) ? [0, 0, 27, 0] : [0, 0, 0, 0]), "steps with shared inputs")
        #expect(
            together.runs[2]!.losses.map(\.loss.bitPattern) != together.runs[0]!.losses.map(\.loss.bitPattern),
            "the switch made a difference")
    }

    /// Three runs of one config, run 0 forked after 3 steps: the fork goes into the lane after its
    /// parent's (lanes: runs 0 and 1, the fork and run 2), lends its first gathered batch to run 2
    /// and goes on from its parent's state, losing what its parent loses from there on.
    @Test(arguments: TrainingSession.Scheduling.allCases)
    func aForkStaysInLockStepWithItsParent(_ scheduling: TrainingSession.Scheduling) {
        let c = SessionTests.config
        let (s, col) = Self.pausedSession(3, of: c, scheduling)
        s.send((0..<3).flatMap { id in (0..<3).map { _ in (run: Int?(id), command: SessionCommand.stepOnce) } })
        s.send([(run: 0, command: .fork(as: 3))])
        s.send([0, 1, 2, 3].map { (run: Int?($0), command: SessionCommand.resume) })
        let out = col.wait { $0.order.count == 4 && finished($0) }
        s.stop()
        #expect(out.order == [0, 3, 1, 2], "the fork right after its parent")
        let parent = out.runs[0]!.losses.map(\.loss.bitPattern)
        #expect(parent.count == 30)
        for id in [1, 2] {
            #expect(out.runs[id]!.losses.map(\.loss.bitPattern) == parent, "run \(id) as run 0")
        }
        #expect(out.runs[3]!.losses.map(\.loss.bitPattern) == Array(parent.dropFirst(3)), "the fork as its parent")
        #expect(out.runs[3]!.batches == Array(out.runs[0]!.batches.dropFirst(3)))
        let shared = out.order.map { out.runs[$0]!.status!.sharedInputSteps }
        #expect(shared == (shares(scheduling) ? [0, 0, 27, 27] : [0, 0, 0, 0]), "steps with shared inputs")
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
