import Foundation
import NN
import Testing

@testable import dlboard

/// Several runs in one session: lock-step batches, identical curves for identical configs, forks.
@Suite struct ComparisonSessionTests {
    typealias Spec = TrainingSession.RunSpec

    /// Accumulates everything a session publishes, across waits.
    final class Collector {
        let session: TrainingSession
        var all = TrainingSession.Snapshot()
        init(_ session: TrainingSession) { self.session = session }

        /// Drains until `done` holds for everything collected so far, or fails after `seconds`.
        @discardableResult
        func wait(seconds: Double = 30, until done: (TrainingSession.Snapshot) -> Bool) -> TrainingSession.Snapshot {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                let o = session.drainAll()
                all.order = o.order
                for id in o.order {
                    guard let r = o.runs[id] else { continue }
                    var a = all.runs[id] ?? SessionOutput()
                    a.losses += r.losses
                    a.evaluations += r.evaluations
                    a.events += r.events
                    a.batches += r.batches
                    a.status = r.status
                    a.title = r.title
                    all.runs[id] = a
                }
                if let n = o.notice { all.notice = n }
                all.refusedForks += o.refusedForks
                if done(all) { return all }
                usleep(2000)
            }
            Issue.record("timed out; order \(all.order)")
            return all
        }
    }

    func collect(_ s: TrainingSession, until done: (TrainingSession.Snapshot) -> Bool) -> TrainingSession.Snapshot {
        Collector(s).wait(until: done)
    }

    func finished(_ s: TrainingSession.Snapshot) -> Bool {
        !s.order.isEmpty && s.order.allSatisfy { s.runs[$0]?.status?.finished == true }
    }

    @Test func twoRunsOfOneConfigProduceIdenticalLosses() {
        let c = SessionTests.config
        let s = TrainingSession(
            runs: [Spec(config: c), Spec(config: c)], dataset: SessionTests.dataset(),
            publishInterval: 0.001)
        s.start()
        let out = collect(s, until: finished)
        s.stop()
        let a = out.runs[0]!.losses
        let b = out.runs[1]!.losses
        #expect(a.count == 30 && b.count == 30)
        #expect(a.map(\.loss) == b.map(\.loss), "same seed, same batches, same config ⇒ bit-identical losses")
        let accuracies = { (id: Int) in out.runs[id]!.evaluations.map { [$0.trainAccuracy, $0.testAccuracy ?? -1] } }
        #expect(accuracies(0).count == 3 && accuracies(0) == accuracies(1))
    }

    @Test func runsDifferingInOptimizerConsumeIdenticalBatches() {
        var sgd = SessionTests.config
        var adam = SessionTests.config
        sgd.optimizer = .sgd
        adam.optimizer = .adam
        adam.learningRate = nil
        let s = TrainingSession(
            runs: [Spec(config: sgd), Spec(config: adam)], dataset: SessionTests.dataset(),
            publishInterval: 0.001, recordsBatches: true)
        s.start()
        let out = collect(s, until: finished)
        s.stop()
        let a = out.runs[0]!
        let b = out.runs[1]!
        #expect(a.batches.count == 30)
        #expect(a.batches == b.batches, "batch k is the same images for every run")
        #expect(Set(a.batches.flatMap { $0 }).count > 20, "and the batches are real draws, not one batch repeated")
        #expect(a.losses.map(\.loss) != b.losses.map(\.loss), "the optimizer makes the difference")
    }

    /// Lock-step across batch sizes is one sample order consumed at different rates: run 1's first
    /// ten batches of 10 are run 2's first batch of 100, and each finishes its epochs in samples.
    @Test func runsOfBatch10And100SeeTheSameSampleSequence() {
        var small = SessionTests.config
        var large = SessionTests.config
        small.batchSize = 10
        large.batchSize = 100
        let s = TrainingSession(
            runs: [Spec(config: small), Spec(config: large)], dataset: SessionTests.dataset(),
            publishInterval: 0.001, recordsBatches: true)
        s.start()
        let out = collect(s, until: finished)
        s.stop()
        let a = out.runs[0]!
        let b = out.runs[1]!
        #expect(a.batches.count == 60 && b.batches.count == 6, "3 epochs of 200 samples each")
        #expect(Array(a.batches.prefix(10).joined()) == b.batches[0])
        #expect(Array(a.batches.joined()) == Array(b.batches.joined()), "the same 600 samples in the same order")
        #expect(a.evaluations.map(\.epoch) == [1, 2, 3] && b.evaluations.map(\.epoch) == [1, 2, 3])
        #expect(a.status?.epochProgress == 3 && b.status?.epochProgress == 3)
    }

    @Test func aPausedRunResumesAtItsPlaceInTheBatchSequence() {
        let config = SessionTests.config
        let s = TrainingSession(
            runs: [Spec(config: config), Spec(config: config)], dataset: SessionTests.dataset(),
            publishInterval: 0.001, recordsBatches: true)
        s.start(paused: true)
        let c = Collector(s)
        c.wait { $0.order.count == 2 }
        // Only the second run moves for a while, then both go to the end.
        for _ in 0..<7 { s.send(.stepOnce, to: 1) }
        c.wait { $0.runs[1]?.status?.step == 7 }
        s.send(.resume, to: 0)
        s.send(.resume, to: 1)
        let out = c.wait(until: finished)
        s.stop()
        #expect(out.runs[0]!.batches == out.runs[1]!.batches)
        #expect(out.runs[0]!.losses.map(\.loss) == out.runs[1]!.losses.map(\.loss))
    }

    @Test func aForkGoesOnFromTheSameStateAndOnlyItTakesTheNextSwitch() {
        var c = SessionTests.config
        c.optimizer = .momentum
        let s = TrainingSession(
            runs: [Spec(config: c, title: "base")], dataset: SessionTests.dataset(),
            publishInterval: 0.001, recordsBatches: true)
        s.start(paused: true)
        let col = Collector(s)
        col.wait { !$0.order.isEmpty }
        for _ in 0..<5 { s.send(.stepOnce) }
        s.send(.fork(as: 3))
        let forked = col.wait { $0.order.count == 2 && $0.runs[0]?.status?.step == 5 }
        let forkID = forked.order[1]
        #expect(forkID == 3, "the fork is the run the screen asked for")
        #expect(forked.runs[forkID]?.status?.step == 5, "the fork starts at the original's step")
        #expect(forked.runs[forkID]?.title == "fork of base @5")
        // Untouched, both go on identically (weights, momentum and batch position were copied).
        for _ in 0..<3 {
            s.send(.stepOnce, to: 0)
            s.send(.stepOnce, to: forkID)
        }
        let same = col.wait { $0.runs[0]?.status?.step == 8 && $0.runs[forkID]?.status?.step == 8 }
        #expect(Array(same.runs[0]!.losses.suffix(3).map(\.loss)) == same.runs[forkID]!.losses.map(\.loss))
        #expect(Array(same.runs[0]!.batches.suffix(3)) == same.runs[forkID]!.batches)
        #expect(
            same.runs[0]!.events.contains { $0.label.hasPrefix("⑂ fork") && $0.step == 5 },
            "fork marker on the original")
        #expect(same.runs[forkID]!.events.contains { $0.label == "⑂ forked" && $0.step == 5 }, "and on the fork")
        // A switch sent to the fork changes the fork only.
        s.send(.setBatchNorm(true), to: forkID)
        s.send(.stepOnce, to: forkID)
        let after = col.wait { $0.runs[forkID]?.status?.step == 9 }
        s.stop()
        #expect(after.runs[forkID]?.status?.config.network.batchNorm == true)
        #expect(after.runs[0]?.status?.config.network.batchNorm == false)
    }

    @Test func forksStopAtTheRunLimit() {
        let c = SessionTests.config
        let s = TrainingSession(
            runs: [Spec(config: c), Spec(config: c)], dataset: SessionTests.dataset(),
            publishInterval: 0.001, maxRuns: 3)
        s.start(paused: true)
        _ = collect(s) { $0.order.count == 2 }
        s.send(.fork(as: 2))
        s.send(.fork(as: 3))
        let out = collect(s) { $0.order.count == 3 && $0.notice != nil }
        s.stop()
        #expect(out.order == [0, 2, 1])
        #expect(out.notice?.contains("at most 3 runs") == true)
        #expect(out.refusedForks == [3], "the refusal names the fork refused")
    }

    @Test func aForkAsARunThatExistsOrOfARunThatIsGoneIsRefused() {
        let c = SessionTests.config
        let s = TrainingSession(
            runs: [Spec(config: c), Spec(config: c)], dataset: SessionTests.dataset(), publishInterval: 0.001)
        s.start(paused: true)
        _ = collect(s) { $0.order.count == 2 }
        s.send(.fork(as: 1), to: 0)
        s.send(.fork(as: 5), to: 9)
        let out = collect(s) { $0.refusedForks.count == 2 }
        s.stop()
        #expect(out.order == [0, 1], "no run was added")
        #expect(out.refusedForks == [1, 5])
    }

    /// A headless comparison left running keeps a bounded tail of losses, and the summary's mean is
    /// still over the last tenth of the steps.
    @Test func headlessLossTailStaysBounded() {
        var r = HeadlessSession.RunResult(title: "run")
        for k in 0..<30 { r.add((0..<10_000).map { Float(k * 10_000 + $0) }) }
        #expect(r.lossCount == 300_000)
        #expect(r.losses.count <= 2 * HeadlessSession.RunResult.keptLosses)
        #expect(r.recentLosses.count == 30_000 && r.recentLosses.first == 270_000 && r.recentLosses.last == 299_999)
        var short = HeadlessSession.RunResult(title: "run")
        short.add((1...40).map(Float.init))
        #expect(Array(short.recentLosses) == [37, 38, 39, 40], "a short run: its last tenth, as before")
    }
}
