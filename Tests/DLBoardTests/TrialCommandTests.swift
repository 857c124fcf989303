import Foundation
import NN
import Testing

@testable import dlboard

/// `dlboard trial`'s contract through the built binary, as a scheduler uses it: spec in, record out,
/// stdout the eval and summary lines, SIGTERM a normal end, `--paced` acks, checkpoints that go on
/// bit-identically, and one clear line for every refusal. Each trial trains a 784-50-10 network on
/// 500 made-up images (5 steps an epoch) for a few epochs.
@Suite struct TrialCommandTests {
    /// A folder with the fixture data; `flags` are the data and the small network every test uses.
    struct Scratch {
        let fx = CLIFixtures()
        init() { fx.writeMNIST(train: 500, test: 100) }
        var flags: [String] { ["--data", fx.directory, "--hidden", "50"] }
        func path(_ name: String) -> String { fx.path(name) }
        func remove() { fx.remove() }
    }

    static func lines(_ path: String) -> [Substring] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n")
    }

    static func object(_ line: Substring) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
    }

    static func records(_ path: String) -> [[String: Any]] { lines(path).map(object) }

    /// Two JSON objects with the same fields and values.
    static func same(_ a: Any?, _ b: Any?) -> Bool {
        guard let a = a as? [String: Any], let b = b as? [String: Any] else { return false }
        return NSDictionary(dictionary: a).isEqual(to: b)
    }

    static func type(_ line: Substring) -> String? { object(line)["type"] as? String }

    /// Each step record's loss as the file spells it (the digits written, not a parsed Double), by step.
    static func stepLosses(_ path: String) -> [Int: String] {
        var out: [Int: String] = [:]
        for line in lines(path) where type(line) == "step" {
            guard let step = object(line)["step"] as? Int, let start = line.range(of: "\"loss\":") else { continue }
            out[step] = String(line[start.upperBound...].prefix { $0 != "," && $0 != "}" })
        }
        return out
    }

    static func events(_ path: String, _ kind: String) -> [[String: Any]] {
        records(path).filter { $0["type"] as? String == "event" && $0["kind"] as? String == kind }
    }

    static func summary(_ path: String) -> [String: Any]? {
        let r = records(path)
        return r.last?["type"] as? String == "summary" ? r.last : nil
    }

    // MARK: Spec in, record out

    /// A spec file (a record's config object, the learning rate changed) → the record's header
    /// states exactly that configuration, an evaluation per epoch, the summary last; stdout is the
    /// file's eval and summary lines, byte for byte.
    @Test func specFileInRecordOut() throws {
        let s = Scratch()
        defer { s.remove() }
        let first = try BinaryRunner.run(
            ["trial"] + s.flags + ["--optimizer", "momentum", "--epochs", "2", "--metrics-out", s.path("a.jsonl")])
        #expect(first.status == 0, "\(first.stderr)")
        var config = try #require(Self.records(s.path("a.jsonl")).first?["config"] as? [String: Any])
        config["learningRate"] = 0.02
        config["epochs"] = 3
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: s.path("spec.json")))

        let log = s.path("b.jsonl")
        let r = try BinaryRunner.run([
            "trial", "--data", s.fx.directory, "--spec", s.path("spec.json"), "--metrics-out", log,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let records = Self.records(log)
        let header = try #require(records.first)
        #expect(header["type"] as? String == "config")
        let stated = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: s.path("spec.json"))))
        #expect(Self.same(header["config"], stated), "\(header)")
        let evals = records.filter { $0["type"] as? String == "eval" }
        #expect(evals.compactMap { $0["epoch"] as? Int } == [1, 2, 3])
        #expect(evals.compactMap { $0["step"] as? Int } == [5, 10, 15])
        #expect(evals.allSatisfy { $0["lr"] as? Double == 0.02 })
        #expect(records.last?["type"] as? String == "summary")
        #expect(records.last?["stopped"] is NSNull, "reached its target")
        let expected = Self.lines(log).filter { ["eval", "summary"].contains(Self.type($0)) }
        #expect(r.stdout.split(separator: "\n") == expected)
        #expect(r.stdout.hasSuffix("}\n"))
    }

    /// A whole config record line on stdin; without --metrics-out stdout is the whole record.
    @Test func specOnStandardInput() throws {
        let s = Scratch()
        defer { s.remove() }
        let first = try BinaryRunner.run(
            ["trial"] + s.flags + ["--optimizer", "adam", "--epochs", "1", "--metrics-out", s.path("a.jsonl")])
        #expect(first.status == 0, "\(first.stderr)")
        let line = try #require(Self.lines(s.path("a.jsonl")).first)
        let p = try TrialProcess(["trial", "--data", s.fx.directory, "--spec", "-", "--epochs", "2"])
        p.write(line + "\n")
        p.closeInput()
        #expect(p.wait() == 0, "\(p.stderr)")
        let out = p.stdoutLines
        let config = Self.object(try #require(out.first))["config"] as? [String: Any]
        #expect(config?["optimizer"] as? String == "adam")
        #expect((config?["network"] as? [String: Any])?["hidden"] as? [Int] == [50])
        #expect(config?["epochs"] as? Int == 2, "the flag over the spec")
        #expect(out.filter { Self.type($0) == "eval" }.count == 2)
        #expect(out.filter { Self.type($0) == "step" }.count == 10)
        #expect(Self.type(try #require(out.last)) == "summary")
    }

    /// Flags given on the command line win over the spec's fields; the spec keeps the rest, also
    /// after a flag that takes no value (--batchnorm) and one spelt with `=`.
    @Test func flagsOverrideTheSpec() throws {
        let s = Scratch()
        defer { s.remove() }
        let spec =
            #"{"optimizer":"adam","learningRate":0.002,"batchSize":50,"seed":7,"network":{"hidden":[20],"dropout":0.1}}"#
        try spec.write(toFile: s.path("spec.json"), atomically: true, encoding: .utf8)
        let log = s.path("m.jsonl")
        let r = try BinaryRunner.run([
            "trial", "--data", s.fx.directory, "--spec", s.path("spec.json"), "--batchnorm", "--lr", "0.05",
            "--hidden=30", "--epochs", "1", "--metrics-out", log,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let config = try #require(Self.records(log).first?["config"] as? [String: Any])
        let network = config["network"] as? [String: Any]
        #expect(config["optimizer"] as? String == "adam" && config["batchSize"] as? Int == 50)
        #expect(config["seed"] as? Int == 7)
        #expect(config["learningRate"] as? Double == 0.05)
        #expect(network?["hidden"] as? [Int] == [30])
        #expect(network?["normalization"] as? String == "batch")
        #expect(network?["dropout"] as? Double == 0.1)
    }

    @Test func givenOptionsSkipTheirValues() {
        let given = TrialCommand.givenOptions(["trial", "--metrics-out", "--lr", "--batchnorm", "--seed=3", "--paced"])
        #expect(given == ["--metrics-out", "--batchnorm", "--seed", "--paced"], "--lr is --metrics-out's value here")
    }

    /// Every bad spec is one line naming the file and the problem, exit 64, nothing on stdout.
    @Test(arguments: [
        (#"{"optimizer":"adamx"}"#, "optimizer: unknown value 'adamx'"),
        (#"{"optimizer":"adam","#, "not valid JSON"),
        (#"{"learningRate":-1}"#, "learning rate: must be a positive number"),
        (#"{"learningrate":0.1}"#, "unknown field 'learningrate'"),
        (#"{"network":{"hidden":[0]}}"#, "hidden layer sizes"),
        (#"{"type":"step","step":1}"#, "only a config record is a spec"),
        ("[1, 2]", "expected a JSON object"),
        (#"{"seed":-1}"#, "seed: -1 is not a whole number in 0…2^64−1"),
        (#"{"seed":1.5}"#, "seed: 1.5 is not a whole number in 0…2^64−1"),
        (#"{"seed":18446744073709551616}"#, "seed: 18446744073709551616 is not a whole number in 0…2^64−1"),
        (#"{"batchSize":1e30}"#, "batchSize: 1e+30 is not a whole number in −2^63…2^63−1"),
        (#"{"learningRate":1e39}"#, "learningRate: 1e+39 is out of range"),
        (
            #"{"network":{"hidden":["# + Array(repeating: "1", count: 1001).joined(separator: ",") + "]}}",
            "network.hidden: at most 1000 layers, got 1001"
        ),
        ("", "empty"),
    ])
    func badSpecsAreOneLine(spec: String, problem: String) throws {
        let s = Scratch()
        defer { s.remove() }
        let file = s.path("bad.json")
        try spec.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try BinaryRunner.run(["trial", "--data", s.fx.directory, "--spec", file, "--epochs", "1"])
        #expect(!r.crashed)
        #expect(r.status == 64)
        #expect(r.stdout.isEmpty)
        #expect(r.stderrLines.count == 1, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("dlboard: error: --spec \(file): "), "\(r.stderr)")
        #expect(r.stderr.contains(problem), "\(r.stderr)")
    }

    @Test func pacedRefusesTheSpecOnStandardInput() throws {
        let r = try BinaryRunner.run(["trial", "--spec", "-", "--paced"])
        #expect(r.status == 64 && r.stderrLines.count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("--paced and --spec -"))
    }

    // MARK: Stopping

    /// SIGTERM mid-run: the summary says terminated, exit 0, and the record replays.
    @Test func sigtermEndsTheTrialWithASummary() throws {
        let s = Scratch()
        defer { s.remove() }
        let log = s.path("m.jsonl")
        let p = try TrialProcess(["trial"] + s.flags + ["--epochs", "100000", "--metrics-out", log])
        #expect(p.waitForLines(1), "\(p.stderr)")
        p.signal(SIGTERM)
        #expect(p.wait(timeout: 30) == 0, "\(p.stderr)")
        let summary = try #require(Self.summary(log))
        #expect(summary["stopped"] as? String == "terminated")
        #expect(Self.type(try #require(p.stdoutLines.last)) == "summary")
        #expect(p.stdoutLines.last.map(Self.object)?["stopped"] as? String == "terminated")
        let replay = try BinaryRunner.run(["replay", "--headless", log])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.contains("stopped: terminated"), "\(replay.stdout)")
    }

    /// SIGINT stays an interruption: "interrupted", exit 130.
    @Test func sigintIsAnInterruption() throws {
        let s = Scratch()
        defer { s.remove() }
        let log = s.path("m.jsonl")
        let p = try TrialProcess(["trial"] + s.flags + ["--epochs", "100000", "--metrics-out", log])
        #expect(p.waitForLines(1), "\(p.stderr)")
        p.signal(SIGINT)
        #expect(p.wait(timeout: 30) == 130, "\(p.stderr)")
        #expect(Self.summary(log)?["stopped"] as? String == "interrupted")
    }

    /// --paced: after the first evaluation the trial trains no further until a line comes; end of
    /// input then ends it as terminated, exit 0.
    @Test func pacedWaitsForEachLine() throws {
        let s = Scratch()
        defer { s.remove() }
        let log = s.path("m.jsonl")
        let p = try TrialProcess(["trial"] + s.flags + ["--epochs", "3", "--paced", "--metrics-out", log])
        #expect(p.waitForLines(1), "\(p.stderr)")
        usleep(600_000)
        #expect(p.stdoutLines.count == 1, "no second evaluation without a line")
        #expect(Self.stepLosses(log).keys.max() == 5, "no step past the evaluation's")
        p.write("\n")
        #expect(p.waitForLines(2), "\(p.stderr)")
        usleep(300_000)
        #expect(p.stdoutLines.count == 2)
        p.closeInput()
        #expect(p.wait(timeout: 30) == 0, "\(p.stderr)")
        let summary = try #require(Self.summary(log))
        #expect(summary["stopped"] as? String == "terminated" && summary["steps"] as? Int == 10, "\(summary)")
    }

    /// A SIGTERM while the paced trial waits for its line ends it at once.
    @Test func sigtermWhileWaitingEndsAPacedTrial() throws {
        let s = Scratch()
        defer { s.remove() }
        let log = s.path("m.jsonl")
        let p = try TrialProcess(["trial"] + s.flags + ["--epochs", "3", "--paced", "--metrics-out", log])
        #expect(p.waitForLines(1), "\(p.stderr)")
        let start = Date()
        p.signal(SIGTERM)
        #expect(p.wait(timeout: 30) == 0, "\(p.stderr)")
        #expect(Date().timeIntervalSince(start) < 3, "the wait polls; it does not block on the read")
        #expect(Self.summary(log)?["stopped"] as? String == "terminated")
    }

    // MARK: Checkpoints

    /// A 2-epoch run with checkpoints, paced so the epoch-1 checkpoint can be kept; a restore from it
    /// for the second epoch gives the same step losses, digit for digit, as the run that went on.
    @Test func restoreGoesOnBitIdentically() throws {
        let s = Scratch()
        defer { s.remove() }
        let full = s.path("full.jsonl")
        let first = try keptEpochOneCheckpoint(s, log: full, into: s.path("ck1"))
        let log = s.path("restored.jsonl")
        let r = try BinaryRunner.run(
            ["trial"] + s.flags + [
                "--epochs", "2", "--log-every", "1", "--restore", s.path("ck1"), "--metrics-out", log,
            ])
        #expect(r.status == 0, "\(r.stderr)")
        let whole = Self.stepLosses(full)
        let restored = Self.stepLosses(log)
        #expect(whole.count == 10 && restored.keys.sorted() == Array(6...10), "\(restored)")
        for step in 6...10 { #expect(restored[step] == whole[step], "step \(step)") }
        let records = Self.records(log)
        #expect(records.first?["type"] as? String == "config")
        #expect(Self.same(records.first?["config"], Self.records(full).first?["config"]))
        let restore = records.dropFirst().first
        #expect(restore?["kind"] as? String == "restore" && restore?["step"] as? Int == 5)
        #expect(restore?["from"] as? String == first, "the digest the checkpoint event named")
        let steps = records.filter { $0["type"] as? String == "step" }
        #expect(steps.allSatisfy { $0["epoch"] as? Int == 2 }, "the steps after epoch 1's checkpoint are epoch 2's")
        #expect(records.filter { $0["type"] as? String == "eval" }.compactMap { $0["epoch"] as? Int } == [2])
        #expect(Self.summary(log)?["steps"] as? Int == 10)
    }

    /// A restore with another learning rate: the first step's loss is the same (measured before the
    /// update), an `lr` event at the restore step, the header states the new rate.
    @Test func restoreWithAnotherLearningRate() throws {
        let s = Scratch()
        defer { s.remove() }
        let full = s.path("full.jsonl")
        _ = try keptEpochOneCheckpoint(s, log: full, into: s.path("ck1"))
        let log = s.path("restored.jsonl")
        let r = try BinaryRunner.run(
            ["trial"] + s.flags + [
                "--epochs", "2", "--log-every", "1", "--lr", "0.05", "--restore", s.path("ck1"), "--metrics-out", log,
            ])
        #expect(r.status == 0, "\(r.stderr)")
        let whole = Self.stepLosses(full)
        let restored = Self.stepLosses(log)
        #expect(restored[6] != nil && restored[6] == whole[6])
        #expect(restored[7] != whole[7], "the new rate trains differently")
        let lr = Self.events(log, "lr")
        #expect(lr.count == 1 && lr.first?["step"] as? Int == 5, "\(lr)")
        #expect(lr.first?["from"] as? String == "0.01" && lr.first?["to"] as? String == "0.05")
        #expect((Self.records(log).first?["config"] as? [String: Any])?["learningRate"] as? Double == 0.05)
    }

    /// A torn checkpoint (cut short) is refused in one line, exit 1.
    @Test func tornCheckpointIsOneLine() throws {
        let s = Scratch()
        defer { s.remove() }
        let r0 = try BinaryRunner.run(["trial"] + s.flags + ["--epochs", "1", "--checkpoint-dir", s.path("ck")])
        #expect(r0.status == 0, "\(r0.stderr)")
        let file = s.path("ck/dlboard.ckpt")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        #expect(truncate(file, off_t(size / 2)) == 0)
        let r = try BinaryRunner.run(["trial"] + s.flags + ["--epochs", "2", "--restore", s.path("ck")])
        #expect(!r.crashed && r.status == 1, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(r.stderrLines.count == 1 && r.stderr.hasPrefix("dlboard: error: --restore \(s.path("ck")): "))
        #expect(r.stderr.contains("torn"), "\(r.stderr)")
    }

    /// Another network shape, or another setting than lr and weight decay, is refused in one line
    /// naming both sides.
    @Test func mismatchedCheckpointIsOneLine() throws {
        let s = Scratch()
        defer { s.remove() }
        let r0 = try BinaryRunner.run(["trial"] + s.flags + ["--epochs", "1", "--checkpoint-dir", s.path("ck")])
        #expect(r0.status == 0, "\(r0.stderr)")
        let shape = try BinaryRunner.run([
            "trial", "--data", s.fx.directory, "--hidden", "30", "--epochs", "2", "--restore", s.path("ck"),
        ])
        #expect(shape.status == 1 && shape.stderrLines.count == 1, "\(shape.stderr)")
        #expect(
            shape.stderr.contains(
                "--restore \(s.path("ck")): checkpoint '\(s.path("ck"))/dlboard.ckpt' is a 784-50-10 network; this trial asks for 784-30-10"
            ), "\(shape.stderr)")
        let optimizer = try BinaryRunner.run(
            ["trial"] + s.flags + ["--optimizer", "adam", "--epochs", "2", "--restore", s.path("ck")])
        #expect(optimizer.status == 1 && optimizer.stderrLines.count == 1, "\(optimizer.stderr)")
        #expect(optimizer.stderr.contains("trained with optimizer \"sgd\"; this trial asks for \"adam\""))
    }

    /// Runs 2 epochs paced with `--checkpoint-dir`, copying the epoch-1 checkpoint to `keep` before
    /// acknowledging it; returns the digest its checkpoint event named.
    private func keptEpochOneCheckpoint(_ s: Scratch, log: String, into keep: String) throws -> String? {
        let dir = s.path("ck")
        let p = try TrialProcess(
            ["trial"] + s.flags + [
                "--epochs", "2", "--log-every", "1", "--checkpoint-dir", dir, "--paced", "--metrics-out", log,
            ])
        #expect(p.waitForLines(1), "\(p.stderr)")
        try FileManager.default.copyItem(atPath: dir, toPath: keep)
        p.write("\n")
        #expect(p.wait(timeout: 60) == 0, "\(p.stderr)")
        let checkpoints = Self.events(log, "checkpoint")
        #expect(checkpoints.compactMap { $0["step"] as? Int } == [5, 10])
        return checkpoints.first?["to"] as? String
    }

    // MARK: Failures that end the trial

    /// Runs the binary under `bash -c 'ulimit -f BLOCKS; exec …'` (a file-size limit, as a full
    /// disk would be seen).
    static func runLimited(blocks: Int, _ arguments: [String]) throws -> BinaryRunner.Result {
        let quoted = ([BinaryRunner.executable.path] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
        return try Subprocess.run(
            "/bin/bash", ["-c", "ulimit -f \(blocks); exec \(quoted)"],
            environment: ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 },
            timeout: 120)
    }

    /// A record that cannot be written whole ends the trial: one line naming the file, exit 1, and
    /// stdout never carries a line the file lacks.
    @Test(.fileSizeLimited, arguments: [8, 16])
    func recordWriteFailureEndsTheTrial(blocks: Int) throws {
        let s = Scratch()
        defer { s.remove() }
        let log = s.path("r.jsonl")
        let r = try Self.runLimited(
            blocks: blocks, ["trial"] + s.flags + ["--epochs", "8", "--log-every", "1", "--metrics-out", log])
        #expect(!r.crashed && r.status == 1, "\(r.stderr)")
        #expect(r.stderrLines.count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("writing '\(log)' failed"), "\(r.stderr)")
        let file = Set(Self.lines(log))
        let echoed = r.stdout.split(separator: "\n")
        #expect(echoed.allSatisfy { file.contains($0) }, "stdout: \(echoed)")
        #expect(Self.summary(log) == nil)
    }

    /// A checkpoint directory that cannot hold a checkpoint is refused before any training.
    @Test(.fileSizeLimited) func unwritableCheckpointDirectoryIsRefusedFirst() throws {
        let s = Scratch()
        defer { s.remove() }
        let log = s.path("r.jsonl")
        let limited = try Self.runLimited(
            blocks: 100,
            ["trial"] + s.flags + ["--epochs", "3", "--metrics-out", log, "--checkpoint-dir", s.path("ck")])
        #expect(limited.status == 1 && limited.stderrLines.count == 1, "\(limited.stderr)")
        #expect(limited.stderr.contains("--checkpoint-dir \(s.path("ck")): cannot hold a checkpoint"))
        #expect(limited.stdout.isEmpty)
        #expect(!Self.lines(log).contains { Self.type($0) == "step" }, "nothing trained")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: s.path("ck")))?.isEmpty == true)

        try "x".write(toFile: s.path("plain"), atomically: true, encoding: .utf8)
        let file = try BinaryRunner.run(
            ["trial"] + s.flags + ["--epochs", "1", "--checkpoint-dir", s.path("plain/ck")])
        #expect(file.status == 1 && file.stderrLines.count == 1, "\(file.stderr)")
        #expect(file.stderr.contains("--checkpoint-dir \(s.path("plain/ck")): cannot create it"), "\(file.stderr)")
        #expect(file.stdout.isEmpty)
    }

    /// A checkpoint whose header holds an invalid value (a negative learning rate) is the
    /// checkpoint's fault, not a flag's: one line naming the file, exit 1.
    @Test func invalidCheckpointConfigurationIsTheCheckpoints() throws {
        let s = Scratch()
        defer { s.remove() }
        let r0 = try BinaryRunner.run(
            ["trial"] + s.flags + ["--optimizer", "momentum", "--epochs", "1", "--checkpoint-dir", s.path("ck")])
        #expect(r0.status == 0, "\(r0.stderr)")
        var checkpoint = try TrainerCheckpoint.read(fromDirectory: s.path("ck"))
        checkpoint.config.learningRate = -1
        try checkpoint.write(toDirectory: s.path("bad"))
        let r = try BinaryRunner.run(
            ["trial"] + s.flags + ["--optimizer", "momentum", "--epochs", "2", "--restore", s.path("bad")])
        #expect(r.status == 1 && r.stderrLines.count == 1, "\(r.stderr)")
        #expect(
            r.stderr.hasPrefix(
                "dlboard: error: --restore \(s.path("bad")): checkpoint '\(s.path("bad"))/dlboard.ckpt' holds an invalid configuration: "
            ), "\(r.stderr)")
        #expect(r.stderr.contains("-1"), "\(r.stderr)")
        #expect(!r.stderr.contains("--lr"), "\(r.stderr)")
    }

    // MARK: Budgets

    /// With `--steps` past the spec's epochs, the header states the epochs that train.
    @Test func stepBudgetSetsTheHeadersEpochs() throws {
        let s = Scratch()
        defer { s.remove() }
        let log = s.path("s.jsonl")
        let r = try BinaryRunner.run(["trial"] + s.flags + ["--steps", "12", "--metrics-out", log])
        #expect(r.status == 0, "\(r.stderr)")
        let config = try #require(Self.records(log).first?["config"] as? [String: Any])
        #expect(config["epochs"] as? Int == 3, "12 steps of 5 an epoch: 3 epochs, the last partial")
        #expect(Self.summary(log)?["steps"] as? Int == 12)
    }

    /// A restore whose budget is already reached trains nothing: one warning, and the record ends
    /// with the checkpoint's evaluation (the one its run recorded) and a summary, exit 0.
    @Test func restoreAtTheBudgetRecordsTheCheckpointsResult() throws {
        let s = Scratch()
        defer { s.remove() }
        let first = try BinaryRunner.run(
            ["trial"] + s.flags + [
                "--epochs", "2", "--checkpoint-dir", s.path("ck"), "--metrics-out", s.path("a.jsonl"),
            ])
        #expect(first.status == 0, "\(first.stderr)")
        let log = s.path("b.jsonl")
        let r = try BinaryRunner.run(
            ["trial"] + s.flags + ["--epochs", "2", "--restore", s.path("ck"), "--metrics-out", log])
        #expect(r.status == 0 && r.stderrLines.count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("the checkpoint is at step 10 (epoch 2), the budget is 2 epochs: nothing to train"))
        let before = try #require(Self.records(s.path("a.jsonl")).last { $0["type"] as? String == "eval" })
        let evals = Self.records(log).filter { $0["type"] as? String == "eval" }
        #expect(evals.count == 1 && evals.first?["step"] as? Int == 10)
        #expect(evals.first?["test_acc"] as? Double == before["test_acc"] as? Double)
        let summary = try #require(Self.summary(log))
        #expect(summary["epochs"] as? Int == 2 && summary["steps"] as? Int == 10)
        #expect(summary["test_acc"] as? Double == before["test_acc"] as? Double)
        #expect(r.stdout.split(separator: "\n").count == 2, "the eval and the summary")
    }
}
