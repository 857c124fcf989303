import Foundation
import Testing

@testable import dlboard

/// Where records and exports are written: never over what the user did not mean — a link is
/// followed, a FIFO, a device or the record itself is refused, a file's mode is kept; `--save`
/// folders are made atomically; `--metrics-out` never truncates a file that is not a run record.
@Suite struct RecordOutputTests {
    static func scratch() -> String {
        let dir = NSTemporaryDirectory() + "dlboard-output-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func contents(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode : 0
    }

    static func isLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    let writer = ExportFileWriter(flag: "--csv", input: nil)

    @Test func aSymlinkIsFollowedAndKept() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/real", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: dir + "/real/out.csv", contents: Data("old".utf8))
        symlink("real/out.csv", dir + "/link.csv")
        try writer.write(Data("new".utf8), to: dir + "/link.csv")
        #expect(Self.isLink(dir + "/link.csv"), "the link is still a link")
        #expect(Self.contents(dir + "/real/out.csv") == "new", "its target was written")
        // A dangling link: the file it names is created.
        symlink(dir + "/real/fresh.csv", dir + "/dangling.csv")
        try writer.write(Data("fresh".utf8), to: dir + "/dangling.csv")
        #expect(Self.isLink(dir + "/dangling.csv") && Self.contents(dir + "/real/fresh.csv") == "fresh")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir + "/real").sorted() == ["fresh.csv", "out.csv"],
            "no temporary file left behind")
        symlink("loop.csv", dir + "/loop.csv")
        #expect(throws: ExportError.self) { try writer.write(Data(), to: dir + "/loop.csv") }
    }

    @Test func whatIsNotARegularFileIsRefusedAndLeftAsItWas() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(mkfifo(dir + "/fifo", 0o644) == 0)
        symlink(dir + "/fifo", dir + "/to-fifo")
        var cases = [(dir + "/fifo", "a FIFO"), (dir + "/to-fifo", "a FIFO"), (dir, "a folder")]
        // A device of our own (as root): a writer that regressed must not replace the system's /dev/null.
        // makedev(1, 3), a macro Swift cannot import.
        let device = mknod(dir + "/null", S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0
        if device { cases.append((dir + "/null", "a character device")) }
        for (path, what) in cases {
            do {
                try writer.write(Data("x".utf8), to: path)
                Issue.record("wrote \(path)")
            } catch {
                #expect(
                    error.description
                        == "--csv: cannot write '\(path)': it is \(what), not a regular file (an export writes a new file)"
                )
            }
        }
        #expect(Self.mode(dir + "/fifo") & S_IFMT == S_IFIFO, "still a FIFO")
        if device { #expect(Self.mode(dir + "/null") & S_IFMT == S_IFCHR, "still a device") }
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
                == (device ? ["fifo", "null", "to-fifo"] : ["fifo", "to-fifo"]))
    }

    @Test func theModeOfAnExistingFileIsKept() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/private.csv"
        _ = FileManager.default.createFile(
            atPath: path, contents: Data("old".utf8), attributes: [.posixPermissions: 0o600])
        try writer.write(Data("new".utf8), to: path)
        #expect(Self.mode(path) & 0o7777 == 0o600)
        #expect(Self.contents(path) == "new")
        // A new file gets the usual mode under the umask.
        let mask = umask(0o022)
        defer { umask(mask) }
        try writer.write(Data("x".utf8), to: dir + "/new.csv")
        #expect(Self.mode(dir + "/new.csv") & 0o7777 == 0o644)
    }

    @Test func theRecordBeingExportedIsNeverAnOutput() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let record = dir + "/a.jsonl"
        _ = FileManager.default.createFile(atPath: record, contents: Data("{\"type\":\"config\"}\n".utf8))
        symlink(record, dir + "/sym.csv")
        link(record, dir + "/hard.csv")
        let guarded = ExportFileWriter(flag: "--csv", input: ExportFileWriter.FileID(path: record))
        for path in [
            record, dir + "/sym.csv", dir + "/hard.csv",
            dir + "/../" + (dir as NSString).lastPathComponent + "/a.jsonl",
        ] {
            do {
                try guarded.write(Data("run,title\n".utf8), to: path)
                Issue.record("overwrote the record through \(path)")
            } catch {
                #expect(
                    error.description
                        == "--csv: cannot write '\(path)': it is the run record being exported; give another output file"
                )
            }
        }
        #expect(Self.contents(record) == "{\"type\":\"config\"}\n")
        try guarded.write(Data("ok".utf8), to: dir + "/other.csv")
        #expect(Self.contents(dir + "/other.csv") == "ok")
    }

    @Test func saveFoldersOfTheSameSecondAreDistinct() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let date = Date(timeIntervalSince1970: 1_796_000_000)
        let logs = try (0..<3).map { _ in
            try MetricsLog.inRunsFolder(name: "train", root: dir + "/runs/deeper", date: date)
        }
        #expect(
            logs.map(\.path) == ["", "-2", "-3"].map { "\(dir)/runs/deeper/20261130-005320-train\($0)/metrics.jsonl" })
        // A folder made by someone else in between is skipped, not shared.
        try FileManager.default.createDirectory(
            atPath: dir + "/runs/deeper/20261130-005320-train-4", withIntermediateDirectories: false)
        #expect(
            try MetricsLog.inRunsFolder(name: "train", root: dir + "/runs/deeper", date: date).path.hasSuffix(
                "-train-5/metrics.jsonl"))
        _ = FileManager.default.createFile(atPath: dir + "/file", contents: Data())
        #expect(throws: LogError.self) { try MetricsLog.inRunsFolder(name: "train", root: dir + "/file", date: date) }
    }

    @Test func metricsOutNeverTruncatesAFileThatIsNotARecord() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = dir + "/train-images-idx3-ubyte.gz"
        let bytes = Data([0x1F, 0x8B, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16])
        _ = FileManager.default.createFile(atPath: data, contents: bytes)
        symlink(data, dir + "/sym.jsonl")
        link(data, dir + "/hard.jsonl")
        for path in [data, dir + "/sym.jsonl", dir + "/hard.jsonl"] {
            do {
                _ = try MetricsLog(path: path)
                Issue.record("opened \(path) as a record")
            } catch {
                #expect(
                    error.description
                        == "--metrics-out: cannot write '\(path)': it exists and is not a run record (not overwriting it; remove it or pick another name)"
                )
            }
        }
        #expect(FileManager.default.contents(atPath: data) == bytes)
        // An earlier record, or an empty file, is overwritten as before.
        let old = dir + "/old.jsonl"
        _ = FileManager.default.createFile(
            atPath: old, contents: Data(String(repeating: #"{"type":"config","version":1}"# + "\n", count: 50).utf8))
        let log = try MetricsLog(path: old)
        let step = StepRecord(step: 1, epoch: 1, t: 0.5, loss: 2.25)
        let stepLine = #"{"type":"step","step":1,"epoch":1,"t":0.5,"loss":2.25}"# + "\n"
        log.write(step)
        log.close()
        #expect(Self.contents(old) == stepLine, "truncated, then written")
        let report = dir + "/report.jsonl"  // what a preset without training records
        _ = FileManager.default.createFile(
            atPath: report, contents: Data(#"{"type":"report","line":"x"}"#.utf8 + [0x0A]))
        try MetricsLog(path: report).close()
        #expect(
            Self.contents(report) == #"{"type":"report","line":"x"}"# + "\n",
            "opened and closed with nothing written (a command that failed its checks): left whole")
        let again = try MetricsLog(path: report)
        again.write(step)
        again.close()
        #expect(Self.contents(report) == stepLine, "its first new line replaces it")
        _ = FileManager.default.createFile(atPath: dir + "/empty", contents: Data())
        #expect(throws: Never.self) { _ = try MetricsLog(path: dir + "/empty") }
    }

    /// A record is read up to a cap, whatever it is: `replay /dev/zero` stops with a message instead
    /// of growing until an allocation fails; a folder is named as one.
    @Test func recordsAreReadUpToACap() throws {
        #expect(throws: RunRecordReader.ReadError.self) {
            _ = try RunRecordReader.read(path: "/dev/zero", maxBytes: 1 << 20)
        }
        do { _ = try RunRecordReader.read(path: "/dev/zero", maxBytes: 1 << 20) } catch {
            #expect(error.description == "/dev/zero: more than 1048576 bytes: too large for a run record, not read")
        }
        #expect(throws: RunRecordReader.ReadError.self) { _ = try RunRecordReader.read(path: "/tmp") }
        do { _ = try RunRecordReader.read(path: "/tmp") } catch {
            #expect(error.description == "/tmp: is a folder, not a run record")
        }
    }
}
