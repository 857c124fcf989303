import Foundation
import NN
import Testing

@testable import dlboard

/// A run record as untrusted input: every number is range-checked where it is read, so numbers at
/// the limits replay and export without a trap, and numbers past them make a damaged line; record
/// text is escaped before it reaches a terminal; a newer format version is said.
@Suite struct RecordInputTests {
    static let configJSON: String = {
        var c = TrainingConfig()
        c.network.hidden = [20]
        c.epochs = 2
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try! encoder.encode(c), as: UTF8.self)
    }()

    /// A small valid record, one line per kind, as dictionaries to mutate.
    static func lines() -> [[String: Any]] {
        let config = try! JSONSerialization.jsonObject(with: Data(configJSON.utf8))
        return [
            [
                "type": "config", "version": 1, "t": 0.1, "created": "2026-11-23T21:25:38Z", "seed": 0,
                "dataset": "MNIST",
                "dataset_crc32": "4a3e3db6", "train_size": 1000, "config": config,
            ],
            ["type": "step", "step": 1, "epoch": 1, "t": 0.2, "loss": 2.3],
            ["type": "event", "step": 5, "t": 0.3, "kind": "lr", "from": "0.01", "to": "0.1", "what": "lr 0.1"],
            ["type": "step", "step": 10, "epoch": 1, "t": 0.4, "loss": 2.0],
            [
                "type": "eval", "epoch": 1, "step": 10, "t": 0.5, "loss": 2.1, "train_acc": 0.5, "test_acc": 0.4,
                "train_seconds": 0.3, "samples_per_s": 1000.0,
            ],
            [
                "type": "hist", "step": 10, "t": 0.5, "layer": 1, "activation": "relu", "lo": 0.0, "hi": 1.0,
                "bins": [1, 2],
                "under": 0, "over": 1, "count": 8, "zero_frac": 0.5, "sat_frac": 0.0, "excludes_zeros": true,
                "mean": 0.5, "std": 0.2, "min": 0.0, "max": 2.0,
            ],
            [
                "type": "layer", "step": 10, "t": 0.5, "layer": 1, "layer_name": "Affine1", "verdict": "healthy",
                "signal_mean_abs": 0.01, "signal_std": 0.02, "signal_norm": 0.5, "signal_count": 200,
                "signal_lo": -0.1, "signal_hi": 0.1, "signal_bins": [100, 100], "signal_nonfinite": 0,
                "w_mean_abs": 0.05, "w_std": 0.07, "w_norm": 9.0, "w_count": 15680, "w_lo": -0.3, "w_hi": 0.3,
                "w_bins": [7840, 7840], "w_nonfinite": 0, "grad_mean_abs": 1e-4, "grad_std": 2e-4, "grad_norm": 0.02,
                "update_mean_abs": 1e-6, "update_std": 2e-6, "update_norm": 2e-4, "grad_ratio": NSNull(),
                "update_ratio": 2.857e-5, "dead_frac": 0.1, "zero_frac": 0.5, "units": 20, "distinct": 20,
                "bn_batch_mean": 0.1, "bn_running_mean": 0.0, "bn_batch_var": 1.0, "bn_running_var": 0.5,
                "bn_mean_gap": 0.1,
            ],
            ["type": "summary", "t": 0.6, "steps": 10, "stopped": NSNull()],
        ]
    }

    static func text(_ lines: [[String: Any]]) -> Data {
        Data(
            lines.map { String(decoding: try! JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
                .joined(separator: "\n").utf8 + [0x0A])
    }

    /// `lines()` with `key` of line `index` set to `value` (a JSON literal, so Int.max stays exact).
    static func mutated(line index: Int, _ key: String, _ value: String) -> Data {
        var all = lines()
        all[index][key] = "@@"
        return literal(all, value)
    }

    /// The lines as JSON, with the string "@@" replaced by `value`.
    static func literal(_ lines: [[String: Any]], _ value: String) -> Data {
        let text = String(decoding: Self.text(lines), as: UTF8.self)
        return Data(text.replacingOccurrences(of: #""@@""#, with: value).utf8)
    }

    /// Header fields a replay does not use (the command line, the header's copy of the seed, the
    /// data folder, the split sizes) do not make a record unreadable when they are odd, as they did
    /// not before the record schema; the run's configuration and curves are what count.
    @Test(arguments: [
        ("seed", "-1"), ("argv", "5"), ("created", "[]"), ("data", "7"), ("validation_size", "-3"),
        ("test_size", "1e300"),
    ])
    func anOddFieldAReplayDoesNotUseIsTolerated(key: String, value: String) throws {
        let r = try RunRecordReader.parse(Self.mutated(line: 0, key, value), path: "odd.jsonl")
        #expect(r.runs.count == 1 && r.runs[0].steps.count > 0, "\(key) = \(value): \(r.warnings)")
    }

    @Test func aValidRecordReadsWithoutWarnings() throws {
        let r = try RunRecordReader.parse(Self.text(Self.lines()), path: "ok.jsonl")
        #expect(r.warnings.isEmpty)
        #expect(r.runs.count == 1 && r.runs[0].steps.count == 2 && r.runs[0].histograms.count == 1)
        #expect(r.runs[0].layerSamples.map(\.step) == [10] && r.runs[0].layers[0].statistics.units == 20)
    }

    @Test(arguments: [
        (1, "step", "9223372036854775807"), (1, "step", "-1"), (1, "epoch", "9223372036854775807"),
        (1, "t", "1e300"), (1, "t", "-0.5"), (1, "loss", "1e999"),
        (2, "step", "1000000000001"),
        (4, "train_acc", "1.5"), (4, "test_acc", "-0.1"), (4, "samples_per_s", "-1"), (4, "train_seconds", "1e300"),
        (5, "zero_frac", "1e300"), (5, "sat_frac", "2"), (5, "under", "9223372036854775807"),
        (5, "count", "9223372036854775000"), (5, "over", "-3"), (5, "bins", "[1, 9223372036854775807]"),
        (5, "mean", "1e300"), (5, "std", "-1"), (5, "lo", "-1e39"), (5, "layer", "-1"),
        (6, "step", "-1"), (6, "layer", "-2"), (6, "t", "-1"), (6, "signal_std", "-0.5"), (6, "w_norm", "1e39"),
        (6, "grad_ratio", "-1"), (6, "update_ratio", "1e300"), (6, "signal_bins", "[1, -1]"), (6, "w_lo", "-1e39"),
        (6, "signal_hi", "-0.2"), (6, "w_count", "-1"), (6, "dead_frac", "1.5"), (6, "zero_frac", "-0.1"),
        (6, "distinct", "21"), (6, "units", "-1"), (6, "bn_batch_var", "-1"), (6, "bn_running_mean", "1e39"),
        (6, "signal_nonfinite", "-1"), (6, "layer_name", "7"),
        (5, "bins", "[" + Array(repeating: "0", count: 5000).joined(separator: ",") + "]"),
        (6, "w_bins", "[" + Array(repeating: "0", count: 4097).joined(separator: ",") + "]"),
    ])
    func aNumberOutOfRangeMakesADamagedLine(line: Int, key: String, value: String) throws {
        let r = try RunRecordReader.parse(Self.mutated(line: line, key, value), path: "bad.jsonl")
        let valid = try RunRecordReader.parse(Self.text(Self.lines()), path: "ok.jsonl")
        // Skipped: one record fewer of that kind, the rest as in the valid record.
        let counts = { (x: RunRecord) in
            [
                x.runs[0].steps.count, x.runs[0].events.count, x.runs[0].evaluations.count, x.runs[0].histograms.count,
                x.runs[0].layers.count,
            ]
        }
        #expect(counts(r).reduce(0, +) == counts(valid).reduce(0, +) - 1, "\(key) = \(value)")
        // A number JSONDecoder cannot hold as the field's type is an unreadable line; any other is
        // out of range, named with its field.
        let warning = try #require(r.warnings.first, "\(key) = \(value)")
        #expect(warning.hasPrefix("bad.jsonl: skipped 1 "), "\(warning)")
        #expect(warning.contains("at line \(line + 1)"), "\(warning)")
        if warning.contains("out of range") { #expect(warning.contains("\"\(key)\""), "\(warning)") }
    }

    @Test func outOfRangeLinesAreCountedAndTheFirstNamed() throws {
        var all = Self.lines()
        all[1]["step"] = -1
        all[3]["t"] = -2
        let r = try RunRecordReader.parse(Self.text(all), path: "f.jsonl")
        #expect(
            r.warnings == [
                #"f.jsonl: skipped 2 line(s) with numbers out of range, the first at line 2: "step" is -1, outside 0…1000000000000"#
            ])
    }

    @Test(arguments: [
        ("epochs", "9223372036854775807", "epochs"), ("batchSize", "0", "batch size: must be at least 1, got 0"),
        ("epochs", "1000000000000", "epochs: must be at most 1000000"),
    ])
    func aDamagedConfigIsAnErrorNamingIt(key: String, value: String, expected: String) throws {
        var all = Self.lines()
        var config = all[0]["config"] as! [String: Any]
        config[key] = "@@"
        all[0]["config"] = config
        do {
            _ = try RunRecordReader.parse(Self.literal(all, value), path: "c.jsonl")
            Issue.record("a config with \(key) = \(value) was read")
        } catch {
            #expect(
                error.description.hasPrefix(
                    "c.jsonl: not a readable run record: its config record (line 1) is damaged: "), "\(error)")
            #expect(error.description.contains(expected), "\(error)")
        }
        do {
            _ = try RunRecordReader.parse(Self.mutated(line: 0, "t", "1e300"), path: "t.jsonl")
            Issue.record("a config at t = 1e300 was read")
        } catch {
            #expect(error.description.contains(#""t" is 1e+300"#))
        }
    }

    /// A config whose network names a loss (or activation) this dlboard does not know is named as
    /// such, with the field, rather than reported as a file without any config record.
    @Test(arguments: [("loss", "softmax-hinge"), ("activation", "swish")])
    func anUnknownNetworkValueIsNamed(key: String, value: String) throws {
        var all = Self.lines()
        var config = all[0]["config"] as! [String: Any]
        var network = config["network"] as! [String: Any]
        network[key] = value
        config["network"] = network
        all[0]["config"] = config
        do {
            _ = try RunRecordReader.parse(Self.literal(all, ""), path: "u.jsonl")
            Issue.record("a config with \(key) \(value) was read")
        } catch {
            #expect(
                error.description.hasPrefix(
                    "u.jsonl: not a readable run record: its config record (line 1) is damaged: "),
                "\(error)")
            #expect(error.description.contains("network.\(key)") && error.description.contains(value), "\(error)")
        }
    }

    /// Every number at its limit: the replay's status, the dashboard's frame, the CSV and the
    /// TensorBoard buckets are computed without a trap.
    @Test func numbersAtTheLimitsReplayAndExport() throws {
        let limit = RunRecordReader.countLimit
        var all = Self.lines()
        all[0]["train_size"] = limit
        all[0]["created"] = nil
        all[0]["t"] = RunRecordReader.timeLimit
        all[1]["step"] = limit
        all[1]["epoch"] = limit
        all[1]["t"] = RunRecordReader.timeLimit
        all[1]["loss"] = -Double.greatestFiniteMagnitude
        all[4]["step"] = limit
        all[4]["samples_per_s"] = Double(limit)
        for key in ["under", "over", "count", "step"] { all[5][key] = limit }
        all[5]["bins"] = [limit, limit]
        all[5]["zero_frac"] = 1.0
        for key in ["hi", "max", "mean", "std"] { all[5][key] = Double(Float.greatestFiniteMagnitude) }
        for key in ["signal_count", "w_count", "signal_nonfinite", "units", "distinct", "step"] { all[6][key] = limit }
        all[6]["signal_bins"] = [limit, limit]
        all[6]["w_bins"] = [limit]
        for key in ["signal_std", "signal_norm", "w_norm", "grad_norm", "update_norm", "w_hi", "signal_hi"] {
            all[6][key] = Double(Float.greatestFiniteMagnitude)
        }
        all[6]["w_lo"] = -Double(Float.greatestFiniteMagnitude)
        all[6]["w_std"] = 0
        let json = String(decoding: Self.text(all), as: UTF8.self)
            .replacingOccurrences(of: #""batchSize":100"#, with: #""batchSize":\#(limit)"#)
        let record = try RunRecordReader.parse(Data(json.utf8), path: "limits.jsonl")
        #expect(record.warnings.isEmpty, "\(record.warnings)")
        #expect(record.runs[0].steps.first?.step == limit)
        var screen = ReplayScreen(records: [record], speed: nil)
        let status = try #require(screen.state.panes.first?.state.status)
        #expect(status.step == limit)
        #expect(status.secondsToTarget == nil || status.secondsToTarget!.isFinite)
        #expect(screen.render(width: 80, height: 24, glyphs: .ascii).text.contains("replay"))
        for key in ["v", "x", "l", "v"] {  // overlay, difference, log scale: every view draws these numbers
            _ = screen.handle(.character(Character(key)))
            #expect(!screen.render(width: 120, height: 40, glyphs: .braille).text.isEmpty)
        }
        _ = screen.handle(.character("r"))
        _ = screen.tick(now: 0)
        _ = screen.tick(now: 1)
        let rows = RecordExporter(record: record).csv().split(separator: "\n")
        #expect(rows.count == 1 + 2 + 1 + 1, "header, 2 steps, the event, the evaluation")
        let dir = ReplayTests.temporaryPath("limits-tb")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = try RecordExporter(record: record).writeTensorBoard(to: dir)
        #expect(files.count == 1)
        let h = TensorBoardWriter.buckets(record.runs[0].histograms[0].statistics)
        #expect(h.counts.reduce(0, +) == Double(limit) * 5, "under + zeros, two bins, over")
        let layer = try #require(record.runs[0].layers.first).statistics
        #expect(layer.updateToData == .infinity, "W without spread")
        let signal = TensorBoardWriter.buckets(
            try #require(layer.backwardSignal.histogram), norm: layer.backwardSignal.norm)
        #expect(signal.counts.reduce(0, +) == Double(limit) * 2 && signal.sum.isFinite && signal.sumOfSquares.isFinite)
        #expect(RecordExporter(record: record).layersCSV().split(separator: "\n").count == 2)
    }

    @Test func switchesToValuesTheEngineRefusesAreIgnoredOnReplay() throws {
        var all = Self.lines()
        let switches: [(String, String)] = [
            ("lr", "1e300"), ("dropout", "5"), ("weight_decay", "-1"), ("lr", "0.5"), ("dropout", "nan"),
        ]
        for (k, (kind, to)) in switches.enumerated() {
            all.insert(
                ["type": "event", "step": 6 + k, "t": 0.35, "kind": kind, "from": "x", "to": to, "what": kind], at: 3)
        }
        let record = try RunRecordReader.parse(Self.text(all), path: "switches.jsonl")
        var player = ReplayPlayer(records: [record])
        let status = try #require(player.advance(to: .infinity).runs[0]?.status)
        #expect(status.config.learningRate == 0.5, "the valid switch is applied")
        #expect(
            status.config.network.dropout == 0 && status.config.network.weightDecay == 0, "the invalid ones are not")
    }

    @Test func aNewerFormatVersionIsSaidOnce() throws {
        var all = Self.lines()
        all[0]["version"] = 99
        var second = all[0]
        second["run"] = 1
        all.append(second)
        let r = try RunRecordReader.parse(Self.text(all), path: "new.jsonl")
        #expect(r.runs.count == 2)
        #expect(
            r.warnings == [
                "new.jsonl: written by a newer dlboard (record format version 99; this dlboard reads version 1): what it does not know is left out"
            ])
        all[0]["version"] = 0
        #expect(throws: RunRecordReader.ReadError.self) {
            try RunRecordReader.parse(Self.text(Array(all.prefix(7))), path: "v0.jsonl")
        }
    }

    @Test func controlCharactersArePrintedEscaped() {
        #expect(RecordText.printable("plain · text ✓") == "plain · text ✓")
        #expect(RecordText.printable("\u{1B}[2J\u{1B}]0;pwned\u{07}") == "^[[2J^[]0;pwned^G")
        #expect(RecordText.printable("\u{1B}]52;c;aGk=\u{1B}\\") == "^[]52;c;aGk=^[\\")
        #expect(RecordText.printable("a\nb\tc\r\u{0}\u{7F}") == "a^Jb^Ic^M^@^?")
        #expect(RecordText.printable("\u{9B}31m\u{85}") == "\\u{9B}31m\\u{85}")
        let all = String(String.UnicodeScalarView((0..<0xA0).compactMap(Unicode.Scalar.init)))
        #expect(!RecordText.printable(all).unicodeScalars.contains(where: RecordText.isControl))
    }
}
