import Foundation
import Testing

@testable import dlboard

/// Ray Tune's per-trial `result.json` as Ray 2.x writes it (`Fixtures/ray-tune`: an experiment
/// folder with its state files, four trial folders with `params.json`, `progress.csv` and
/// `result.json`): a finished trial, one ASHA stopped after a torn line, one that diverged (Python
/// writes NaN bare), one still writing its third result.
@Suite struct WatchRayResultTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/ray-tune").path

    @Test func aResultLineReadsAsRayWritesIt() throws {
        let line =
            #"{"loss": 0.4, "val_acc": 0.88, "epoch": 4, "step": 36, "lr": 0.03, "timestamp": 1764630006, "done": true, "#
            + #""training_iteration": 4, "trial_id": "1a2b3_00000", "date": "2026-12-01_23-00-10", "pid": 41230, "#
            + #""hostname": "node-1", "node_ip": "10.0.0.5", "config": {"lr": 0.0316, "weight_decay": 1e-05, "hidden": [100, 100]}}"#
        let r = try RayResult(line: Data(line.utf8))
        #expect(r.iteration == 4 && r.trialID == "1a2b3_00000" && r.done)
        #expect(r.learningRate == 0.0316 && r.weightDecay == 1e-05)
        #expect(r.metrics == ["loss": 0.4, "val_acc": 0.88], "Ray's and the driver's bookkeeping are no metrics")
    }

    @Test func numbersAreRangeChecked() throws {
        let r = try RayResult(
            line: Data(
                #"{"training_iteration": 2, "val_acc": 1.5, "loss": NaN, "mean_accuracy": -0.1, "reward": -Infinity, "score": 3, "config": {"lr": -1, "wd": "x"}}"#
                    .utf8))
        #expect(r.metrics == ["score": 3] && r.nonFinite == ["loss", "reward"])
        #expect(r.learningRate == nil && r.weightDecay == nil)
        for bad in [
            #"{"val_acc": 0.5}"#, #"{"training_iteration": -1}"#, #"{"training_iteration": 1.5}"#,
            #"[1, 2]"#, #"{"training_iteration": 1, "#, #"{"training_iteration": 1e300}"#,
        ] {
            #expect(throws: RayResult.ParseError.self, "\(bad)") { try RayResult(line: Data(bad.utf8)) }
        }
        // NaN inside a string stays a string.
        let s = try RayResult(line: Data(#"{"training_iteration": 1, "note": "NaN \"Infinity\"", "x": 1}"#.utf8))
        #expect(s.metrics == ["x": 1] && s.nonFinite.isEmpty)
    }

    @Test func theFixtureFolderIsFourTrials() throws {
        var w = try TrialWatcher(roots: [Self.fixture])
        w.poll(now: 0)
        let trials = Dictionary(uniqueKeysWithValues: w.trials.map { (String($0.name.prefix(31)), $0) })
        #expect(trials.count == 4 && w.skippedLines == 1, "the torn line")
        let done = try #require(trials["dlboard_trainable_1a2b3_00000_0"])
        #expect(
            done.state == .finished && done.progress == 4
                && done.curves["val_acc"]?.map(\.y) == [0.62, 0.81, 0.86, 0.88])
        #expect(done.name.hasSuffix("_lr=0.0316,weight_decay=1e-05_2026-12-01_23-00-01"), "the folder's name")
        #expect(trials["dlboard_trainable_1a2b3_00001_1"]?.state == .running)
        #expect(trials["dlboard_trainable_1a2b3_00002_2"]?.state == .stopped(.diverged))
        let writing = try #require(trials["dlboard_trainable_1a2b3_00003_3"])
        #expect(
            writing.progress == 2 && writing.weightDecay == 0 && writing.state == .running,
            "the partial third line waits")
    }

    @Test func headlessOnceListsEveryTrial() throws {
        let r = try BinaryRunner.run(["watch", "--once", Self.fixture], timeout: 30)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("4 trials, 2 done · ranked by val_acc (max) · 1 unreadable line skipped") == true)
        let rows = lines.dropFirst(2)
        #expect(rows.count == 4)
        #expect(rows.first?.contains("1a2b3_00000") == true && rows.first?.contains("0.8800") == true)
        #expect(rows.first?.hasSuffix("finished") == true && rows.last?.hasSuffix("diverged") == true)
        let loss = try BinaryRunner.run(["watch", "--once", "--metric", "loss", Self.fixture], timeout: 30)
        #expect(loss.stdout.contains("ranked by loss (min)"))
        let bad = try BinaryRunner.run(["watch", "--once", Self.fixture + "/nothing-here"], timeout: 30)
        #expect(
            bad.status == 64 && bad.stderr.split(separator: "\n").count == 1 && bad.stderr.contains("no such folder"))
    }
}
