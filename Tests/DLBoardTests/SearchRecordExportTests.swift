import Foundation
import NN
import Testing

@testable import dlboard

/// A search preset's record through `export --csv`, `export --tensorboard` and `replay --headless`,
/// all run as the built binary on a record the binary wrote: every trial's values, rung decision,
/// exploit and the halving verdict come out with the values the record holds.
@Suite(.serialized) struct SearchRecordExportTests {
    struct Written {
        var path: String
        var records: [DecodedRecord]
        /// Run id → the 1-based number replay and export show (its header's place in the file).
        var numbers: [Int: Int]
    }

    static func write(_ args: [String]) throws -> Written {
        let path = NSTemporaryDirectory() + "dlboard-search-export-\(UUID().uuidString).jsonl"
        let r = try BinaryRunner.run(["preset"] + args + ["--headless", "--metrics-out", path], timeout: 300)
        #expect(r.status == 0 && !r.crashed, "\(r.stderr)")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let records = try lines.map { try JSONDecoder().decode(DecodedRecord.self, from: Data($0.utf8)) }
        var numbers: [Int: Int] = [:]
        for r in records { if case .config = r { numbers[r.run] = numbers.count + 1 } }
        return Written(path: path, records: records, numbers: numbers)
    }

    /// The CSV the binary exported: the header's columns and each row's fields by column name.
    struct Table {
        var header: [String]
        var rows: [[String: String]]
        var widths: Set<Int>

        func rows(_ type: String) -> [[String: String]] { rows.filter { $0["type"] == type } }
    }

    static func exportCSV(_ path: String) throws -> Table {
        let csv = path + ".csv"
        defer { try? FileManager.default.removeItem(atPath: csv) }
        let r = try BinaryRunner.run(["export", path, "--csv", csv])
        #expect(r.status == 0 && !r.crashed, "\(r.stderr)")
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = fields(lines[0])
        let body = lines.dropFirst().map(fields)
        return Table(
            header: header,
            rows: body.map { Dictionary(uniqueKeysWithValues: zip(header, $0).map { ($0, $1) }) },
            widths: Set(body.map(\.count)))
    }

    /// A CSV line's fields, a quoted field unquoted.
    static func fields(_ line: String) -> [String] {
        var out: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" {
                        field.append("\"")
                        chars = chars.dropFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                out.append(field)
                field = ""
            } else {
                field.append(c)
            }
        }
        out.append(field)
        return out
    }

    static func replayLines(_ path: String) throws -> [String] {
        let r = try BinaryRunner.run(["replay", path, "--headless"])
        #expect(r.status == 0 && !r.crashed, "\(r.stderr)")
        return r.stdout.split(separator: "\n").map(String.init)
    }

    static func score(_ x: Double?) -> String { x.map { String(format: "%.4f", $0) } ?? "-" }

    @Test func aSuccessiveHalvingRecordExportsAndReplaysEveryTrialRungAndTheVerdict() throws {
        let w = try Self.write([
            "successive-halving", "--trials", "6", "--epochs", "3", "--train-size", "600", "--keep-pruned", "1",
        ])
        defer { try? FileManager.default.removeItem(atPath: w.path) }
        let trials = w.records.compactMap { if case .trial(let t) = $0 { t } else { nil } }
        let rungs = w.records.compactMap { if case .rung(let r) = $0 { r } else { nil } }
        let halving = try #require(w.records.compactMap { if case .halving(let h) = $0 { h } else { nil } }.last)
        let evals = w.records.filter { if case .eval = $0 { true } else { false } }
        #expect(trials.count == 6 + halving.randomTrials && rungs.count == 2)

        let table = try Self.exportCSV(w.path)
        #expect(
            table.header
                == (RecordExporter.csvHeader + "," + RecordExporter.searchColumns).split(separator: ",").map(
                    String.init))
        #expect(table.widths == [table.header.count], "every row has every column")
        #expect(table.rows("eval").count == evals.count, "the runs' rows are still there")

        // A row per knob value of every trial, to the last digit.
        let trialRows = table.rows("trial")
        #expect(trialRows.count == trials.reduce(0) { $0 + $1.values.count })
        for t in trials {
            for (knob, value) in t.values {
                let row = trialRows.first { $0["run"] == "\(w.numbers[t.run]!)" && $0["knob"] == knob.rawValue }
                #expect(row?["round"] == "\(t.round)", "trial \(t.run) \(knob)")
                #expect(row.flatMap { $0["value"] }.flatMap(Double.init) == value.number, "trial \(t.run) \(knob)")
            }
        }

        // A row per trial a rung decided, with its score and fate.
        let rungRows = table.rows("rung")
        #expect(rungRows.count == rungs.reduce(0) { $0 + $1.ranked.count })
        for r in rungs {
            for e in r.ranked {
                let row = try #require(
                    rungRows.first { $0["rung"] == "\(r.rung)" && $0["run"] == "\(w.numbers[e.run]!)" })
                #expect(row["budget"] == "\(r.budget)")
                #expect(row["score"].flatMap(Double.init) == e.score)
                let fate =
                    r.promoted.contains(e.run)
                    ? "promoted" : r.kept.contains(e.run) ? "kept" : r.rung == rungs.last?.rung ? "finished" : "pruned"
                #expect(row["fate"] == fate, "rung \(r.rung) run \(e.run)")
            }
        }
        #expect(rungRows.contains { $0["fate"] == "promoted" } && rungRows.contains { $0["fate"] == "kept" })

        // The verdict's numbers, one row each.
        let verdict = Dictionary(uniqueKeysWithValues: table.rows("halving").map { ($0["knob"]!, $0["value"]!) })
        #expect(verdict["trials"] == "6" && verdict["eta"] == "\(halving.eta)")
        #expect(verdict["budgets"] == halving.budgets.map(String.init).joined(separator: " "))
        #expect(
            verdict["budget_spent"] == "\(halving.budgetSpent)" && verdict["full_budget"] == "\(halving.fullBudget)")
        #expect(verdict["best_run"] == halving.bestRun.map { "\(w.numbers[$0]!)" })
        #expect(verdict["best_val_acc"].flatMap(Double.init) == halving.bestValidation)
        #expect(verdict["regret_kept"] == halving.regretKept.map(String.init))

        // The replay ends with a line per rung decision and the verdict.
        let lines = try Self.replayLines(w.path)
        func runs(_ ids: [Int]) -> String {
            ids.isEmpty ? "none" : ids.map { "\(w.numbers[$0]!)" }.joined(separator: ", ")
        }
        var expected = rungs.map { r in
            "rung \(r.rung) at \(r.budget) epoch(s): \(r.ranked.count) trial(s), promoted runs \(runs(r.promoted)), cutoff \(Self.score(r.cutoff))"
                + (r.kept.isEmpty ? "" : ", kept alive \(runs(r.kept))")
        }
        expected.append(
            "halving: 6 trials, η \(halving.eta), budget \(halving.budgetSpent) of \(halving.fullBudget) epochs · best run \(w.numbers[halving.bestRun!]!) at val \(Self.score(halving.bestValidation))"
                + " · random search with the same budget: \(halving.randomTrials) trial(s), best run \(w.numbers[halving.randomBestRun!]!) at val \(Self.score(halving.randomBestValidation))"
                + " · pruning regret \(halving.regretMissed!) of \(halving.regretKept!)")
        #expect(Array(lines.suffix(expected.count)) == expected, "\(lines.suffix(4))")
    }

    /// A rung naming a run the record has no header of (a record cut or merged by hand) is still
    /// exported and replayed, under the number it would have had and with no other run's title.
    @Test func aRungOfARunWithoutAHeaderKeepsItsOwnNumber() throws {
        let w = try Self.write(["successive-halving", "--trials", "3", "--epochs", "1", "--train-size", "300"])
        defer { try? FileManager.default.removeItem(atPath: w.path) }
        let stray = RungRecord(
            rung: 7, budget: 1, t: 0, ranked: [.init(run: 1, score: 0.5), .init(run: 999, score: nil)],
            promoted: [1], cutoff: 0.5, kept: [])
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: w.path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((try RecordEncoder.line(stray) + "\n").utf8))
        try handle.close()
        let rows = try Self.exportCSV(w.path).rows("rung").filter { $0["rung"] == "7" }
        #expect(rows.map { $0["run"] } == ["\(w.numbers[1]!)", "1000"])
        #expect(rows.map { $0["fate"] } == ["promoted", "finished"])
        #expect(rows[0]["title"]?.isEmpty == false && rows[1]["title"] == "" && rows[1]["score"] == "")
        let lines = try Self.replayLines(w.path)
        #expect(lines.contains("rung 7 at 1 epoch(s): 2 trial(s), promoted runs \(w.numbers[1]!), cutoff 0.5000"))
    }

    @Test func aPopulationRecordExportsAndReplaysEveryExploit() throws {
        let w = try Self.write(["population", "--epochs", "3", "--train-size", "600"])
        defer { try? FileManager.default.removeItem(atPath: w.path) }
        let exploits = w.records.compactMap { if case .exploit(let e) = $0 { e } else { nil } }
        #expect(!exploits.isEmpty)

        let table = try Self.exportCSV(w.path)
        #expect(table.widths == [table.header.count])
        let rows = table.rows("exploit")
        #expect(rows.count == exploits.count)
        for (e, row) in zip(exploits, rows) {
            #expect(row["run"] == "\(w.numbers[e.member]!)" && row["donor"] == "\(w.numbers[e.donor]!)")
            #expect(row["step"] == "\(e.step)" && row["generation"] == "\(e.generation)")
            #expect(
                row["score"].flatMap(Double.init) == e.score && row["donor_score"].flatMap(Double.init) == e.donorScore)
            #expect(row["lr_from"].flatMap(Double.init) == e.learningRateFrom)
            #expect(row["lr_to"].flatMap(Double.init) == e.learningRateTo)
            #expect(row["wd_from"].flatMap(Double.init) == e.weightDecayFrom)
            #expect(row["wd_to"].flatMap(Double.init) == e.weightDecayTo)
            #expect(row["lr_factor"].flatMap(Double.init) == e.learningRateFactor)
            #expect(row["wd_factor"].flatMap(Double.init) == e.weightDecayFactor)
            #expect(row["digest"] == e.digest && row["donor_digest"] == e.donorDigest && e.digest.count == 16)
        }

        // The replay ends with a line per exploit, in the record's order.
        let lines = try Self.replayLines(w.path)
        func factor(_ f: Double?) -> String { f.map { " (×\(Format.number(Float($0))))" } ?? " (drawn)" }
        let expected = exploits.map { e in
            "exploit at step \(e.step) (generation \(e.generation)): run \(w.numbers[e.member]!) ← run \(w.numbers[e.donor]!)"
                + " (val \(Self.score(e.score)) ← \(Self.score(e.donorScore))), lr \(Format.number(Float(e.learningRateFrom)))"
                + " → \(Format.number(Float(e.learningRateTo)))\(factor(e.learningRateFactor)), wd \(Format.number(Float(e.weightDecayFrom)))"
                + " → \(Format.number(Float(e.weightDecayTo)))\(factor(e.weightDecayFactor))"
        }
        #expect(Array(lines.suffix(expected.count)) == expected, "\(lines.suffix(2))")

        // TensorBoard: each member's exploits as scalars at their steps.
        let dir = w.path + ".tb"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tb = try BinaryRunner.run(["export", w.path, "--tensorboard", dir])
        #expect(tb.status == 0 && !tb.crashed, "\(tb.stderr)")
        let record = try RunRecordReader.read(path: w.path)
        #expect(record.exploits == exploits)
        for (n, run) in record.runs.enumerated() {
            let folder = dir + "/" + RecordExporter.folderName(number: n + 1, title: run.title)
            let file = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first)
            let tags = ExportTests.tags(
                in: [UInt8](try #require(FileManager.default.contents(atPath: folder + "/" + file))))
            let mine = exploits.filter { $0.member == run.id }.count
            #expect((tags["population/exploit_donor"] ?? 0) == mine, "run \(n + 1)")
            #expect((tags["population/exploit_lr"] ?? 0) == mine && (tags["population/exploit_wd"] ?? 0) == mine)
            #expect(tags["search/lr"] == 1, "the member's drawn lr at step 0")
        }
    }
}
