import Foundation
import NN

/// A trial's configuration as a spec file states it (`dlboard trial --spec FILE|-`): a record's
/// `config` object — a `TrainingConfig` as records write it — or a whole `config` record line (an
/// object with `"type":"config"`). Fields it leaves out keep the base's value (the flags' defaults,
/// or on a restore the checkpoint's), so a spec need only say what it sets.
///
/// The file comes from elsewhere (a scheduler, a script): every field name is checked against the
/// configuration's own (a misspelt `learningrate` would otherwise train at the default rate without
/// a word), values are decoded by the engine's Codable and range-checked by `TrainingConfig.validate`
/// after the flags have had their say. Every problem is one line naming the file.
struct TrialSpec {
    /// How errors name the spec: `--spec FILE` or `--spec -` (standard input).
    let name: String
    /// The configuration's fields as the spec gives them (JSON values).
    let fields: [String: Any]

    /// A spec larger than this is not a configuration.
    static let maximumBytes = 1 << 20

    /// A problem with the spec, in one line naming it.
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    /// Reads FILE, or standard input to its end for "-".
    static func read(_ path: String) throws(Problem) -> TrialSpec {
        let name = "--spec \(RecordText.printable(path))"
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw Problem(description: "\(name): cannot read it: \(String(cString: strerror(errno)))")
            }
            defer { try? handle.close() }
            do { data = try handle.read(upToCount: maximumBytes + 1) ?? Data() } catch {
                throw Problem(description: "\(name): cannot read it: \(error.localizedDescription)")
            }
        }
        return try TrialSpec(parsing: data, name: name)
    }

    init(parsing data: Data, name: String) throws(Problem) {
        self.name = name
        func problem(_ text: String) -> Problem { Problem(description: "\(name): \(text)") }
        guard data.count <= Self.maximumBytes else { throw problem("larger than \(Self.maximumBytes) bytes") }
        guard !data.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) else {
            throw problem("empty; expected a JSON object (a record's config)")
        }
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: data) } catch {
            throw problem("not valid JSON (\(Self.jsonReason(error)))")
        }
        guard var object = parsed as? [String: Any] else {
            throw problem("expected a JSON object (a record's config), got \(Self.kind(of: parsed))")
        }
        if let type = object["type"] {
            guard type as? String == RecordType.config.rawValue else {
                throw problem("a record line of type \(Self.text(type)); only a config record is a spec")
            }
            guard let config = object["config"] as? [String: Any] else {
                throw problem("the config record has no config object")
            }
            object = config
        }
        try Self.checkNames(object, known: Self.knownFields, at: "", problem: problem)
        fields = object
    }

    /// `base` with the spec's fields over it (a nested object — the network, the optimizer
    /// parameters — field by field). Not validated yet: the flags may still change a value.
    func applied(to base: TrainingConfig) throws(Problem) -> TrainingConfig {
        func problem(_ text: String) -> Problem { Problem(description: "\(name): \(text)") }
        var merged = Self.object(encoding: base)
        for (key, value) in fields {
            guard var inner = merged[key] as? [String: Any], let given = value as? [String: Any] else {
                merged[key] = value
                continue
            }
            // A record from before there was a choice of normalization says only `batchNorm`;
            // the base's `normalization` must not outvote it.
            if key == "network" && given["batchNorm"] != nil && given["normalization"] == nil {
                inner["normalization"] = nil
            }
            inner.merge(given) { $1 }
            merged[key] = inner
        }
        do {
            let data = try JSONSerialization.data(withJSONObject: merged)
            let config = try JSONDecoder().decode(TrainingConfig.self, from: data)
            // The flags' bound on depth (`--hidden WxN`): a spec of 200 000 one-unit layers takes
            // seconds a step and would outlast a scheduler's grace period at SIGTERM.
            let layers = config.network.hidden.count
            if (fields["network"] as? [String: Any])?["hidden"] != nil && layers > HiddenLayers.maximumRepeat {
                throw problem("network.hidden: at most \(HiddenLayers.maximumRepeat) layers, got \(layers)")
            }
            return config
        } catch let error as Problem {
            throw error
        } catch let error as DecodingError {
            throw problem(numberProblem(base: base) ?? Self.describe(error))
        } catch {
            throw problem("cannot be read as a configuration (\(error.localizedDescription))")
        }
    }

    // MARK: Numbers out of their field's range

    /// A number the configuration's type cannot hold (a seed of -1 or 1.5, a batch size of 1e30)
    /// fails the decoder without naming its field on every platform ("not valid JSON"). Found here
    /// by decoding the base with one number of the spec at a time, the field's type told by which
    /// probe values it takes; nil when no single number is at fault.
    private func numberProblem(base: TrainingConfig) -> String? {
        let object = Self.object(encoding: base)
        func decodes(_ path: [String], _ value: Any) -> Bool {
            let changed = Self.setting(object, path: path, to: value)
            guard let data = try? JSONSerialization.data(withJSONObject: changed) else { return false }
            return (try? JSONDecoder().decode(TrainingConfig.self, from: data)) != nil
        }
        for (path, value) in Self.leaves(fields) where value is NSNumber && !(value is Bool) {
            guard !decodes(path, value) else { continue }
            let given =
                (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]))
                .map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
            let expected =
                if !decodes(path, 1.5) {
                    "not a whole number in " + (decodes(path, -1) ? "−2^63…2^63−1" : "0…2^64−1")
                } else {
                    "out of range: " + (decodes(path, 1e39) ? "not a finite number" : "not within ±3.4e38 (a Float)")
                }
            return "\(path.joined(separator: ".")): \(given) is \(expected)"
        }
        return nil
    }

    /// The non-object values of `object`, each with its key path.
    private static func leaves(_ object: [String: Any], at prefix: [String] = []) -> [([String], Any)] {
        object.keys.sorted().flatMap { key -> [([String], Any)] in
            if let nested = object[key] as? [String: Any] { return leaves(nested, at: prefix + [key]) }
            return [(prefix + [key], object[key]!)]
        }
    }

    /// `object` with the value at `path` replaced (objects on the way made as needed).
    private static func setting(_ object: [String: Any], path: [String], to value: Any) -> [String: Any] {
        guard let key = path.first else { return object }
        var out = object
        if path.count == 1 {
            out[key] = value
        } else {
            out[key] = setting(object[key] as? [String: Any] ?? [:], path: Array(path.dropFirst()), to: value)
        }
        return out
    }

    // MARK: Field names

    /// The names a configuration has, nested objects as dictionaries of their own: read off a
    /// configuration that states every optional field, so a field the engine adds is known here too.
    static var knownFields: [String: Any] {
        var every = TrainingConfig()
        every.learningRate = 0.5
        every.optimizerParameters.momentum = 0.5
        every.schedule = .inverse(k: 1)
        every.lossRecording = .postUpdateInference
        every.inputs = .raw
        every.augmentation = Augmentation(shift: 1)
        return object(encoding: every)
    }

    private static func checkNames(
        _ object: [String: Any], known: [String: Any], at prefix: String, problem: (String) -> Problem
    ) throws(Problem) {
        for key in object.keys.sorted() {
            let value = object[key]!
            guard let knownValue = known[key] else {
                let hint = ["train_size", "trainSize", "validation"].contains(key) ? "; the data is set by flags" : ""
                throw problem(
                    "unknown field '\(RecordText.printable(prefix + key))' (fields: \(known.keys.sorted().joined(separator: ", ")))\(hint)"
                )
            }
            if let nested = knownValue as? [String: Any] {
                guard let given = value as? [String: Any] else {
                    throw problem("'\(prefix + key)' must be an object, got \(kind(of: value))")
                }
                try checkNames(given, known: nested, at: prefix + key + ".", problem: problem)
            }
        }
    }

    // MARK: JSON helpers

    static func object(encoding config: TrainingConfig) -> [String: Any] {
        // The engine's own types always encode (the record writer relies on it too).
        guard let data = try? JSONEncoder().encode(config),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [:] }
        return object
    }

    private static func kind(of value: Any) -> String {
        switch value {
        case is [Any]: "an array"
        case is String: "a string"
        case is NSNull: "null"
        case is NSNumber: "a number or boolean"
        default: "a value"
        }
    }

    private static func text(_ value: Any) -> String {
        if let s = value as? String { return "'\(RecordText.printable(s))'" }
        return kind(of: value)
    }

    private static func jsonReason(_ error: any Error) -> String {
        let info = (error as NSError).userInfo
        let detail = (info[NSDebugDescriptionErrorKey] as? String) ?? error.localizedDescription
        return RecordText.printable(detail.split(whereSeparator: \.isNewline).joined(separator: " "))
    }

    /// One line for a decoding error: the field (dotted path) and what is wrong with it.
    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .dataCorrupted(let c):
            let field = path(c.codingPath)
            var detail = RecordText.printable(c.debugDescription)
            let isOptimizer = detail.contains("Cannot initialize \(OptimizerKind.self) ")
            // A plain enum's own wording ("Cannot initialize OptimizerKind from invalid String
            // value adamx") said as the other spelled values say it.
            let marker = "from invalid String value "
            if detail.hasPrefix("Cannot initialize "), let range = detail.range(of: marker) {
                detail = "unknown value '\(detail[range.upperBound...])'"
            }
            if isOptimizer {
                detail += " (one of \(OptimizerKind.allCases.map(\.rawValue).joined(separator: ", ")))"
            }
            return field.isEmpty ? detail : "\(field): \(detail)"
        case .typeMismatch(let type, let c):
            return "\(path(c.codingPath)): expected \(typeName(type))"
        case .valueNotFound(let type, let c):
            return "\(path(c.codingPath)): expected \(typeName(type)), got null"
        case .keyNotFound(let key, let c):
            return "\(path(c.codingPath + [key])): missing"
        @unknown default:
            return "cannot be read as a configuration"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is UInt64.Type: "a whole number"
        case is Float.Type, is Double.Type: "a number"
        case is [Int].Type, is [Any].Type: "an array of whole numbers"
        default: "a value of type \(type)"
        }
    }
}
