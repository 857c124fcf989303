import Foundation
import NN
import Testing

@testable import dlboard

/// A stop ends a lock-step chunk after each run's step under way, however many steps the chunk had
/// left, and `stop` returns only once nothing steps any more.
@Suite struct TrainingSessionStopTests {
    typealias Spec = TrainingSession.RunSpec
    typealias Collector = ComparisonSessionTests.Collector

    /// Four runs of a slow setting (a wide network on batches of the whole training set, each step
    /// ending an epoch and its evaluation) in chunks of 64 steps (`chunkSeconds` far above any
    /// chunk's time), two lanes: stopped right at the start of a chunk, each run takes at most the
    /// step it was in (and one begun as the stop came), not the ~63 the chunk had left.
    @Test(arguments: TrainingSession.Scheduling.allCases)
    func aStopEndsTheChunkAfterTheStepUnderWay(_ scheduling: TrainingSession.Scheduling) {
        var c = SessionTests.config
        c.network.hidden = [512, 512]
        c.batchSize = 200
        c.epochs = 1_000_000
        let runs = 4
        let s = TrainingSession(
            runs: Array(repeating: Spec(config: c), count: runs), dataset: SessionTests.dataset(),
            publishInterval: 0.001, scheduling: scheduling, lanes: 2, chunkSeconds: 1_000)
        s.start()
        // The first chunk is one step; its end sets the chunk to 64 steps, and the next begins.
        Collector(s).wait { snap in (0..<runs).allSatisfy { snap.runs[$0]?.status?.step ?? 0 >= 1 } }
        let before = s.runStepsFinished
        s.stop()
        let after = s.runStepsFinished
        #expect(after - before <= 2 * runs, "\(after - before) steps after the stop, from \(before)")
        // `stop` returned after the loop's last publish: the statuses count every step taken, and
        // no step comes after.
        let last = s.drainAll()
        let published = last.order.compactMap { last.runs[$0]?.status?.step }.reduce(0, +)
        #expect(published == after)
        usleep(20_000)
        #expect(s.runStepsFinished == after)
    }

    /// `stop` waits for the loop without a timeout, so a stop with no loop to wait for, and a
    /// second stop, return at once rather than hang.
    @Test func aSessionNeverStartedOrStoppedTwiceStopsAtOnce() {
        let idle = TrainingSession(config: SessionTests.config, dataset: SessionTests.dataset())
        idle.stop()
        let s = TrainingSession(config: SessionTests.config, dataset: SessionTests.dataset())
        s.start()
        s.stop()
        s.stop()
        #expect(s.drainAll().runs.count == 1)
    }
}
