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
            case .config: self = .config(try ConfigRecord(from: decoder))
            case .step: self = .step(try StepRecord(from: decoder))
            case .eval: self = .eval(try EvalRecord(from: decoder))
            case .hist: self = .hist(try HistogramRecord(from: decoder))
            case .layer: self = .layer(try LayerRecord(from: decoder))
            case .event: self = .event(try EventRecord(from: decoder))
            case .summary: self = .summary(try SummaryRecord(from: decoder))
            case .trial: self = .trial(try TrialRecord(from: decoder))
            case .report: self = .report(try ReportRecord(from: decoder))
            }
        } catch RecordProblem.unknownValue(let what) {
            self = .unknown(what)
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
        case .report, .unknown: 0
        }
    }
}
