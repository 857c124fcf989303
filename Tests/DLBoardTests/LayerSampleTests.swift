import Foundation
import NN
import Testing

@testable import dlboard

/// The per-layer statistics on their way from the trainer to the screen and the record: which
/// steps collect them, that a slow screen loses none, that the record keeps every one and a
/// replay hands them out as the live session did.
@Suite struct LayerSampleTests {
    typealias Spec = TrainingSession.RunSpec

    /// 200 training images in batches of 20: 10 steps an epoch, 3 epochs.
    static let config = SessionTests.config

    static func driver(interval: Int, stepTarget: Int? = nil) -> RunDriver {
        RunDriver(
            id: 0, trainer: Trainer(config: config, data: SessionTests.dataset()), title: "", paused: false,
            stepTarget: stepTarget, histogramInterval: .infinity, layerStatisticsInterval: interval)
    }

    @Test func samplesComeAtTheIntervalAndAtEveryEvaluation() {
        var d = Self.driver(interval: 4, stepTarget: 25)
        while d.isRunning { d.trainOneStep() }
        let out = d.takeOutput()
        // Steps 1 and 2 (the first steps show what the start does), every 4th step, each epoch's end
        // (10, 20) and the step target (25).
        #expect(out.layerSamples.map(\.step) == [1, 2, 4, 8, 10, 12, 16, 20, 24, 25])
        #expect(out.evaluations.map(\.step) == [10, 20, 25])
        // Two hidden layers and the output layer, each with its name and histograms.
        #expect(out.layerSamples.allSatisfy { $0.layers.map(\.layer) == ["Affine1", "Affine2", "Affine3"] })
        #expect(out.layerSamples.allSatisfy { $0.layers.allSatisfy { $0.backwardSignal.histogram != nil } })
        #expect(d.takeOutput().layerSamples.isEmpty, "taken once")
        // A step's sample is the trainer's own statistics of that step.
        var check = Self.driver(interval: 4)
        for _ in 0..<4 { check.trainOneStep() }
        #expect(check.takeOutput().layerSamples.last == .init(step: 4, layers: check.trainer.lastLayerStatistics))
    }

    @Test func offMeansNoneAndTheSameTraining() {
        var off = Self.driver(interval: 0)
        var on = Self.driver(interval: 3)
        for _ in 0..<12 {
            off.trainOneStep()
            on.trainOneStep()
        }
        let a = off.takeOutput()
        let b = on.takeOutput()
        #expect(a.layerSamples.isEmpty && off.trainer.lastLayerStatistics.isEmpty)
        #expect(b.layerSamples.map(\.step) == [1, 2, 3, 6, 9, 10, 12])
        #expect(a.losses.map(\.loss) == b.losses.map(\.loss), "collecting changes no weight and no loss")
    }

    @Test func aForkSamplesAtTheSameRate() {
        var d = Self.driver(interval: 5)
        for _ in 0..<3 { d.trainOneStep() }
        var fork = d.fork(id: 1, title: "fork")
        _ = d.takeOutput()
        for _ in 0..<4 {
            d.trainOneStep()
            fork.trainOneStep()
        }
        #expect(fork.layerStatisticsInterval == 5)
        #expect(fork.takeOutput().layerSamples.map(\.step) == [4, 5])
        #expect(d.takeOutput().layerSamples.map(\.step) == [4, 5])
    }

    /// What a switch does shows in its first steps (lr 10 with SGD diverges within a few), so the
    /// steps 1, 2, 4, … after it collect as well as the interval's.
    @Test func theStepsAfterASwitchCollect() {
        var d = Self.driver(interval: 50)
        for _ in 0..<60 { d.trainOneStep() }
        #expect(d.takeOutput().layerSamples.map(\.step) == [1, 2, 4, 8, 10, 16, 20, 30, 32, 40, 50, 60])
        d.apply(.setLearningRate(0.5))
        for _ in 0..<45 { d.trainOneStep() }
        #expect(d.takeOutput().layerSamples.map(\.step) == [61, 62, 64, 68, 70, 76, 80, 90, 92, 100])
    }

    /// Lock-step runs sample the very same steps, whatever their chunks.
    @Test func lockStepRunsSampleTheSameSteps() throws {
        var adam = Self.config
        adam.optimizer = .adam
        adam.learningRate = nil
        let s = TrainingSession(
            runs: [Spec(config: Self.config), Spec(config: adam)], dataset: SessionTests.dataset(),
            publishInterval: 0.001, layerStatisticsInterval: 7)
        s.start()
        var samples: [Int: [Int]] = [:]
        let deadline = Date().addingTimeInterval(20)
        var done = false
        while !done && Date() < deadline {
            let snapshot = s.drainAll()
            for (id, out) in snapshot.runs { samples[id, default: []] += out.layerSamples.map(\.step) }
            done = snapshot.runs.count == 2 && snapshot.runs.values.allSatisfy { $0.status?.finished == true }
            usleep(2000)
        }
        s.stop()
        for (id, out) in s.drainAll().runs { samples[id, default: []] += out.layerSamples.map(\.step) }
        #expect(done)
        let expected = [1, 2, 4, 7, 10, 14, 20, 21, 28, 30]
        #expect(samples[0] == expected && samples[1] == expected)
    }

    /// A screen that drains late gets every sample published since its last drain, in order; past
    /// the bound the oldest go.
    @Test func undrainedSamplesAccumulateUpToTheBound() throws {
        let s = TrainingSession(
            runs: [Spec(config: Self.config)], dataset: SessionTests.dataset(), publishInterval: 0.001,
            layerStatisticsInterval: 4)
        s.start(paused: true)
        // Each single step is published on its own (the loop publishes whenever nothing runs).
        for _ in 0..<12 { s.send(.stepOnce) }
        usleep(1_500_000)
        let first = s.drain()
        #expect(first.status?.step == 12)
        #expect(first.layerSamples.map(\.step) == [1, 2, 4, 8, 10, 12], "merged across publishes")
        s.stop()

        var long = Self.config
        long.epochs = 205  // 2,050 steps, a sample each
        let bounded = TrainingSession(
            runs: [Spec(config: long)], dataset: SessionTests.dataset(), publishInterval: 0.001,
            layerStatisticsInterval: 1)
        bounded.start()
        // Never drained until now: the samples are those of steps 1…n, less the oldest past the bound
        // (a few seconds is enough for all 2,050 steps; on a slow machine the bound is not reached,
        // and what was published must still all be there).
        usleep(6_000_000)
        let out = bounded.drain()
        bounded.stop()
        let n = try #require(out.status?.step)
        let kept = min(n, TrainingSession.maxUndrainedLayerSamples)
        #expect(out.layerSamples.map(\.step) == Array(stride(from: n - kept + 1, through: n, by: 1)))
    }

    /// What the session published, the record keeps (a line per layer, after its step's line) and
    /// a replay hands back: the same samples at the same steps, for every run and the fork.
    @Test func theRecordKeepsEverySampleAndAReplayGivesThemBack() throws {
        let path = ReplayTests.temporaryPath("layers.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (_, live) = try ReplayTests.recordSessionWithLayers(to: path)
        #expect(live.keys.sorted() == [0, 1, 2])
        #expect(live.values.allSatisfy { !$0.isEmpty })
        let record = try RunRecordReader.read(path: path)
        #expect(record.warnings.isEmpty, "\(record.warnings)")
        for (n, run) in record.runs.enumerated() {
            #expect(run.layerSamples == live[run.id], "the record's samples of run \(run.id)")
            #expect(run.layers.count == (live[run.id] ?? []).count * 3, "a line per layer")
            // Each layer line follows its step's line: the step record's index is before it.
            var lastStep = 0
            for entry in run.sequence {
                switch entry {
                case .step(let k): lastStep = run.steps[k].step
                case .layer(let k): #expect(run.layers[k].step == lastStep, "run \(n): after its step")
                default: break
                }
            }
            #expect(run.layers.allSatisfy { $0.verdict != nil })
        }

        var player = ReplayPlayer(records: [record])
        var replayed: [Int: [SessionOutput.LayerSample]] = [:]
        var t = 0.0
        while !player.isFinished {
            t += player.duration / 37 + 1e-6
            for (id, out) in player.advance(to: t).runs { replayed[id, default: []] += out.layerSamples }
        }
        for run in record.runs { #expect(replayed[run.id] == live[run.id], "replayed samples of run \(run.id)") }
        // All at once: the same.
        var instant = ReplayPlayer(records: [record])
        let all = instant.advance(to: .infinity)
        for run in record.runs { #expect(all.runs[run.id]?.layerSamples == live[run.id]) }
    }
}
