import Foundation
import NN
import Testing

@testable import dlboard

/// What the recorder says about how each run ended.
@Suite struct SessionRecorderTests {
    /// A run that diverged stopped because it diverged, whatever stopped the session later: its
    /// summary says `diverged` even when the session was interrupted; the others say `interrupted`.
    @Test func aDivergedRunStaysDivergedInAnInterruptedSession() throws {
        var exploding = SessionTests.config
        exploding.learningRate = 1e30
        let specs = [
            TrainingSession.RunSpec(config: SessionTests.config, title: "fine"),
            TrainingSession.RunSpec(config: exploding, title: "lr 1e30"),
        ]
        let dataset = SessionTests.dataset()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rec-\(UUID()).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = try MetricsLog(path: path)
        let recorder = SessionRecorder(log: log, dataset: dataset, dataDirectory: "(test)", logEvery: 1, specs: specs)
        let session = TrainingSession(runs: specs, dataset: dataset, publishInterval: 0.001)
        session.start(paused: true)
        for run in 0..<2 {
            for _ in 0..<5 { session.send(.stepOnce, to: run) }
        }
        let deadline = Date().addingTimeInterval(20)
        var diverged = false
        while Date() < deadline && !diverged {
            let snapshot = session.drainAll()
            recorder.record(snapshot)
            diverged = snapshot.runs[1]?.status?.diverged == true && snapshot.runs[0]?.status?.step == 5
            usleep(2000)
        }
        #expect(diverged, "lr 1e30 diverges within 5 steps")
        session.stop()
        recorder.record(session.drainAll())
        recorder.finish(seconds: 1, stopReason: .interrupted)
        let record = try RunRecordReader.read(path: path)
        #expect(record.runs.map(\.stopped) == [.interrupted, .diverged])
    }
}
