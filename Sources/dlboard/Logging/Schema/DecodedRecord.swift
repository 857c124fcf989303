/// One line of a run record read back, as its record type: the `type` field picks the schema type,
/// which decodes (and range-checks) the rest of the line. A type or value this dlboard does not
/// know — a later version's — is `unknown`: left out, never an error.
enum DecodedRecord: Decodable {
    case config(ConfigRecord)
    case step(StepRecord)
    case eval(EvalRecord)
    case hist(HistogramRecord)
    case layer(LayerRecord)
    case event(EventRecord)
    case summary(SummaryRecord)
    case trial(TrialRecord)
    case report(ReportRecord)
    case rung(RungRecord)
    case halving(HalvingRecord)
    case exploit(ExploitRecord)
    /// What was not known (the record type, or a value such as an event kind).
    case unknown(String)

    private enum TypeKey: String, CodingKey {
        case type
    }

    /// Throws `RecordProblem.outOfRange` for a number out of range, any other error for a line that
    /// is not a record (not an object, no `type`, a required field missing or of the wrong type).
    init(from decoder: Decoder) throws {
        let name = try decoder.container(keyedBy: TypeKey.self).decode(String.self, forKey: .type)
        guard let type = RecordType(rawValue: name) else {
            self = .unknown("record type")
            return
        }
        do {
            switch type {
            case .config:
                // A config that does not decode cannot be replayed: say what is wrong with it (an
                // unknown loss, a missing field) rather than count it as a line that is no record.
                do {
                    self = .config(try ConfigRecord(from: decoder))
                } catch let error as DecodingError {
                    throw RecordProblem.outOfRange(.config, Self.describe(error))
                }
            case .step: self = .step(try StepRecord(from: decoder))
            case .eval: self = .eval(try EvalRecord(from: decoder))
            case .hist: self = .hist(try HistogramRecord(from: decoder))
            case .layer: self = .layer(try LayerRecord(from: decoder))
            case .event: self = .event(try EventRecord(from: decoder))
            case .summary: self = .summary(try SummaryRecord(from: decoder))
            case .trial: self = .trial(try TrialRecord(from: decoder))
            case .report: self = .report(try ReportRecord(from: decoder))
            case .rung: self = .rung(try RungRecord(from: decoder))
            case .halving: self = .halving(try HalvingRecord(from: decoder))
            case .exploit: self = .exploit(try ExploitRecord(from: decoder))
            }
        } catch RecordProblem.unknownValue(let what) {
            self = .unknown(what)
        }
    }

    /// A decoding error as one phrase that names the field: `network.loss: unknown value "foo"`.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let names = (keys + (last.map { [$0] } ?? [])).map { $0.intValue.map(String.init) ?? $0.stringValue }
            return names.isEmpty ? "the record" : names.joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let c): return "\(path(c.codingPath)): \(c.debugDescription)"
        case .keyNotFound(let key, let c): return "\(path(c.codingPath, key)): missing"
        case .typeMismatch(let type, let c): return "\(path(c.codingPath)): not a \(type)"
        case .valueNotFound(let type, let c): return "\(path(c.codingPath)): null, expected a \(type)"
        @unknown default: return "\(error)"
        }
    }

    /// The record as its schema type; nil when unknown.
    var record: (any RecordLine)? {
        switch self {
        case .config(let r): r
        case .step(let r): r
        case .eval(let r): r
        case .hist(let r): r
        case .layer(let r): r
        case .event(let r): r
        case .summary(let r): r
        case .trial(let r): r
        case .report(let r): r
        case .rung(let r): r
        case .halving(let r): r
        case .exploit(let r): r
        case .unknown: nil
        }
    }

    /// The record's run id (0 when it has none: a single run's records).
    var run: Int {
        switch self {
        case .config(let r): r.run ?? 0
        case .step(let r): r.run ?? 0
        case .eval(let r): r.run ?? 0
        case .hist(let r): r.run ?? 0
        case .layer(let r): r.run ?? 0
        case .event(let r): r.run ?? 0
        case .summary(let r): r.run ?? 0
        case .trial(let r): r.run
        case .exploit(let r): r.member
        case .report, .rung, .halving, .unknown: 0
        }
    }
}
