import Foundation
import Testing

@testable import dlboard

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
        let r = try BinaryRunner.run([
            "train", "--train-size", "1000", "--hidden", "30,30", "--epochs", "\(epochs)", "--metrics-out", log,
        ])
        #expect(r.status == 0, "train: \(r.stderr)")
        return r.stdout
    }

    @Test func saveWritesARecordUnderRuns() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Subprocess.run(
            "/bin/sh",
            [
                "-c",
                "cd '\(dir)' && SWIFT_BACKTRACE=enable=no '\(BinaryRunner.executable.path)' train --train-size 500 --hidden 20 --epochs 1 --save",
            ], timeout: 120)
        #expect(r.status == 0, "\(r.stderr)")
        let folders = try FileManager.default.contentsOfDirectory(atPath: dir + "/runs")
        #expect(folders.count == 1 && folders[0].hasSuffix("-train"))
        let text = try String(contentsOfFile: "\(dir)/runs/\(folders[0])/metrics.jsonl", encoding: .utf8)
        let header = try #require(text.split(separator: "\n").first)
        #expect(
            header.contains(#""type":"config""#) && header.contains(#""dataset_crc32":""#)
                && header.contains(#""seed":0"#))
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
            let live = try #require(
                trained.split(separator: "\n").first { $0.hasPrefix(String(format: "%5d ", epoch)) })
            let fields = live.split(separator: " ")
            let replayed = try #require(
                r.stdout.split(separator: "\n").first { $0.hasPrefix(String(format: "  %5d ", epoch)) })
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
        #expect(
            garbage.status != 0 && garbage.stderr.hasPrefix("dlboard: error: \(dir)/x.jsonl: not a readable run record")
        )
        #expect(garbage.stderr.split(separator: "\n").count == 1)
        let nowhere = try BinaryRunner.run(["export", dir + "/x.jsonl"])
        #expect(
            nowhere.status != 0
                && nowhere.stderr.contains("--csv OUT.csv, --layers-csv OUT.csv and/or --tensorboard DIR"))
        let same = try BinaryRunner.run(["export", dir + "/x.jsonl", "--csv", dir + "/o", "--layers-csv", dir + "/o"])
        #expect(same.status != 0 && same.stderr.contains("--csv and --layers-csv: give two different files"))
        let speed = try BinaryRunner.run(["replay", "--speed", "500", dir + "/x.jsonl"])
        #expect(speed.status != 0 && speed.stderr.contains("--speed: must be between 1 and 100, got 500.0"))
        let both = try BinaryRunner.run(["train", "--save", "--metrics-out", dir + "/y.jsonl"])
        #expect(both.status != 0 && both.stderr.contains("--save and --metrics-out"))
    }

    @Test func exportWritesCSVAndEventFiles() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try Self.train(dir + "/a.jsonl")
        let r = try BinaryRunner.run([
            "export", dir + "/a.jsonl", "--csv", dir + "/a.csv", "--tensorboard", dir + "/tb", "--layers-csv",
            dir + "/layers.csv",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let csv = try String(contentsOfFile: dir + "/a.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 1 + 20 + 2, "header, 2 epochs × 10 steps, 2 evaluations")
        // A recorded headless run keeps its layer statistics: on the first steps (1, 2, 4, 8, 16) and
        // at each evaluation's step (10, 20; the 50-step interval is not reached), a row per Affine
        // layer (30, 30 and the output).
        let layers = try String(contentsOfFile: dir + "/layers.csv", encoding: .utf8).split(separator: "\n")
        let steps = ["1", "2", "4", "8", "10", "16", "20"]
        #expect(layers.count == 1 + steps.count * 3)
        #expect(
            layers.dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false)[2]) }
                == steps.flatMap { [$0, $0, $0] })
        #expect(r.stdout.contains("layers.csv: \(steps.count * 3) rows"))
        let runs = try FileManager.default.contentsOfDirectory(atPath: dir + "/tb")
        #expect(runs == ["run1"])
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/tb/run1")
        #expect(files.count == 1 && files[0].hasPrefix("events.out.tfevents."))
    }

    /// An output named by one character in the current folder (`--csv a`): Foundation's path
    /// splitting trapped on it; the folder is ".", the file written.
    @Test func exportToAOneCharacterNameInTheCurrentFolder() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try Self.train(dir + "/a.jsonl")
        let command =
            "cd '\(dir)' && SWIFT_BACKTRACE=enable=no '\(BinaryRunner.executable.path)' export a.jsonl --csv c --tensorboard t"
        let r = try Subprocess.run("/bin/sh", ["-c", command], timeout: 120)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.contents(atPath: dir + "/c")?.starts(with: Data("run,".utf8)) == true)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: dir + "/t")) == ["run1"])
        #expect(ExportFileWriter.folder(of: "c") == "." && ExportFileWriter.name(of: "c") == "c")
        #expect(ExportFileWriter.folder(of: "/c") == "/" && ExportFileWriter.folder(of: "x/y/c") == "x/y")
    }

    /// Every line of a record is a JSON object; returns them.
    static func parsedLines(_ path: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map {
            try #require(
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "not a JSON object: \($0)")
        }
    }

    @Test func saveRunsStartedTogetherGetAFolderEach() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bin = BinaryRunner.executable.path
        let one =
            "SWIFT_BACKTRACE=enable=no '\(bin)' train --train-size 200 --hidden 10 --epochs 1 --save >/dev/null 2>>err"
        let r = try Subprocess.run(
            "/bin/sh", ["-c", "cd '\(dir)' && for i in 1 2 3 4 5 6; do \(one) & done; wait"], timeout: 180)
        #expect(r.status == 0)
        let folders = try FileManager.default.contentsOfDirectory(atPath: dir + "/runs").sorted()
        #expect(folders.count == 6, "\(folders)")
        for f in folders {
            let lines = try Self.parsedLines("\(dir)/runs/\(f)/metrics.jsonl")
            #expect(lines.filter { $0["type"] as? String == "config" }.count == 1, "one run per record: \(f)")
            #expect(lines.last?["type"] as? String == "summary")
        }
        let said = try String(contentsOfFile: dir + "/err", encoding: .utf8).split(separator: "\n")
        #expect(
            Set(said) == Set(folders.map { "dlboard: saving the run record in runs/\($0)/metrics.jsonl" }),
            "each run says its folder")
    }

    @Test func withStderrClosedTheRecordHoldsOnlyRecords() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The dashboard without a terminal says so on stderr, then trains headless.
        let command =
            "SWIFT_BACKTRACE=enable=no '\(BinaryRunner.executable.path)' --train-size 200 --hidden 10 --epochs 1 --metrics-out '\(dir)/a.jsonl' 2>&-"
        let r = try Subprocess.run("/bin/sh", ["-c", command], timeout: 120)
        #expect(r.status == 0)
        let lines = try Self.parsedLines(dir + "/a.jsonl")
        #expect(lines.first?["type"] as? String == "config")
        #expect(lines.last?["type"] as? String == "summary")
    }

    @Test func metricsOutOntoADataFileIsRefusedAndTheFileKept() throws {
        let data = CLIFixtures()
        defer { data.remove() }
        data.writeMNIST()
        let target = data.path("train-images-idx3-ubyte.gz")
        let before = FileManager.default.contents(atPath: target)
        symlink(target, data.path("record.jsonl"))
        for out in [target, data.path("record.jsonl")] {
            let r = try BinaryRunner.run(["train", "--data", data.directory, "--epochs", "1", "--metrics-out", out])
            #expect(r.status != 0)
            #expect(
                r.stderr
                    == "dlboard: error: --metrics-out: cannot write '\(out)': it exists and is not a run record (not overwriting it; remove it or pick another name)\n"
            )
        }
        #expect(FileManager.default.contents(atPath: target) == before)
    }

    @Test func exportOntoItsOwnRecordIsRefused() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try Self.train(dir + "/a.jsonl", epochs: 1)
        let before = FileManager.default.contents(atPath: dir + "/a.jsonl")
        symlink(dir + "/a.jsonl", dir + "/link.csv")
        for out in [dir + "/a.jsonl", dir + "/link.csv"] {
            let r = try BinaryRunner.run(["export", dir + "/a.jsonl", "--csv", out])
            #expect(r.status != 0 && r.stdout.isEmpty)
            #expect(
                r.stderr
                    == "dlboard: error: --csv: cannot write '\(out)': it is the run record being exported; give another output file\n"
            )
        }
        #expect(FileManager.default.contents(atPath: dir + "/a.jsonl") == before)
    }

    @Test func headlessReplayEscapesControlCharactersOfTheRecord() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try Self.train(dir + "/a.jsonl", epochs: 1)
        var lines = try String(contentsOfFile: dir + "/a.jsonl", encoding: .utf8).split(separator: "\n").map(
            String.init)
        lines[0] = lines[0].replacingOccurrences(
            of: #""dataset":"MNIST""#, with: #""title":"\u001b]0;pwned\u0007\u001b[2J","dataset":"MN\u009b2JIST""#)
        lines.append(
            #"{"type":"event","step":3,"t":9,"kind":"lr","from":"0.01","to":"0.1","what":"\u001b]52;c;aGk=\u0007"}"#)
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/evil.jsonl", atomically: true, encoding: .utf8)
        let r = try BinaryRunner.run(["replay", "--headless", dir + "/evil.jsonl"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.stdout.unicodeScalars.allSatisfy { $0 == "\n" || !RecordText.isControl($0) },
            "no control character but the line ends")
        #expect(r.stdout.contains("run 1 (^[]0;pwned^G^[[2J): MN\\u{9B}2JIST"), "\(r.stdout)")
        #expect(r.stdout.contains("step 3: ^[]52;c;aGk=^G"))
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
        #expect(
            t.waitFor("cannot be steered").contains("cannot be steered"),
            "switch keys explain that a record is read-only")
        t.keys("q")
        t.waitFor("Quit dlboard?")
        t.keys("q")
        let after = t.waitFor("EXIT=0")
        #expect(!after.contains("space pause"), "the terminal is back")
    }
}
