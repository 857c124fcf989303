import Foundation
import NN

#if canImport(Glibc)
    import Glibc
#endif

/// Reads run records, tolerating what a crash leaves: a torn last line (the process was killed in the
/// middle of a write) is skipped with a warning; so is any other unreadable line, counted. A missing
/// file, an empty one or one without a `config` header is an error naming the file.
///
/// A record is untrusted input (it may come from anyone): every number is range-checked where it
/// is read, as each record type decodes (`RangeCheck`). A line with a number out of range is
/// damaged: skipped, counted, and the first one named in a warning. A record type, event kind or
/// stop reason this dlboard does not know (a later version's) is left out without a warning of its
/// own; a file of a newer format version says so once.
enum RunRecordReader {
    struct ReadError: Error, CustomStringConvertible {
        let description: String
    }

    /// The largest step, epoch or count a record may hold (`RangeCheck.countLimit`).
    static let countLimit = RangeCheck.countLimit
    /// The largest time a record may hold, in seconds (`RangeCheck.timeLimit`).
    static let timeLimit = RangeCheck.timeLimit

    /// The most a record file may hold: a 30-minute 4-run session logging every step is ~40 MB, so
    /// this leaves room while `replay /dev/zero` or `export <(yes)` stop with a message instead of
    /// growing until an allocation fails.
    static let maxBytes = 1 << 30

    static func read(path: String, maxBytes: Int = RunRecordReader.maxBytes) throws(ReadError) -> RunRecord {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = errno == ENOENT ? "no such file" : "cannot be read (\(String(cString: strerror(errno))))"
            throw ReadError(description: "\(path): \(reason)")
        }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            throw ReadError(description: "\(path): is a folder, not a run record")
        }
        // Read in chunks up to the cap (+1 byte to notice more); pipes and devices report no size.
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while data.count <= maxBytes {
            let n = chunk.withUnsafeMutableBytes {
                Glibc.read(fd, $0.baseAddress, min($0.count, maxBytes + 1 - data.count))
            }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else {
                throw ReadError(description: "\(path): cannot be read (\(String(cString: strerror(errno))))")
            }
            if n == 0 { break }
            data.append(contentsOf: chunk[0..<n])
        }
        guard data.count <= maxBytes else {
            throw ReadError(
                description:
                    "\(path): more than \(maxBytes >= 1 << 30 ? "\(maxBytes >> 30) GiB" : "\(maxBytes) bytes"): too large for a run record, not read"
            )
        }
        return try parse(data, path: path)
    }

    static func parse(_ data: Data, path: String) throws(ReadError) -> RunRecord {
        var record = RunRecord(path: path, runs: [], warnings: [])
        var index: [Int: Int] = [:]  // run id → position in `runs`
        var unreadable: [Int] = []
        var outOfRange: [(line: Int, problem: String, header: Bool)] = []
        var newerVersion: Int?
        var orphans = 0
        let bytes = [UInt8](data)
        let decoder = JSONDecoder()
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            let complete = end < bytes.count
            lineNumber += 1
            defer { start = end + 1 }
            if end == start { continue }
            let line = Data(bytes[start..<end])
            // JSONDecoder, not JSONSerialization: the latter returns some numbers as NSDecimalNumber
            // whose Double is a few ulps off, and a replay must give back the very same values.
            let decoded: DecodedRecord
            do {
                decoded = try decoder.decode(DecodedRecord.self, from: line)
            } catch RecordProblem.outOfRange(let type, let problem) {
                outOfRange.append((lineNumber, problem, type == .config))
                continue
            } catch {
                if complete {
                    unreadable.append(lineNumber)
                } else {
                    record.warnings.append(
                        "\(path): skipped a torn last line (line \(lineNumber), \(end - start) bytes): the run was stopped mid-write"
                    )
                }
                continue
            }
            if case .config(let header) = decoded {
                if header.version > RunRecord.formatVersion {
                    newerVersion = max(newerVersion ?? header.version, header.version)
                }
                index[decoded.run] = record.runs.count
                record.runs.append(
                    RunRecord.RecordedRun(
                        id: decoded.run, title: header.title, config: header.config, datasetName: header.dataset,
                        datasetChecksum: header.datasetChecksum, trainSize: header.trainSize, parent: header.parent,
                        forkStep: header.forkStep, headerTime: header.t,
                        startDate: header.created.flatMap { ISO8601DateFormatter().date(from: $0) }?
                            .addingTimeInterval(-header.t)))
                continue
            }
            // A search's records name the runs they are about (which may come later in the file):
            // kept at the record's level, in file order.
            switch decoded {
            case .trial(let t):
                record.trials.append(t)
                continue
            case .rung(let r):
                record.rungs.append(r)
                continue
            case .halving(let h):
                record.halving = h
                continue
            case .exploit(let e):
                record.exploits.append(e)
                continue
            default: break
            }
            guard let i = index[decoded.run] else {
                switch decoded {
                case .step, .eval, .event, .hist, .layer: orphans += 1
                default: break
                }
                continue
            }
            switch decoded {
            case .step(let s):
                record.runs[i].sequence.append(.step(record.runs[i].steps.count))
                record.runs[i].steps.append(s)
            case .eval(let e):
                record.runs[i].sequence.append(.evaluation(record.runs[i].evaluations.count))
                record.runs[i].evaluations.append(e)
            case .event(let e):
                record.runs[i].sequence.append(.event(record.runs[i].events.count))
                record.runs[i].events.append(e)
            case .hist(let h):
                record.runs[i].sequence.append(.histogram(record.runs[i].histograms.count))
                record.runs[i].histograms.append(h)
            case .layer(let l):
                record.runs[i].sequence.append(.layer(record.runs[i].layers.count))
                record.runs[i].layers.append(l)
            case .summary(let s):
                record.runs[i].hasSummary = true
                record.runs[i].stopped = s.stopped
            case .config, .trial, .report, .rung, .halving, .exploit, .unknown:
                // Reports and unknown kinds are not replayed (the others are taken above).
                break
            }
        }
        guard !record.runs.isEmpty else {
            let header = outOfRange.first { $0.header }
            let what =
                bytes.isEmpty
                ? "the file is empty"
                : header.map { "its config record (line \($0.line)) is damaged: \($0.problem)" }
                    ?? "no config record (is it a dlboard run record?)"
            throw ReadError(description: "\(path): not a readable run record: \(what)")
        }
        if let v = newerVersion {
            record.warnings.insert(
                "\(path): written by a newer dlboard (record format version \(v); this dlboard reads version \(RunRecord.formatVersion)): what it does not know is left out",
                at: 0)
        }
        if !unreadable.isEmpty {
            record.warnings.append(
                "\(path): skipped \(unreadable.count) unreadable line(s), the first at line \(unreadable[0])")
        }
        if let first = outOfRange.first {
            record.warnings.append(
                "\(path): skipped \(outOfRange.count) line(s) with numbers out of range, the first at line \(first.line): \(first.problem)"
            )
        }
        if orphans > 0 {
            record.warnings.append("\(path): skipped \(orphans) record(s) of runs without a config header")
        }
        return record
    }
}
