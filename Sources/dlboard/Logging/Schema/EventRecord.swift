/// A user switch, fork, restart or divergence: the step before which it took effect, its kind and
/// what changed from → to (in the flags' own terms, from which a replay rebuilds the run's
/// configuration), and the marker label the charts show (`what`).
struct EventRecord: RecordLine, Equatable {
    static let type = RecordType.event

    var run: Int?
    /// Seconds since the record was opened.
    var t: Double
    var event: SessionOutput.Event

    enum CodingKeys: String, CodingKey {
        case type, run, step, t, kind, from, to
        case label = "what"
    }

    init(run: Int? = nil, t: Double, event: SessionOutput.Event) {
        self.run = run
        self.t = t
        self.event = event
    }

    /// Required: step and kind. A kind this dlboard does not know is `RecordProblem.unknownValue`.
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        run = try c.decodeIfPresent(Int.self, forKey: .run)
        t = try c.decodeIfPresent(Double.self, forKey: .t) ?? 0
        let step = try c.decode(Int.self, forKey: .step)
        let kindName = try c.decode(String.self, forKey: .kind)
        let from = try c.decodeIfPresent(String.self, forKey: .from)
        let to = try c.decodeIfPresent(String.self, forKey: .to)
        let label = try c.decodeIfPresent(String.self, forKey: .label) ?? ""
        var check = RangeCheck()
        check.count(CodingKeys.run, run)
        check.count(CodingKeys.step, step)
        check.time(CodingKeys.t, t)
        try check.finish(Self.type)
        guard let kind = EventKind(rawValue: kindName) else { throw RecordProblem.unknownValue("event kind") }
        event = SessionOutput.Event(step: step, label: label, kind: kind, from: from, to: to)
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.type.rawValue, forKey: .type)
        try c.encodeIfPresent(run, forKey: .run)
        try c.encode(event.step, forKey: .step)
        try c.encode(t, forKey: .t)
        try c.encode(event.kind, forKey: .kind)
        try c.encode(event.from, forKey: .from)
        try c.encode(event.to, forKey: .to)
        try c.encode(event.label, forKey: .label)
    }
}
