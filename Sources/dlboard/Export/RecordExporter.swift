import Foundation
import NN

/// Turns a run record into a CSV table or TensorBoard event files.
struct RecordExporter {
    let record: RunRecord

    static let csvHeader = "run,title,type,step,epoch,t,loss,train_acc,test_acc,val_acc,what"

    /// One row per step, evaluation and event of every run, in file order within each run; the
    /// `type` column holds the record's type.
    func csv() -> String {
        var out = Self.csvHeader + "\n"
        for (n, run) in record.runs.enumerated() {
            let title = Self.field(run.title ?? "")
            let prefix = "\(n + 1),\(title)"
            for entry in run.sequence {
                switch entry {
                case .step(let k):
                    let s = run.steps[k]
                    out +=
                        "\(prefix),\(RecordType.step.rawValue),\(s.step),\(s.epoch),\(s.t),\(Self.number(s.loss)),,,,\n"
                case .evaluation(let k):
                    let e = run.evaluations[k]
                    let v = e.evaluation
                    out +=
                        "\(prefix),\(RecordType.eval.rawValue),\(v.step),\(v.epoch),\(e.t),\(e.loss.map(Self.number) ?? ""),\(Self.number(v.trainAccuracy)),"
                        + "\(v.testAccuracy.map(Self.number) ?? ""),\(v.validationAccuracy.map(Self.number) ?? ""),\n"
                case .event(let k):
                    let e = run.events[k]
                    out +=
                        "\(prefix),\(RecordType.event.rawValue),\(e.event.step),,\(e.t),,,,,\(Self.field(e.event.label))\n"
                case .histogram:
                    break  // histograms go to TensorBoard
                }
            }
        }
        return out
    }

    /// A sub-folder per run (TensorBoard shows each as a run): the step loss, the evaluations'
    /// mean loss and accuracies as scalars, the activations at each evaluation as histograms.
    /// Returns the files written. `input`: the record's own file, never replaced.
    func writeTensorBoard(to directory: String, input: ExportFileWriter.FileID? = nil) throws(ExportError) -> [String] {
        var paths: [String] = []
        for writer in tensorBoardRuns(in: directory) {
            try writer.close(input: input)
            paths.append(writer.path)
        }
        return paths
    }

    /// Every run's event file, built in memory (nothing written yet).
    func tensorBoardRuns(in directory: String) -> [TensorBoardWriter] {
        record.runs.enumerated().map { n, run in
            let name = Self.folderName(number: n + 1, title: run.title)
            let start = (run.startDate ?? Date()).timeIntervalSince1970
            let writer = TensorBoardWriter(directory: "\(directory)/\(name)", wallTime: start + run.headerTime)
            for s in run.steps where s.loss.isFinite {
                writer.scalar(tag: "loss/step", value: s.loss, step: s.step, wallTime: start + s.t)
            }
            for e in run.evaluations {
                let v = e.evaluation
                let wall = start + e.t
                if let l = e.loss, l.isFinite {
                    writer.scalar(tag: "loss/epoch_mean", value: l, step: v.step, wallTime: wall)
                }
                writer.scalar(tag: "accuracy/train", value: v.trainAccuracy, step: v.step, wallTime: wall)
                if let t = v.testAccuracy {
                    writer.scalar(tag: "accuracy/test", value: t, step: v.step, wallTime: wall)
                }
                if let a = v.validationAccuracy {
                    writer.scalar(tag: "accuracy/validation", value: a, step: v.step, wallTime: wall)
                }
            }
            for h in run.histograms {
                writer.histogram(
                    tag: "activations/layer\(h.layer)", TensorBoardWriter.buckets(h.statistics),
                    step: h.step, wallTime: start + h.t)
            }
            return writer
        }
    }

    /// "run1", or "run1-sgd" with a title: letters, digits, '.', '-' only.
    static func folderName(number: Int, title: String?) -> String {
        guard let t = title, !t.isEmpty else { return "run\(number)" }
        var slug = ""
        for ch in t.lowercased() {
            if ch.isASCII && (ch.isLetter || ch.isNumber || ch == ".") {
                slug.append(ch)
            } else if !slug.hasSuffix("-") {
                slug.append("-")
            }
        }
        slug = slug.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return slug.isEmpty ? "run\(number)" : "run\(number)-\(slug.prefix(40))"
    }

    static func number(_ v: Double) -> String { v.isFinite ? "\(v)" : "" }

    /// A CSV field, quoted when it holds a comma, quote or newline.
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
