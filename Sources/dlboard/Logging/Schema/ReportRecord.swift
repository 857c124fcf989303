/// One line of an experiment's report (a preset without training, run headless), as printed.
struct ReportRecord: RecordLine, Equatable {
    static let type = RecordType.report

    var line: String

    enum CodingKeys: String, CodingKey {
        case type, line
    }

    init(line: String) { self.line = line }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        line = try c.decode(String.self, forKey: .line)
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.type.rawValue, forKey: .type)
        try c.encode(line, forKey: .line)
    }
}
