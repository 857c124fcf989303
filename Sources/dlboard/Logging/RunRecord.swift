import Foundation
import NN

/// A run record read back from its JSON Lines file: one `RecordedRun` per run, in the order their
/// headers appear. Replay and export work from this.
struct RunRecord {
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
        case step(Int), evaluation(Int), event(Int), histogram(Int)
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
enum RunRecordReader {
    struct ReadError: Error, CustomStringConvertible {
        let description: String
    }

    static func read(path: String) throws(ReadError) -> RunRecord {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file"
            throw ReadError(description: "\(path): \(reason)")
        }
        return try parse(data, path: path)
    }

    static func parse(_ data: Data, path: String) throws(ReadError) -> RunRecord {
        var record = RunRecord(path: path, runs: [], warnings: [])
        var index: [Int: Int] = [:]  // run id → position in `runs`
        var unreadable: [Int] = []
        var orphans = 0
        let bytes = [UInt8](data)
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            let complete = end < bytes.count
            lineNumber += 1
            defer { start = end + 1 }
            if end == start { continue }
            let line = Data(bytes[start..<end])
            guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
                  let type = object["type"] as? String else {
                if complete {
                    unreadable.append(lineNumber)
                } else {
                    record.warnings.append("\(path): skipped a torn last line (line \(lineNumber), \(end - start) bytes): the run was stopped mid-write")
                }
                continue
            }
            let run = object["run"] as? Int ?? 0
            let t = number(object["t"]) ?? 0
            if type == "config" {
                guard let header = try? JSONDecoder().decode(Header.self, from: line) else {
                    unreadable.append(lineNumber)
                    continue
                }
                index[run] = record.runs.count
                record.runs.append(RunRecord.RecordedRun(
                    id: run, title: header.title, config: header.config, datasetName: header.dataset ?? "",
                    datasetChecksum: header.dataset_crc32, trainSize: header.train_size ?? 0,
                    parent: header.parent, forkStep: header.fork_step, headerTime: t))
                continue
            }
            guard let i = index[run] else {
                if ["step", "eval", "event", "hist"].contains(type) { orphans += 1 }
                if type == "summary" && object["run"] == nil {
                    // The single-run summary of `dlboard train`.
                    if let first = record.runs.indices.first { markSummary(&record.runs[first], object) }
                }
                continue
            }
            switch type {
            case "step":
                guard let step = object["step"] as? Int else { unreadable.append(lineNumber); continue }
                record.runs[i].sequence.append(.step(record.runs[i].steps.count))
                record.runs[i].steps.append(RunRecord.Step(step: step, epoch: object["epoch"] as? Int ?? 0, t: t,
                                                           loss: number(object["loss"]) ?? .nan))
            case "eval":
                guard let step = object["step"] as? Int, let train = number(object["train_acc"]) else {
                    unreadable.append(lineNumber); continue
                }
                let e = SessionOutput.Evaluation(
                    step: step, epoch: object["epoch"] as? Int ?? 0, trainAccuracy: train,
                    testAccuracy: number(object["test_acc"]), validationAccuracy: number(object["val_acc"]),
                    trainSeconds: number(object["train_seconds"]) ?? 0, samplesPerSecond: number(object["samples_per_s"]) ?? 0)
                record.runs[i].sequence.append(.evaluation(record.runs[i].evaluations.count))
                record.runs[i].evaluations.append(RunRecord.Evaluation(t: t, loss: number(object["loss"]), evaluation: e))
            case "event":
                guard let step = object["step"] as? Int else { unreadable.append(lineNumber); continue }
                let e = SessionOutput.Event(step: step, label: object["what"] as? String ?? "", kind: object["kind"] as? String ?? "",
                                            from: object["from"] as? String, to: object["to"] as? String)
                record.runs[i].sequence.append(.event(record.runs[i].events.count))
                record.runs[i].events.append(RunRecord.Event(t: t, event: e))
            case "hist":
                guard let h = histogram(object, t: t) else { unreadable.append(lineNumber); continue }
                record.runs[i].sequence.append(.histogram(record.runs[i].histograms.count))
                record.runs[i].histograms.append(h)
            case "summary":
                markSummary(&record.runs[i], object)
            default:
                break  // trial records of the random search, and kinds a later version may add
            }
        }
        guard !record.runs.isEmpty else {
            let what = bytes.isEmpty ? "the file is empty" : "no config record (is it a dlboard run record?)"
            throw ReadError(description: "\(path): not a readable run record: \(what)")
        }
        if !unreadable.isEmpty {
            record.warnings.append("\(path): skipped \(unreadable.count) unreadable line(s), the first at line \(unreadable[0])")
        }
        if orphans > 0 { record.warnings.append("\(path): skipped \(orphans) record(s) of runs without a config header") }
        return record
    }

    private static func markSummary(_ run: inout RunRecord.RecordedRun, _ object: [String: Any]) {
        run.hasSummary = true
        run.stopped = object["stopped"] as? String
    }

    /// The header fields that are read back (the rest is for people).
    private struct Header: Decodable {
        var title: String?
        var dataset: String?
        var dataset_crc32: String?
        var train_size: Int?
        var parent: Int?
        var fork_step: Int?
        var config: TrainingConfig
    }

    /// JSON numbers come back as Int or Double; null (NaN/inf were written as null) as nil.
    static func number(_ value: Any?) -> Double? {
        switch value {
        case let d as Double: return d
        case let i as Int: return Double(i)
        case let n as NSNumber: return n.doubleValue
        default: return nil
        }
    }

    private static func histogram(_ o: [String: Any], t: Double) -> RunRecord.Histogram? {
        guard let step = o["step"] as? Int, let layer = o["layer"] as? Int, let bins = o["bins"] as? [Int],
              let lo = number(o["lo"]), let hi = number(o["hi"]), lo <= hi,
              let activation = (o["activation"] as? String).flatMap(Activation.init(rawValue:)) else { return nil }
        let f = { (key: String) in Float(number(o[key]) ?? 0) }
        let stats = ActivationStatistics(
            layer: o["layer_name"] as? String ?? "layer \(layer)", activation: activation, bins: bins,
            excludesZeros: o["excludes_zeros"] as? Bool ?? false, range: Float(lo)...Float(hi),
            underflow: o["under"] as? Int ?? 0, overflow: o["over"] as? Int ?? 0, count: o["count"] as? Int ?? 0,
            mean: f("mean"), standardDeviation: f("std"), zeroFraction: f("zero_frac"), saturatedFraction: f("sat_frac"),
            minimum: f("min"), maximum: f("max"))
        return RunRecord.Histogram(t: t, step: step, layer: layer, statistics: stats)
    }
}
