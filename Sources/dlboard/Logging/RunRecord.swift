import Foundation
import NN

#if canImport(Glibc)
    import Glibc
#endif

/// A run record read back from its JSON Lines file: one `RecordedRun` per run, in the order their
/// headers appear. Replay and export work from this.
struct RunRecord {
    /// The record format this dlboard writes and reads (the header's `version`).
    static let formatVersion = 1

    var path: String
    var runs: [RecordedRun]
    /// What was skipped on the way (a torn last line after `kill -9`, unreadable lines).
    var warnings: [String]

    /// One run's records, each with `t`, the seconds since the log was opened.
    struct RecordedRun {
        var id: Int
        var title: String?
        var config: TrainingConfig
        var datasetName: String
        var datasetChecksum: String?
        var trainSize: Int
        /// A fork's parent run and the step it was forked at.
        var parent: Int?
        var forkStep: Int?
        var headerTime: Double
        /// The wall-clock time at `t` = 0 (from the header's `created`), when recorded.
        var startDate: Date?
        var steps: [Step] = []
        var evaluations: [Evaluation] = []
        var events: [Event] = []
        var histograms: [Histogram] = []
        /// All of the above in file order (the order they happened), as indices into their arrays.
        var sequence: [Entry] = []
        /// The summary's stop reason ("interrupted", "diverged"), when there is a summary.
        var stopped: String?
        var hasSummary = false

        var stepsPerEpoch: Int { max(1, trainSize / max(1, config.batchSize)) }
    }

    enum Entry: Equatable {
        case step(Int)
        case evaluation(Int)
        case event(Int)
        case histogram(Int)
    }

    struct Step: Equatable {
        var step: Int
        var epoch: Int
        var t: Double
        /// NaN where the record says null (a diverged step).
        var loss: Double
    }

    struct Evaluation {
        var t: Double
        /// The mean training loss since the previous evaluation, when recorded.
        var loss: Double?
        var evaluation: SessionOutput.Evaluation
    }

    struct Event {
        var t: Double
        var event: SessionOutput.Event
    }

    struct Histogram {
        var t: Double
        var step: Int
        var layer: Int
        var statistics: ActivationStatistics
    }
}

/// Reads run records, tolerating what a crash leaves: a torn last line (the process was killed in the
/// middle of a write) is skipped with a warning; so is any other unreadable line, counted. A missing
/// file, an empty one or one without a `config` header is an error naming the file.
///
/// A record is untrusted input (it may come from anyone), and everything downstream — replay's
/// status line, the TensorBoard writer's `Int(…)` conversions — does arithmetic on its numbers. So
/// every number is range-checked here, where it is read: counts and steps in 0…`countLimit`, times
/// finite in 0…`timeLimit`, accuracies and fractions in [0, 1], statistics within Float's range, a
/// configuration the engine would accept with at most `countLimit` steps planned. A line with a
/// number out of range is damaged: skipped, counted, and the first one named in a warning.
enum RunRecordReader {
    struct ReadError: Error, CustomStringConvertible {
        let description: String
    }

    /// The largest step, epoch or count a record may hold: far beyond any real run (a million steps
    /// a second for eleven days), yet small enough that the sums and products replay and export
    /// form from such numbers stay far from Int's limit.
    static let countLimit = 1_000_000_000_000
    /// The largest time (seconds since the record was opened, or of training): about 300 years.
    static let timeLimit = 1e10

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
            guard let o = try? decoder.decode(Line.self, from: line) else {
                if complete {
                    unreadable.append(lineNumber)
                } else {
                    record.warnings.append(
                        "\(path): skipped a torn last line (line \(lineNumber), \(end - start) bytes): the run was stopped mid-write"
                    )
                }
                continue
            }
            if let problem = o.rangeProblem() {
                outOfRange.append((lineNumber, problem, o.type == "config"))
                continue
            }
            if let v = o.version, v > RunRecord.formatVersion { newerVersion = max(newerVersion ?? v, v) }
            let run = o.run ?? 0
            let t = o.t ?? 0
            if o.type == "config" {
                guard let config = o.config else {
                    unreadable.append(lineNumber)
                    continue
                }
                index[run] = record.runs.count
                record.runs.append(
                    RunRecord.RecordedRun(
                        id: run, title: o.title, config: config, datasetName: o.dataset ?? "",
                        datasetChecksum: o.dataset_crc32, trainSize: o.train_size ?? 0,
                        parent: o.parent, forkStep: o.fork_step, headerTime: t,
                        startDate: o.created.flatMap { ISO8601DateFormatter().date(from: $0) }?.addingTimeInterval(-t)))
                continue
            }
            guard let i = index[run] else {
                if ["step", "eval", "event", "hist"].contains(o.type) { orphans += 1 }
                continue
            }
            switch o.type {
            case "step":
                guard let step = o.step else {
                    unreadable.append(lineNumber)
                    continue
                }
                record.runs[i].sequence.append(.step(record.runs[i].steps.count))
                record.runs[i].steps.append(RunRecord.Step(step: step, epoch: o.epoch ?? 0, t: t, loss: o.loss ?? .nan))
            case "eval":
                guard let step = o.step, let train = o.train_acc else {
                    unreadable.append(lineNumber)
                    continue
                }
                let e = SessionOutput.Evaluation(
                    step: step, epoch: o.epoch ?? 0, trainAccuracy: train, testAccuracy: o.test_acc,
                    validationAccuracy: o.val_acc, trainSeconds: o.train_seconds ?? 0,
                    samplesPerSecond: o.samples_per_s ?? 0)
                record.runs[i].sequence.append(.evaluation(record.runs[i].evaluations.count))
                record.runs[i].evaluations.append(RunRecord.Evaluation(t: t, loss: o.loss, evaluation: e))
            case "event":
                guard let step = o.step else {
                    unreadable.append(lineNumber)
                    continue
                }
                let e = SessionOutput.Event(step: step, label: o.what ?? "", kind: o.kind ?? "", from: o.from, to: o.to)
                record.runs[i].sequence.append(.event(record.runs[i].events.count))
                record.runs[i].events.append(RunRecord.Event(t: t, event: e))
            case "hist":
                guard let h = histogram(o, t: t) else {
                    unreadable.append(lineNumber)
                    continue
                }
                record.runs[i].sequence.append(.histogram(record.runs[i].histograms.count))
                record.runs[i].histograms.append(h)
            case "summary":
                record.runs[i].hasSummary = true
                record.runs[i].stopped = o.stopped
            default:
                break  // trial records of the random search, and kinds a later version may add
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

    /// Every field any record has; each record uses some (JSON null reads as nil).
    private struct Line: Decodable {
        var type: String
        var version: Int?
        var run: Int?, step: Int?, epoch: Int?, t: Double?, loss: Double?
        var train_acc: Double?, test_acc: Double?, val_acc: Double?, train_seconds: Double?, samples_per_s: Double?
        var kind: String?, from: String?, to: String?, what: String?, stopped: String?
        var layer: Int?, activation: String?, layer_name: String?, lo: Double?, hi: Double?, bins: [Int]?
        var under: Int?, over: Int?, count: Int?, excludes_zeros: Bool?
        var zero_frac: Double?, sat_frac: Double?, mean: Double?, std: Double?, min: Double?, max: Double?
        var title: String?, dataset: String?, dataset_crc32: String?, train_size: Int?
        var parent: Int?, fork_step: Int?, created: String?
        var config: TrainingConfig?

        /// What is out of range in this line (the field and its value), or nil if nothing is.
        func rangeProblem() -> String? {
            let limit = RunRecordReader.countLimit
            if let v = version, v < 1 { return "\"version\" is \(v), not a record format version" }
            let counts: [(String, Int?)] = [
                ("run", run), ("step", step), ("epoch", epoch), ("layer", layer), ("under", under),
                ("over", over), ("count", count), ("train_size", train_size), ("parent", parent),
                ("fork_step", fork_step),
            ]
            for (name, v) in counts {
                if let v, !(0...limit).contains(v) { return "\"\(name)\" is \(v), outside 0…\(limit)" }
            }
            if let v = bins?.first(where: { !(0...limit).contains($0) }) {
                return "a \"bins\" count is \(v), outside 0…\(limit)"
            }
            let checks: [(String, Double?, ClosedRange<Double>)] =
                [
                    ("t", t, 0...RunRecordReader.timeLimit),
                    ("train_seconds", train_seconds, 0...RunRecordReader.timeLimit),
                    ("samples_per_s", samples_per_s, 0...Double(limit)),
                    ("train_acc", train_acc, 0...1), ("test_acc", test_acc, 0...1), ("val_acc", val_acc, 0...1),
                    ("zero_frac", zero_frac, 0...1), ("sat_frac", sat_frac, 0...1),
                    ("loss", loss, -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude),
                    ("std", std, 0...Double(Float.greatestFiniteMagnitude)),
                ]
                + [("lo", lo), ("hi", hi), ("mean", mean), ("min", min), ("max", max)].map {
                    ($0.0, $0.1, -Double(Float.greatestFiniteMagnitude)...Double(Float.greatestFiniteMagnitude))
                }
            for (name, v, range) in checks {
                // `contains` is false for NaN too.
                if let v, !range.contains(v) {
                    return
                        "\"\(name)\" is \(Self.text(v)), outside \(Self.text(range.lowerBound))…\(Self.text(range.upperBound))"
                }
            }
            if let config { return Self.problem(config, trainSize: train_size ?? 0) }
            return nil
        }

        /// 0, 1, 10000000000 rather than 0.0, 1.0, 1e+10; others as Swift prints them.
        static func text(_ v: Double) -> String {
            v.isFinite && v == v.rounded() && Swift.abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
        }

        /// A configuration the engine would accept, of a size whose step target fits the limit.
        static func problem(_ c: TrainingConfig, trainSize: Int) -> String? {
            do { try c.validate() } catch { return "the configuration is invalid (\(error.message))" }
            let limit = RunRecordReader.countLimit
            let sizes: [(String, Int)] =
                [
                    ("batchSize", c.batchSize), ("epochs", c.epochs), ("inputSize", c.network.inputSize),
                    ("outputSize", c.network.outputSize),
                ] + c.network.hidden.map { ("hidden", $0) }
            for (name, v) in sizes where v > limit {
                return "the configuration's \"\(name)\" is \(v), more than \(limit)"
            }
            let perEpoch = Swift.max(1, trainSize / c.batchSize)
            let (planned, overflow) = c.epochs.multipliedReportingOverflow(by: perEpoch)
            if overflow || planned > limit {
                return "the configuration plans \(c.epochs) epochs of \(perEpoch) steps, more than \(limit) steps"
            }
            return nil
        }
    }

    private static func histogram(_ o: Line, t: Double) -> RunRecord.Histogram? {
        guard let step = o.step, let layer = o.layer, let bins = o.bins, let lo = o.lo, let hi = o.hi, lo <= hi,
            let activation = o.activation.flatMap(Activation.init(rawValue:))
        else { return nil }
        let stats = ActivationStatistics(
            layer: o.layer_name ?? "layer \(layer)", activation: activation, bins: bins,
            excludesZeros: o.excludes_zeros ?? false, range: Float(lo)...Float(hi),
            underflow: o.under ?? 0, overflow: o.over ?? 0, count: o.count ?? 0,
            mean: Float(o.mean ?? 0), standardDeviation: Float(o.std ?? 0), zeroFraction: Float(o.zero_frac ?? 0),
            saturatedFraction: Float(o.sat_frac ?? 0), minimum: Float(o.min ?? 0), maximum: Float(o.max ?? 0))
        return RunRecord.Histogram(t: t, step: step, layer: layer, statistics: stats)
    }
}
