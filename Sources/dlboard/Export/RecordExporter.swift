import Foundation
import NN

/// Turns a run record into a CSV table or TensorBoard event files.
struct RecordExporter {
    let record: RunRecord

    static let csvHeader = "run,title,type,step,epoch,t,loss,train_acc,test_acc,val_acc,what,lr"

    /// One row per step, evaluation and event of every run, in file order within each run; the
    /// `type` column holds the record's type, `lr` an evaluation's learning rate (as its step took it).
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
                        "\(prefix),\(RecordType.step.rawValue),\(s.step),\(s.epoch),\(s.t),\(Self.number(s.loss)),,,,,\n"
                case .evaluation(let k):
                    let e = run.evaluations[k]
                    let v = e.evaluation
                    out +=
                        "\(prefix),\(RecordType.eval.rawValue),\(v.step),\(v.epoch),\(e.t),\(e.loss.map(Self.number) ?? ""),\(Self.number(v.trainAccuracy)),"
                        + "\(v.testAccuracy.map(Self.number) ?? ""),\(v.validationAccuracy.map(Self.number) ?? ""),,"
                        + "\(v.learningRate.map { $0.isFinite ? "\($0)" : "" } ?? "")\n"
                case .event(let k):
                    let e = run.events[k]
                    out +=
                        "\(prefix),\(RecordType.event.rawValue),\(e.event.step),,\(e.t),,,,,\(Self.field(e.event.label)),\n"
                case .histogram, .layer:
                    break  // histograms go to TensorBoard, the layers to their own table (`layersCSV`)
                }
            }
        }
        return out
    }

    static let layersCSVHeader =
        "run,title,step,t,layer,layer_name,verdict,signal_mean_abs,signal_std,signal_norm,w_std,w_norm,"
        + "grad_std,grad_norm,update_std,update_norm,grad_ratio,update_ratio,dead_frac,zero_frac,units,distinct,"
        + "bn_batch_mean,bn_running_mean,bn_batch_var,bn_running_var,bn_mean_gap"

    /// One row per layer record of every run (a layer at a step that collected statistics), in file
    /// order within each run, with the `layer` record's numbers under its field names. An infinite
    /// magnitude or ratio (grad:data and update:data when W has no spread) is `inf`; a value not
    /// known (not a ReLU layer's dead share, no BatchNorm) is empty.
    func layersCSV() -> String {
        var out = Self.layersCSVHeader + "\n"
        func v(_ x: Float?) -> String {
            guard let x else { return "" }
            return x == .infinity ? "inf" : Self.number(Double(x))
        }
        for (n, run) in record.runs.enumerated() {
            let prefix = "\(n + 1),\(Self.field(run.title ?? ""))"
            for l in run.layers {
                let s = l.statistics
                let bn = s.batchNorm
                let fields: [String] = [
                    prefix, "\(l.step)", "\(l.t)", "\(l.layer)", Self.field(s.layer), Self.field(l.verdict ?? ""),
                    v(s.backwardSignal.meanAbsolute), v(s.backwardSignal.standardDeviation), v(s.backwardSignal.norm),
                    v(s.weight.standardDeviation), v(s.weight.norm), v(s.weightGradient.standardDeviation),
                    v(s.weightGradient.norm), v(s.update.standardDeviation), v(s.update.norm), v(s.gradientToData),
                    v(s.updateToData), v(s.deadUnitFraction), v(s.zeroFraction), "\(s.units)", "\(s.distinctUnits)",
                    v(bn?.batchMean), v(bn?.runningMean), v(bn?.batchVariance), v(bn?.runningVariance),
                    v(bn?.meanGap),
                ]
                out += fields.joined(separator: ",") + "\n"
            }
        }
        return out
    }

    /// A sub-folder per run (TensorBoard shows each as a run): the step loss, the evaluations'
    /// mean loss and accuracies as scalars, the activations at each evaluation as histograms; per
    /// layer record, `layers/update_ratio/<layer>` and `layers/grad_ratio/<layer>` as scalars (when
    /// finite: an infinite ratio has no point on a chart) and the backward signal's and the weights'
    /// histograms as `gradients/<layer>` and `weights/<layer>`, `<layer>` the Affine's name.
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
                if let lr = v.learningRate {
                    writer.scalar(tag: "learning_rate", value: Double(lr), step: v.step, wallTime: wall)
                }
            }
            for h in run.histograms {
                writer.histogram(
                    tag: "activations/layer\(h.layer)", TensorBoardWriter.buckets(h.statistics),
                    step: h.step, wallTime: start + h.t)
            }
            for l in run.layers {
                let s = l.statistics
                let wall = start + l.t
                for (tag, ratio) in [("update_ratio", s.updateToData), ("grad_ratio", s.gradientToData)]
                where ratio.isFinite {
                    writer.scalar(tag: "layers/\(tag)/\(s.layer)", value: Double(ratio), step: l.step, wallTime: wall)
                }
                for (tag, summary) in [("gradients", s.backwardSignal), ("weights", s.weight)] {
                    guard let h = summary.histogram else { continue }
                    writer.histogram(
                        tag: "\(tag)/\(s.layer)", TensorBoardWriter.buckets(h, norm: summary.norm), step: l.step,
                        wallTime: wall)
                }
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

    /// A CSV field, quoted when it holds a comma or quote; control characters (newlines too) replaced.
    static func field(_ s: String) -> String {
        // A name from a record is untrusted: control characters (ESC sequences, BEL, CR) would act on
        // the terminal of whoever `cat`s the CSV, so they become U+FFFD.
        let s = String(
            String.UnicodeScalarView(
                s.unicodeScalars.map { $0.properties.generalCategory == .control ? "\u{FFFD}" : $0 }))
        guard s.contains(where: { $0 == "," || $0 == "\"" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
