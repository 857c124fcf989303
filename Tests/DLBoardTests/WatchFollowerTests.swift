import Foundation
import NN
import Testing

@testable import dlboard

/// `dlboard watch`'s follower on files written here line by line: only complete lines are read,
/// once each; a partial last line waits; a truncated or replaced file is read again from its
/// start; garbage is skipped and counted; new files become trials at the next walk of the tree.
@Suite struct WatchFollowerTests {
    final class Folder {
        let path = NSTemporaryDirectory() + "dlboard-watch-" + UUID().uuidString
        init() { try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: path) }

        func file(_ name: String) -> String { path + "/" + name }

        func append(_ name: String, _ text: String) {
            let p = file(name)
            try? FileManager.default.createDirectory(
                atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: p) { FileManager.default.createFile(atPath: p, contents: nil) }
            let h = FileHandle(forWritingAtPath: p)!
            h.seekToEndOfFile()
            h.write(Data(text.utf8))
            try? h.close()
        }
    }

    /// Record lines as dlboard writes them (through the schema's encoder).
    static func line(_ record: some RecordLine) -> String { try! RecordEncoder.line(record) + "\n" }

    static func config(lr: Float = 0.01, wd: Float = 1e-4, run: Int? = nil) -> String {
        var c = TrainingConfig(optimizer: .sgd, learningRate: lr, batchSize: 100, epochs: 3, seed: 1)
        c.network.weightDecay = wd
        return line(
            ConfigRecord(
                run: run, t: 0, created: nil, argv: [], dataset: "mnist", datasetChecksum: nil, dataDirectory: "",
                trainSize: 1000, validationSize: 100, testSize: 100, config: c))
    }

    static func eval(epoch: Int, val: Double, run: Int? = nil) -> String {
        line(
            EvalRecord(
                run: run, t: Double(epoch),
                evaluation: .init(
                    step: epoch * 10, epoch: epoch, meanLoss: 2 - val, trainAccuracy: val + 0.01, testAccuracy: val,
                    validationAccuracy: val, trainSeconds: 1, samplesPerSecond: 1000, learningRate: 0.01)))
    }

    static func summary(_ stopped: StopReason?, run: Int? = nil) -> String {
        line(
            SummaryRecord(
                run: run, t: 9, steps: 30, epochs: 3, seconds: 3, testAccuracy: 0.9, validationAccuracy: 0.9,
                stopped: stopped))
    }

    @Test func readsOnlyCompleteLinesOnceEach() throws {
        let f = Folder()
        f.append("a.txt", "one\ntw")
        var follower = LineFollower(path: f.file("a.txt"))
        let p1 = follower.poll()
        #expect(p1 == .appended([Data("one".utf8)]))
        let p2 = follower.poll()
        #expect(p2 == nil, "nothing new: no line twice")
        f.append("a.txt", "o")
        let p3 = follower.poll()
        #expect(p3 == nil, "still partial")
        f.append("a.txt", "\nthree\n")
        let p4 = follower.poll()
        #expect(p4 == .appended([Data("two".utf8), Data("three".utf8)]))
        #expect(follower.offset == 14)
    }

    @Test func aTruncatedOrReplacedFileIsReadAgain() throws {
        let f = Folder()
        f.append("a.txt", "first line\nsecond line\n")
        var follower = LineFollower(path: f.file("a.txt"))
        _ = follower.poll()
        try Data("new\n".utf8).write(to: URL(fileURLWithPath: f.file("a.txt")))  // shrinks
        let p5 = follower.poll()
        #expect(p5 == .restarted([Data("new".utf8)]))
        // Replaced by a rename (another inode), even when no shorter.
        f.append("b.txt", "replacement 1\nreplacement 2\n")
        _ = rename(f.file("b.txt"), f.file("a.txt"))
        let p6 = follower.poll()
        #expect(p6 == .restarted([Data("replacement 1".utf8), Data("replacement 2".utf8)]))
    }

    @Test func aRecordGrowsAsItsTrialWithGarbageSkipped() throws {
        let f = Folder()
        f.append("sweep/t1.jsonl", Self.config(lr: 0.1, wd: 1e-5) + Self.eval(epoch: 1, val: 0.5))
        var w = try TrialWatcher(roots: [f.path])
        let p7 = w.poll(now: 0)
        #expect(p7)
        var t = try #require(w.trials.first)
        #expect(t.name == "t1" && t.progress == 1 && t.state == .running)
        #expect(
            t.learningRate.map { abs($0 - 0.1) < 1e-6 } == true && t.weightDecay.map { abs($0 - 1e-5) < 1e-9 } == true)
        #expect(t.curves["val_acc"]?.map(\.y) == [0.5])
        // Garbage, a line out of range (an accuracy of 7), then a partial eval.
        let partial = Self.eval(epoch: 2, val: 0.7)
        f.append(
            "sweep/t1.jsonl",
            "not json\n" + Self.eval(epoch: 2, val: 0.6).replacingOccurrences(of: "0.6", with: "7")
                + String(partial.prefix(20)))
        let p8 = w.poll(now: 0.1)
        #expect(!p8, "nothing to show yet")
        #expect(w.skippedLines == 2)
        f.append("sweep/t1.jsonl", String(partial.dropFirst(20)) + Self.summary(.terminated))
        let p9 = w.poll(now: 0.2)
        #expect(p9)
        t = try #require(w.trials.first)
        #expect(t.curves["val_acc"]?.map(\.y) == [0.5, 0.7] && t.progress == 3 && t.state == .stopped(.terminated))
        #expect(w.skippedLines == 2)
    }

    @Test func newFilesAppearAtTheNextWalkAndOthersAreLeftOut() throws {
        let f = Folder()
        f.append("a.jsonl", Self.config() + Self.eval(epoch: 1, val: 0.4))
        f.append("notes.jsonl", "{\"some\": \"other JSON Lines\"}\n")
        f.append("readme.txt", "hello\n")
        var w = try TrialWatcher(roots: [f.path])
        w.poll(now: 0)
        #expect(w.trials.map(\.name) == ["a"])
        // A record of two runs (a search's) and a Ray trial, one level down.
        f.append(
            "b.jsonl",
            Self.config(run: 0) + Self.config(lr: 0.001, run: 1) + Self.eval(epoch: 1, val: 0.3, run: 1)
                + Self.summary(.diverged, run: 0))
        f.append(
            "ray/trial_7/result.json",
            #"{"training_iteration": 1, "val_acc": 0.25, "config": {"lr": 0.5, "wd": 0.001}}"# + "\n")
        w.poll(now: 0.5)
        #expect(w.trials.count == 1, "not before the next walk")
        w.poll(now: 1.1)
        #expect(w.trials.map(\.name) == ["a", "b#0", "b#1", "trial_7"])
        #expect(w.trials[1].state == .stopped(.diverged) && w.trials[2].curves["val_acc"]?.count == 1)
        #expect(w.trials[3].learningRate == 0.5 && w.trials[3].weightDecay == 0.001)
        // The driver's dlboard record beside Ray's result stands for the trial.
        f.append("ray/trial_7/dlboard.jsonl", Self.config() + Self.eval(epoch: 1, val: 0.26))
        w.poll(now: 2.2)
        #expect(w.trials.map(\.name) == ["a", "b#0", "b#1", "trial_7"])
        #expect(w.trials[3].source == .record)
    }

    @Test func aTruncatedRecordStartsItsTrialsAgain() throws {
        let f = Folder()
        f.append("a.jsonl", Self.config() + Self.eval(epoch: 1, val: 0.4) + Self.eval(epoch: 2, val: 0.5))
        var w = try TrialWatcher(roots: [f.path])
        w.poll(now: 0)
        #expect(w.trials.first?.progress == 2)
        try Data((Self.config(lr: 0.2) + Self.eval(epoch: 1, val: 0.1)).utf8).write(
            to: URL(fileURLWithPath: f.file("a.jsonl")))
        let p10 = w.poll(now: 0.1)
        #expect(p10)
        #expect(w.trials.count == 1 && w.trials[0].progress == 1 && w.trials[0].curves["val_acc"]?.map(\.y) == [0.1])
    }

    @Test func aRayResultGrowsAsItsTrial() throws {
        let f = Folder()
        func result(_ it: Int, _ acc: String, done: Bool = false) -> String {
            #"{"val_acc": \#(acc), "training_iteration": \#(it), "trial_id": "abc_00001", "done": \#(done), "config": {"lr": 0.01, "weight_decay": 0.0001}}"#
                + "\n"
        }
        f.append("exp/trial_abc_00001_1_lr=0.01/result.json", result(1, "0.5"))
        var w = try TrialWatcher(roots: [f.path])
        w.poll(now: 0)
        #expect(w.trials.first?.progress == 1 && w.trials.first?.state == .running)
        let line = result(2, "0.6")
        f.append(
            "exp/trial_abc_00001_1_lr=0.01/result.json",
            result(2, "NaN").replacingOccurrences(of: "val_acc", with: "score") + String(line.prefix(10)))
        w.poll(now: 0.1)
        #expect(w.trials.first?.progress == 2 && w.trials.first?.curves["val_acc"]?.count == 1)
        f.append("exp/trial_abc_00001_1_lr=0.01/result.json", String(line.dropFirst(10)) + result(3, "0.7", done: true))
        w.poll(now: 0.2)
        let t = try #require(w.trials.first)
        #expect(t.name == "trial_abc_00001_1_lr=0.01" && t.shortName == "abc_00001", "by its trial id")
        #expect(t.curves["val_acc"]?.map(\.y) == [0.5, 0.6, 0.7] && t.state == .finished && w.skippedLines == 0)
    }

    @Test func headlessExitsWhenEveryTrialHasEnded() throws {
        let f = Folder()
        f.append("a.jsonl", Self.config() + Self.eval(epoch: 1, val: 0.4) + Self.summary(nil))
        f.append("b.jsonl", Self.config(lr: 0.5) + Self.eval(epoch: 1, val: 0.6) + Self.summary(.terminated))
        let r = try BinaryRunner.run(["watch", "--headless", "--exit-when-done", f.path], timeout: 30)
        #expect(r.status == 0 && !r.timedOut, "\(r.stderr)")
        let rows = r.stdout.split(separator: "\n").dropFirst(2)
        #expect(rows.count == 2 && rows.first?.contains(" b ") == true && rows.first?.hasSuffix("terminated") == true)
        #expect(rows.last?.hasSuffix("finished") == true)
    }

    @Test func aMissingFolderIsOneLine() {
        #expect(throws: TrialWatcher.WatchError.self) { try TrialWatcher(roots: ["/nonexistent/dlboard-watch"]) }
        let e = try? TrialWatcher(roots: ["/dev/null"])
        #expect(e == nil, "a device is no folder")
    }
}
