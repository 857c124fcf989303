import Foundation
import NN

/// A JSON Lines metrics file: a `config` record first, then `step` and `eval` records, then a
/// `summary`. Lines are written whole and flushed at every evaluation (at least once per epoch) and
/// on close, so a killed run leaves every completed epoch readable.
///
/// Opening fails with a one-line error before any training starts. A write error later (disk
/// full) is reported once on stderr; training goes on and logging stops.
final class MetricsLog {
    let path: String
    private var file: UnsafeMutablePointer<FILE>?
    private(set) var failure: String?

    init(path: String) throws(LogError) {
        self.path = path
        guard let f = fopen(path, "w") else {
            throw LogError("--metrics-out: cannot write '\(path)': \(String(cString: strerror(errno)))")
        }
        file = f
    }

    deinit { close() }

    func close() {
        guard let f = file else { return }
        if fclose(f) != 0 { noteFailure() }
        file = nil
    }

    /// Writes one record (a complete line).
    func write(_ line: String) {
        guard let f = file, failure == nil else { return }
        if fputs(line + "\n", f) < 0 { noteFailure() }
    }

    func flush() {
        guard let f = file, failure == nil else { return }
        if fflush(f) != 0 || ferror(f) != 0 { noteFailure() }
    }

    private func noteFailure() {
        guard failure == nil else { return }
        failure = "writing '\(path)' failed: \(String(cString: strerror(errno)))"
    }

    // MARK: Records

    func writeConfig(_ config: TrainingConfig, dataset: Dataset, dataDirectory: String, run: Int? = nil, title: String? = nil) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let configJSON = (try? encoder.encode(config)).flatMap { String(data: $0, encoding: .utf8) } ?? "null"
        let titleField = title.map { #""title":\#(Self.quoted($0)),"# } ?? ""
        write(#"{"type":"config",\#(Self.runField(run))\#(titleField)"dataset":\#(Self.quoted(dataset.name)),"data":\#(Self.quoted(dataDirectory)),"#
            + #""train_size":\#(dataset.train.count),"validation_size":\#(dataset.validation?.count ?? 0),"#
            + #""test_size":\#(dataset.test.count),"config":\#(configJSON)}"#)
    }

    /// `"run":N,` for records of a comparison session's run N; nothing for a single run.
    static func runField(_ run: Int?) -> String { run.map { #""run":\#($0),"# } ?? "" }

    func writeStep(step: Int, epoch: Int, loss: Double, run: Int? = nil) {
        write(#"{"type":"step",\#(Self.runField(run))"step":\#(step),"epoch":\#(epoch),"loss":\#(Self.number(loss))}"#)
    }

    func writeEval(_ r: EpochReport) {
        writeEval(epoch: r.epoch, step: r.step, loss: r.meanLoss, trainAccuracy: r.trainAccuracy,
                  testAccuracy: r.testAccuracy, validationAccuracy: r.validationAccuracy,
                  trainSeconds: r.trainSeconds, samplesPerSecond: r.samplesPerSecond)
    }

    /// An evaluation record; `loss` (the epoch's mean batch loss) is left out when not known.
    func writeEval(epoch: Int, step: Int, loss: Double?, trainAccuracy: Double, testAccuracy: Double?,
                   validationAccuracy: Double?, trainSeconds: Double, samplesPerSecond: Double, run: Int? = nil) {
        let lossField = loss.map { #""loss":\#(Self.number($0)),"# } ?? ""
        write(#"{"type":"eval",\#(Self.runField(run))"epoch":\#(epoch),"step":\#(step),\#(lossField)"#
            + #""train_acc":\#(Self.number(trainAccuracy)),"test_acc":\#(testAccuracy.map(Self.number) ?? "null"),"#
            + #""val_acc":\#(validationAccuracy.map(Self.number) ?? "null"),"#
            + #""train_seconds":\#(Self.number(trainSeconds)),"samples_per_s":\#(Self.number(samplesPerSecond))}"#)
    }

    /// A user switch (what, and the step before which it took effect).
    func writeEvent(step: Int, what: String, run: Int? = nil) {
        write(#"{"type":"event",\#(Self.runField(run))"step":\#(step),"what":\#(Self.quoted(what))}"#)
    }

    func writeSummary(steps: Int, epochs: Int, seconds: Double, final: EpochReport?, stopReason: String?) {
        write(#"{"type":"summary","steps":\#(steps),"epochs":\#(epochs),"seconds":\#(Self.number(seconds)),"#
            + #""test_acc":\#(final.map { Self.number($0.testAccuracy) } ?? "null"),"#
            + #""stopped":\#(stopReason.map(Self.quoted) ?? "null")}"#)
    }

    /// JSON has no NaN or infinity: those become null.
    static func number(_ v: Double) -> String {
        v.isFinite ? "\(v)" : "null"
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if ch.value < 0x20 { out += String(format: "\\u%04x", ch.value) } else { out.unicodeScalars.append(ch) }
            }
        }
        return out + "\""
    }
}

/// A log file that cannot be used; the message names the flag and the path.
struct LogError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
