import Foundation
import NN
import Testing

@testable import dlboard

/// The training session on its background queue, driven the way the dashboard drives it.
@Suite struct SessionTests {
    static func dataset() -> Dataset {
        var g = SeededGenerator(seed: 1)
        func images(_ n: Int) -> LabeledImages {
            var px: [UInt8] = []
            var lb: [UInt8] = []
            for _ in 0..<n {
                let label = g.nextInt(below: 4)
                for j in 0..<16 { px.append(UInt8(g.nextInt(below: 100) + (j / 4 == label ? 150 : 0))) }
                lb.append(UInt8(label))
            }
            return LabeledImages(pixels: px, labels: lb, features: 16, classes: 4)
        }
        return Dataset(name: "synthetic", train: images(200), test: images(50))
    }

    static let config = TrainingConfig(
        network: NetworkConfig(inputSize: 16, hidden: [8, 8], outputSize: 4),
        optimizer: .sgd, learningRate: 0.1, batchSize: 20, epochs: 3, seed: 2)

    /// Drains until `done` holds for the accumulated output, or fails after `seconds`.
    func collect(_ s: TrainingSession, seconds: Double = 20, until done: (SessionOutput) -> Bool) -> SessionOutput {
        var all = SessionOutput()
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let o = s.drain()
            all.losses += o.losses
            all.evaluations += o.evaluations
            all.events += o.events
            if let st = o.status { all.status = st }
            if !o.activations.isEmpty { all.activations = o.activations }
            if done(all) { return all }
            usleep(2000)
        }
        Issue.record("timed out; status \(String(describing: all.status))")
        return all
    }

    @Test func trainsToTheTargetThenPausesAsFinished() {
        let s = TrainingSession(
            config: Self.config, dataset: Self.dataset(), publishInterval: 0.001, histogramInterval: 0)
        s.start()
        let out = collect(s) { $0.status?.finished == true }
        s.stop()
        #expect(out.status?.step == 30 && out.status?.paused == true)
        #expect(out.losses.map(\.step) == Array(1...30), "every step published exactly once, in order")
        #expect(out.evaluations.map(\.epoch) == [1, 2, 3])
        #expect(out.activations.count == 2)
    }

    @Test func commandsApplyBetweenStepsAndAreMarked() {
        let s = TrainingSession(config: Self.config, dataset: Self.dataset(), publishInterval: 0.001)
        s.start(paused: true)
        _ = collect(s) { $0.status != nil }
        s.send(.stepOnce)
        s.send(.setOptimizer(.adam))
        s.send(.setBatchNorm(true))
        s.send(.setDropout(0.3))
        s.send(.stepOnce)
        let out = collect(s) { $0.status?.step == 2 && $0.status?.config.network.dropout == 0.3 }
        s.stop()
        let status = out.status
        #expect(status?.config.optimizer == .adam)
        #expect(status?.config.effectiveLearningRate == 0.001, "a new optimizer starts at the book's default lr")
        #expect(status?.config.network.batchNorm == true)
        #expect(status?.paused == true, "single steps keep the session paused")
        #expect(out.events.map(\.label) == ["→ Adam", "+BN", "dropout 0.3"])
        #expect(out.events.allSatisfy { $0.step == 1 }, "switches take effect after step 1, before step 2")
    }

    @Test func divergencePausesAndIsReported() {
        var c = Self.config
        c.learningRate = 1e30
        let s = TrainingSession(config: c, dataset: Self.dataset(), publishInterval: 0.001)
        s.start()
        let out = collect(s) { $0.status?.diverged == true }
        #expect(out.status?.paused == true)
        #expect(out.events.last?.label == "✗ diverged")
        s.send(.resume)  // refused: the weights are NaN until a restart
        usleep(50_000)
        #expect(s.drain().status?.paused == true)
        s.send(.restart)
        s.send(.setLearningRate(0.1))
        s.send(.resume)
        let after = collect(s) { ($0.status?.step ?? 0) > (out.status?.step ?? 0) + 3 }
        s.stop()
        #expect(after.status?.diverged == false)
    }

    @Test func stopReturnsPromptlyWhileTraining() {
        var c = Self.config
        c.epochs = 1_000_000
        let s = TrainingSession(config: c, dataset: Self.dataset())
        s.start()
        _ = collect(s) { ($0.status?.step ?? 0) > 10 }
        let t0 = Date()
        s.stop()
        #expect(Date().timeIntervalSince(t0) < 1)
    }

    /// `| head -1`: the reader of stdout goes away mid-run. The run stops cleanly (exit 141, as a
    /// shell reports SIGPIPE) and its record still gets every line and the summary; the closed
    /// stderr (`2>&1`) costs no trap either.
    @Test(arguments: [["train"], ["compare", "--optimizers", "sgd,adam", "--headless"]])
    func aClosedStdoutStopsTheRunWithItsRecordComplete(command: [String]) throws {
        let fx = CLIFixtures()
        defer { fx.remove() }
        fx.writeMNIST(train: 200, test: 100)
        let log = fx.path("m.jsonl")
        let args =
            (command + [
                "--data", fx.directory, "--hidden", "16", "--batch", "10", "--epochs", "100000", "--metrics-out", log,
            ])
            .map { "'\($0)'" }.joined(separator: " ")
        let script =
            "'\(BinaryRunner.executable.path)' \(args) 2>&1 | head -1 >/dev/null; echo \"status=${PIPESTATUS[0]}\""
        var environment = ["PATH": "/usr/bin:/bin", "SWIFT_BACKTRACE": "enable=no"]
        // Under scripts/tsan.sh the binary needs its suppressions like every other end-to-end run:
        // without them the Mutex false positive tsan-suppressions.txt names ends it with TSan's 66.
        environment["TSAN_OPTIONS"] = ProcessInfo.processInfo.environment["TSAN_OPTIONS"]
        let r = try Subprocess.run("/bin/bash", ["-c", script], environment: environment, timeout: 60)
        #expect(r.stdout.contains("status=141"), "exit status: \(r.stdout)")
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        let records = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(records.count == lines.count, "every line whole")
        #expect(records.filter { $0["type"] as? String == "config" }.count == (command.count > 1 ? 2 : 1))
        let summaries = records.filter { $0["type"] as? String == "summary" }
        #expect(summaries.count == (command.count > 1 ? 2 : 1), "one summary per run")
        #expect(summaries.allSatisfy { $0["stopped"] as? String == "stdout closed" })
        #expect(records.last?["type"] as? String == "summary")
    }
}
