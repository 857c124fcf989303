import Foundation
import NN

/// Turns a run record into a CSV table or TensorBoard event files.
struct RecordExporter {
    let record: RunRecord

    static let csvHeader = "run,title,type,step,epoch,t,loss,train_acc,test_acc,val_acc,what,lr"

    /// The columns a search record's table adds after `csvHeader`'s (see `searchRows`).
    static let searchColumns =
        "round,knob,value,rung,budget,score,fate,donor,donor_score,generation,lr_from,lr_to,lr_factor,"
        + "wd_from,wd_to,wd_factor,digest,donor_digest"

    /// One row per step, evaluation and event of every run, in file order within each run; the
    /// `type` column holds the record's type, `lr` an evaluation's learning rate (as its step took it).
    /// A search's record (it holds `trial`, `rung`, `halving` or `exploit` records) gets the
    /// `searchColumns` too, and its search records as rows after the runs' (`searchRows`); any other
    /// record's table is exactly `csvHeader`'s columns.
    func csv() -> String {
        let search = record.isSearch
        let blank = search ? String(repeating: ",", count: Self.searchColumns.split(separator: ",").count) : ""
        var out = Self.csvHeader + (search ? "," + Self.searchColumns : "") + "\n"
        for (n, run) in record.runs.enumerated() {
            let title = Self.field(run.title ?? "")
            let prefix = "\(n + 1),\(title)"
            for entry in run.sequence {
                switch entry {
                case .step(let k):
                    let s = run.steps[k]
                    out +=
                        "\(prefix),\(RecordType.step.rawValue),\(s.step),\(s.epoch),\(s.t),\(Self.number(s.loss)),,,,,\(blank)\n"
                case .evaluation(let k):
                    let e = run.evaluations[k]
                    let v = e.evaluation
                    out +=
                        "\(prefix),\(RecordType.eval.rawValue),\(v.step),\(v.epoch),\(e.t),\(e.loss.map(Self.number) ?? ""),\(Self.number(v.trainAccuracy)),"
                        + "\(v.testAccuracy.map(Self.number) ?? ""),\(v.validationAccuracy.map(Self.number) ?? ""),,"
                        + "\(v.learningRate.map { $0.isFinite ? "\($0)" : "" } ?? "")\(blank)\n"
                case .event(let k):
                    let e = run.events[k]
                    out +=
                        "\(prefix),\(RecordType.event.rawValue),\(e.event.step),,\(e.t),,,,,\(Self.field(e.event.label)),\(blank)\n"
                case .histogram, .layer:
                    break  // histograms go to TensorBoard, the layers to their own table (`layersCSV`)
                }
            }
        }
        if search { out += searchRows() }
        return out
    }

    /// The search's records as rows, `type` naming the record: a `trial` row per knob value a trial
    /// drew (`round`, `knob`, `value`; a trial from before search spaces gives its lr and wd), a
    /// `rung` row per trial a rung decided (`rung`, `budget` in epochs, `score` the validation
    /// accuracy there, empty when the trial diverged, `fate` promoted/pruned/kept, where kept is a
    /// pruned trial trained on to measure the regret; on the last rung the trials `finished`), an
    /// `exploit` row per exploit (`run` the member, `step`, `donor` a run number, both scores, lr and
    /// wd from → to with their factors, empty when drawn afresh, and both state digests), and a
    /// `halving` row per number of the verdict (`knob` its name as in the record, `value`).
    func searchRows() -> String {
        let columns = Self.searchColumns.split(separator: ",").map(String.init)
        let runNumber = record.runNumbers
        var out = ""
        func row(type: RecordType, run: Int?, step: Int? = nil, t: Double?, _ fields: [String: String]) {
            let number = run.map { runNumber($0) }
            let title = run.flatMap { runNumber.header($0) }.flatMap { record.runs[$0 - 1].title } ?? ""
            var line = [
                number.map(String.init) ?? "", Self.field(title), type.rawValue, step.map(String.init) ?? "", "",
                t.map(Self.number) ?? "", "", "", "", "", "", "",
            ]
            line += columns.map { fields[$0] ?? "" }
            out += line.joined(separator: ",") + "\n"
        }
        func text(_ v: SearchValue) -> String {
            switch v {
            case .number(let x): Self.number(x)
            case .integer(let i): "\(i)"
            case .choice(let c): Self.field(c)
            }
        }
        func opt(_ x: Double?) -> String { x.map(Self.number) ?? "" }
        for trial in record.trials {
            let values: [(String, String)] =
                trial.values.isEmpty
                ? [
                    (SearchKnob.learningRate.rawValue, Self.number(trial.learningRate)),
                    (SearchKnob.weightDecay.rawValue, Self.number(trial.weightDecay)),
                ]
                : trial.values.sorted { $0.key.rawValue < $1.key.rawValue }.map { ($0.key.rawValue, text($0.value)) }
            for (knob, value) in values {
                row(type: .trial, run: trial.run, t: nil, ["round": "\(trial.round)", "knob": knob, "value": value])
            }
        }
        let lastRung = record.rungs.map(\.rung).max()
        for rung in record.rungs {
            let (promoted, kept) = (Set(rung.promoted), Set(rung.kept))
            for entry in rung.ranked {
                let fate =
                    promoted.contains(entry.run)
                    ? "promoted"
                    : kept.contains(entry.run)
                        ? "kept" : rung.rung == lastRung ? "finished" : StopReason.pruned.rawValue
                row(
                    type: .rung, run: entry.run, t: rung.t,
                    ["rung": "\(rung.rung)", "budget": "\(rung.budget)", "score": opt(entry.score), "fate": fate])
            }
        }
        for e in record.exploits {
            row(
                type: .exploit, run: e.member, step: e.step, t: nil,
                [
                    "donor": "\(runNumber(e.donor))", "score": Self.number(e.score),
                    "donor_score": Self.number(e.donorScore), "generation": "\(e.generation)",
                    "lr_from": Self.number(e.learningRateFrom), "lr_to": Self.number(e.learningRateTo),
                    "lr_factor": opt(e.learningRateFactor), "wd_from": Self.number(e.weightDecayFrom),
                    "wd_to": Self.number(e.weightDecayTo), "wd_factor": opt(e.weightDecayFactor),
                    "digest": Self.field(e.digest), "donor_digest": Self.field(e.donorDigest),
                ])
        }
        if let h = record.halving {
            func run(_ id: Int?) -> String { id.map { "\(runNumber($0))" } ?? "" }
            let numbers: [(String, String)] = [
                ("trials", "\(h.trials)"), ("eta", "\(h.eta)"),
                ("budgets", h.budgets.map(String.init).joined(separator: " ")),
                ("budget_spent", "\(h.budgetSpent)"), ("full_budget", "\(h.fullBudget)"),
                ("kept_budget", "\(h.keptBudget)"), ("best_run", run(h.bestRun)),
                ("best_val_acc", opt(h.bestValidation)), ("random_trials", "\(h.randomTrials)"),
                ("random_budget", h.randomBudget.map(String.init) ?? ""), ("random_best_run", run(h.randomBestRun)),
                ("random_best_val_acc", opt(h.randomBestValidation)),
                ("regret_missed", h.regretMissed.map(String.init) ?? ""),
                ("regret_kept", h.regretKept.map(String.init) ?? ""),
            ]
            for (name, value) in numbers { row(type: .halving, run: nil, t: h.t, ["knob": name, "value": value]) }
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
        let search = SearchIndex(record)
        return record.runs.enumerated().map { n, run in
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
            searchScalars(of: run, search, into: writer, start: start)
            return writer
        }
    }

    /// A search's records as scalars of the runs they are about (the writer has no text summaries):
    /// at step 0 `search/<knob>` per numeric knob value the trial drew (a choice has no number:
    /// it is in the CSV); per rung the trial reached, at the rung's budget in steps,
    /// `search/rung_score` (when it did not diverge), `search/rung_cutoff` (when the rung promoted
    /// anyone) and `search/promoted` (1 or 0); per exploit of the member, at its step,
    /// `population/exploit_donor` (the donor's run number), `population/exploit_lr` and
    /// `population/exploit_wd` (the values it went on with).
    func searchScalars(
        of run: RunRecord.RecordedRun, _ search: SearchIndex, into writer: TensorBoardWriter, start: Double
    ) {
        for trial in search.trials[run.id] ?? [] {
            let values = trial.values.isEmpty ? [.learningRate: .number(trial.learningRate)] : trial.values
            for (knob, value) in values.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                guard let v = value.number, v.isFinite else { continue }
                writer.scalar(tag: "search/\(knob.rawValue)", value: v, step: 0, wallTime: start + run.headerTime)
            }
        }
        for r in search.rungs[run.id] ?? [] {
            let (step, overflow) = r.rung.budget.multipliedReportingOverflow(by: run.stepsPerEpoch)
            guard !overflow else { continue }
            let at = start + r.rung.t
            if let score = r.score {
                writer.scalar(tag: "search/rung_score", value: score, step: step, wallTime: at)
            }
            if let cutoff = r.rung.cutoff {
                writer.scalar(tag: "search/rung_cutoff", value: cutoff, step: step, wallTime: at)
            }
            writer.scalar(tag: "search/promoted", value: r.promoted ? 1 : 0, step: step, wallTime: at)
        }
        // An exploit has no `t`: the wall time of the first step record from its step on (steps
        // are recorded in order, so a binary search finds it).
        let steps = run.steps
        for e in search.exploits[run.id] ?? [] {
            var (lo, hi) = (0, steps.count)
            while lo < hi {
                let mid = lo + (hi - lo) / 2
                if steps[mid].step < e.step { lo = mid + 1 } else { hi = mid }
            }
            let at = start + (lo < steps.count ? steps[lo].t : steps.last?.t ?? run.headerTime)
            writer.scalar(
                tag: "population/exploit_donor", value: Double(search.runNumber(e.donor)), step: e.step, wallTime: at)
            writer.scalar(tag: "population/exploit_lr", value: e.learningRateTo, step: e.step, wallTime: at)
            writer.scalar(tag: "population/exploit_wd", value: e.weightDecayTo, step: e.step, wallTime: at)
        }
    }

    /// A search's records grouped by the run they are about, so each run's event file takes its
    /// own without walking every record (a record may hold thousands of runs and rung entries).
    struct SearchIndex {
        var runNumber: RunRecord.RunNumbers
        var trials: [Int: [TrialRecord]] = [:]
        var rungs: [Int: [(rung: RungRecord, score: Double?, promoted: Bool)]] = [:]
        var exploits: [Int: [ExploitRecord]] = [:]

        init(_ record: RunRecord) {
            runNumber = record.runNumbers
            for t in record.trials { trials[t.run, default: []].append(t) }
            for r in record.rungs {
                let promoted = Set(r.promoted)
                for e in r.ranked { rungs[e.run, default: []].append((r, e.score, promoted.contains(e.run))) }
            }
            for e in record.exploits { exploits[e.member, default: []].append(e) }
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
