import Foundation
import Testing

@testable import dlboard

/// The schema is the only place that knows the record format: no source outside
/// `Sources/dlboard/Logging/Schema/` builds JSON text by hand, and no source names an event kind or
/// a stop reason by its string instead of its `EventKind` / `StopReason` case. A scan of
/// `Sources/**/*.swift` (comments left out), with a short allow-list of the same words used for
/// other things.
@Suite struct RecordSchemaBoundaryTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let schemaFolder = "Sources/dlboard/Logging/Schema/"

    struct Line {
        var path: String
        var number: Int
        var code: String
        var place: String { "\(path):\(number): \(code.trimmingCharacters(in: .whitespaces))" }
    }

    /// Every line of code of every Swift file under `Sources/` of `root`, comments removed.
    static func sources(under root: URL = repository) throws -> [Line] {
        let sources = root.appendingPathComponent("Sources")
        let walker = try #require(FileManager.default.enumerator(atPath: sources.path))
        var lines: [Line] = []
        for case let file as String in walker where file.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                lines.append(Line(path: "Sources/\(file)", number: i + 1, code: code(of: String(line))))
            }
        }
        return lines
    }

    /// A line without its `//` comment (one outside a string literal).
    static func code(of line: String) -> String {
        var inString = false
        var previous: Character = " "
        var index = line.startIndex
        while index < line.endIndex {
            let c = line[index]
            if c == "\"" && previous != "\\" { inString.toggle() }
            if !inString && c == "/" && previous == "/" {
                return String(line[..<line.index(before: index)])
            }
            previous = c
            index = line.index(after: index)
        }
        return line
    }

    /// JSON object text in a string literal, as hand-built JSON has it: an object opening on a key
    /// (`#"{"type"…`, `"{\"type…`), or a quoted key with its colon (`#""loss":…`, `"\"loss\":…`),
    /// which is how a line built field by field by concatenation or interpolation looks.
    static let jsonText = [
        #"#"\{""#,
        #""\{\\""#,
        ##"#""[A-Za-z_][A-Za-z0-9_]*":"##,
        #"\\"[A-Za-z_][A-Za-z0-9_]*\\":"#,
        ##""[A-Za-z_][A-Za-z0-9_]*":\\#?\("##,
    ]

    static func handBuiltJSON(in lines: [Line]) -> [String] {
        let jsonText = Self.jsonText.map { try! Regex($0) }
        return lines.filter { line in
            !line.path.hasPrefix(schemaFolder) && jsonText.contains { line.code.contains($0) }
        }.map(\.place)
    }

    /// The strings of the record's event kinds and stop reasons, from the enums themselves.
    static let recordWords = EventKind.allCases.map(\.rawValue) + StopReason.allCases.map(\.rawValue)

    /// Where the same words mean something else. Each entry: the code around the literal (a
    /// regular expression the line must contain), and why it is not a record's kind or reason.
    static let otherMeanings: [(pattern: String, under: String, why: String)] = [
        // A hint bar's (key, label) pair: the words the screen shows next to a key.
        (#"\("[^"]+", "[^"]+"\)"#, "Sources/", "a key hint's label"),
        // The title's config-diff fields, each keyed by what it compares.
        (
            #"^\s*\("(optimizer|lr|init|activation|dropout)", "#, "Sources/dlboard/App/ConfigDiff.swift",
            "a config-diff key"
        ),
        // The views never write a record: "loss" there is the word on screen (a chart's title or series).
        (#""loss""#, "Sources/dlboard/Views/", "a chart's title"),
        // The seeded generator's stream for the initial weights: renaming it would change every run.
        (#"stream: "init""#, "Sources/NN/", "a random stream's name"),
        // The `augmentation` preset's name (the event kind of the `g` key has the same word).
        (#"case augmentation = "augmentation""#, "Sources/dlboard/Presets/", "a preset's name"),
        // The `--init` flag.
        (#"\.customLong\("init"\)"#, "Sources/dlboard/CLI/", "a command-line flag's name"),
        // What a headless command prints when it was stopped: a word for the user, not the record.
        (#"\? "interrupted" : "done""#, "Sources/dlboard/", "a printed status word"),
        (#"say\("interrupted"\)"#, "Sources/dlboard/", "a printed status word"),
        // What an unknown spelling is called in a decoding error ("unknown activation 'x'").
        (#"static var spelledKind: String \{ ""#, "Sources/NN/", "an error message's noun"),
        // A search space's knob names: the words a `--space` entry starts with (`lr=log:-4,0`).
        (#"^\s*case "#, "Sources/NN/Search/SearchKnob.swift", "a search knob's name"),
        // A record field of the same name as a kind (the trial's "lr", "weight_decay"): the schema's
        // CodingKeys.
        (#"^\s*case \w+ = "[a-z_]+"$"#, schemaFolder, "a record field's name"),
    ]

    static func bareRecordWords(in lines: [Line]) -> [String] {
        let allowed = otherMeanings.map { (try! Regex($0.pattern), $0.under) }
        let owners = [schemaFolder + "EventKind.swift", schemaFolder + "StopReason.swift"]
        return lines.filter { line in
            !owners.contains(line.path) && recordWords.contains { line.code.contains("\"\($0)\"") }
                && !allowed.contains { line.path.hasPrefix($0.1) && line.code.contains($0.0) }
        }.map(\.place)
    }

    @Test func noJSONIsBuiltOutsideTheSchema() throws {
        let lines = try Self.sources()
        #expect(lines.count > 1000, "the scan sees the sources")
        let found = Self.handBuiltJSON(in: lines)
        #expect(found == [], "JSON text outside the schema (write a record type instead)")
    }

    @Test func noEventKindOrStopReasonIsABareString() throws {
        let found = Self.bareRecordWords(in: try Self.sources())
        #expect(found == [], "use the EventKind / StopReason case")
    }

    /// The patterns catch what the writer looked like before the schema (lines from it, verbatim),
    /// and let the other meanings through.
    @Test func theScanCatchesHandBuiltRecords() {
        func line(_ code: String, in path: String = "Sources/dlboard/Logging/MetricsLog.swift") -> Line {
            Line(path: path, number: 1, code: Self.code(of: code))
        }
        let json = [
            ##"            #"{"type":"step",\#(Self.runField(run))"step":\#(step),"epoch":\#(epoch),"t":\#(elapsed),"loss":\#(Self.number(loss))}"#"##,
            ##"                + #""train_acc":\#(Self.number(trainAccuracy)),"test_acc":\#(testAccuracy.map(Self.number) ?? "null"),"#"##,
            ##"    static func runField(_ run: Int?) -> String { run.map { #""run":\#($0),"# } ?? "" }"##,
            ##"            let header = Array(#"{"type":""#.utf8)"##,
            ##"            for line in report { log?.write(#"{"type":"report","line":\#(MetricsLog.quoted(line))}"#) }"##,
            ##"        let s = "{\"type\":\"step\",\"step\":\(step)}""##,
            ##"        out += "\"loss\":" + String(loss)"##,
        ]
        for code in json { #expect(Self.handBuiltJSON(in: [line(code)]).count == 1, "\(code)") }
        #expect(Self.handBuiltJSON(in: [line(json[0], in: Self.schemaFolder + "StepRecord.swift")]) == [])
        #expect(Self.handBuiltJSON(in: [line(##"    // writes #"{"type":"step"}"# // "loss":"##)]) == [])

        let words = [
            ##"        pendingEvents.append(.init(step: trainer.steps, label: "⑂ forked", kind: "forked", from: String(id)))"##,
            ##"            event("lr \(Format.number(lr))", "lr", "\(before.effectiveLearningRate)", "\(lr)")"##,
            ##"    var recordReason: String { stoppedBy == SIGPIPE ? "stdout closed" : "interrupted" }"##,
            ##"                    stopReason = "diverged""##,
            ##"        case "weight_decay": if let v = Float(to) { run.config.network.weightDecay = v }"##,
        ]
        for code in words { #expect(Self.bareRecordWords(in: [line(code)]).count == 1, "\(code)") }
        let others = [
            ##"        ("o", "optim"), ("+/-", "lr"), ("i", "init"), ("b", "BN"), ("d", "dropout"),"##:
                "Sources/dlboard/App/KeyMap.swift",
            ##"        self.initGenerator = SeededGenerator(seed: seed, stream: "init")"##:
                "Sources/NN/Model/Network.swift",
            ##"    /// The summary's stop reason ("interrupted", "diverged")."##:
                "Sources/dlboard/Logging/RunRecord.swift",
            ##"        case learningRate = "lr""##: Self.schemaFolder + "TrialRecord.swift",
        ]
        for (code, path) in others { #expect(Self.bareRecordWords(in: [line(code, in: path)]) == [], "\(code)") }
        // An allowed use is allowed only where it belongs: a field named "lr" outside the schema is not.
        #expect(Self.bareRecordWords(in: [line(##"        case learningRate = "lr""##)]).count == 1)
    }
}
