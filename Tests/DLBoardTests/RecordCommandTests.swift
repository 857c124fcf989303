import Foundation
import Testing

/// The built binary end to end: `--save`, `replay` (headless and in tmux) and `export`, and their
/// one-line errors.
@Suite(.serialized) struct RecordCommandTests {
    static func scratch() -> String {
        let dir = NSTemporaryDirectory() + "dlboard-records-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A small recorded `train` run.
    static func train(_ log: String, epochs: Int = 2) throws -> String {
        let r = try BinaryRunner.run(["train", "--train-size", "1000", "--hidden", "30,30", "--epochs", "\(epochs)", "--metrics-out", log])
        #expect(r.status == 0, "train: \(r.stderr)")
        return r.stdout
    }

    @Test func saveWritesARecordUnderRuns() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Subprocess.run("/bin/sh", ["-c", "cd '\(dir)' && SWIFT_BACKTRACE=enable=no '\(BinaryRunner.executable.path)' train --train-size 500 --hidden 20 --epochs 1 --save"], timeout: 120)
        #expect(r.status == 0, "\(r.stderr)")
        let folders = try FileManager.default.contentsOfDirectory(atPath: dir + "/runs")
        #expect(folders.count == 1 && folders[0].hasSuffix("-train"))
        let text = try String(contentsOfFile: "\(dir)/runs/\(folders[0])/metrics.jsonl", encoding: .utf8)
        let header = try #require(text.split(separator: "\n").first)
        #expect(header.contains(#""type":"config""#) && header.contains(#""dataset_crc32":""#) && header.contains(#""seed":0"#))
        #expect(text.contains(#""type":"summary""#))
    }

    @Test func replayHeadlessPrintsTheRecordedEpochs() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let trained = try Self.train(dir + "/a.jsonl")
        let r = try BinaryRunner.run(["replay", "--headless", dir + "/a.jsonl"])
        #expect(r.status == 0, "\(r.stderr)")
        // The epoch lines of `train` (loss, train and test accuracy) come back from the record.
        for epoch in [1, 2] {
            let live = try #require(trained.split(separator: "\n").first { $0.hasPrefix(String(format: "%5d ", epoch)) })
            let fields = live.split(separator: " ")
            let replayed = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix(String(format: "  %5d ", epoch)) })
            let rf = replayed.split(separator: " ")
            #expect(rf[2] == fields[1] && rf[3] == fields[2] && rf[4] == fields[3], "\(live) vs \(replayed)")
        }
        #expect(r.stdout.contains("seed 0") && r.stdout.contains("crc32 "))
    }

    @Test func recordErrorsAreOneLine() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let missing = try BinaryRunner.run(["replay", "--headless", dir + "/none.jsonl"])
        #expect(missing.status != 0 && missing.stderr == "dlboard: error: \(dir)/none.jsonl: no such file\n")
        _ = FileManager.default.createFile(atPath: dir + "/x.jsonl", contents: Data("not json\n".utf8))
        let garbage = try BinaryRunner.run(["export", dir + "/x.jsonl", "--csv", dir + "/x.csv"])
        #expect(garbage.status != 0 && garbage.stderr.hasPrefix("dlboard: error: \(dir)/x.jsonl: not a readable run record"))
        #expect(garbage.stderr.split(separator: "\n").count == 1)
        let nowhere = try BinaryRunner.run(["export", dir + "/x.jsonl"])
        #expect(nowhere.status != 0 && nowhere.stderr.contains("--csv OUT.csv and/or --tensorboard DIR"))
        let speed = try BinaryRunner.run(["replay", "--speed", "500", dir + "/x.jsonl"])
        #expect(speed.status != 0 && speed.stderr.contains("--speed: must be between 1 and 100, got 500.0"))
        let both = try BinaryRunner.run(["train", "--save", "--metrics-out", dir + "/y.jsonl"])
        #expect(both.status != 0 && both.stderr.contains("--save and --metrics-out"))
    }

    @Test func exportWritesCSVAndEventFiles() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try Self.train(dir + "/a.jsonl")
        let r = try BinaryRunner.run(["export", dir + "/a.jsonl", "--csv", dir + "/a.csv", "--tensorboard", dir + "/tb"])
        #expect(r.status == 0, "\(r.stderr)")
        let csv = try String(contentsOfFile: dir + "/a.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 1 + 20 + 2, "header, 2 epochs × 10 steps, 2 evaluations")
        let runs = try FileManager.default.contentsOfDirectory(atPath: dir + "/tb")
        #expect(runs == ["run1"])
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/tb/run1")
        #expect(files.count == 1 && files[0].hasPrefix("events.out.tfevents."))
    }

    @Test func replayPlaysInTheTerminal() throws {
        try #require(TmuxEndToEndTests.tmuxAvailable, "tmux is not installed")
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try Self.train(dir + "/a.jsonl", epochs: 3)
        let t = TmuxEndToEndTests.Tmux()
        defer { t.kill() }
        t.start(width: 120, height: 40, command: TmuxEndToEndTests().dlboard("replay --speed 100 '\(dir)/a.jsonl'"))
        let end = t.waitFor("end of record")
        #expect(end.contains("dlboard · replay a.jsonl"), "the header names the replayed file")
        #expect(end.contains("step 30"))
        t.keys("o")
        #expect(t.waitFor("cannot be steered").contains("cannot be steered"), "switch keys explain that a record is read-only")
        t.keys("q")
        t.waitFor("Quit dlboard?")
        t.keys("q")
        let after = t.waitFor("EXIT=0")
        #expect(!after.contains("space pause"), "the terminal is back")
    }
}
