/// The end of a run: its steps (and epochs, when known), wall seconds, last accuracies, and why it
/// stopped (nil: it reached its target or the user quit).
struct SummaryRecord: RecordLine, Equatable {
    static let type = RecordType.summary

    var run: Int?
    /// Seconds since the record was opened.
    var t: Double
    var steps: Int
    var epochs: Int?
    var seconds: Double
    var testAccuracy: Double?
    var validationAccuracy: Double?
    var stopped: StopReason?

    enum CodingKeys: String, CodingKey {
        case type, run, t, steps, epochs, seconds
        case testAccuracy = "test_acc"
        case validationAccuracy = "val_acc"
        case stopped
    }

    init(
        run: Int? = nil, t: Double, steps: Int, epochs: Int? = nil, seconds: Double, testAccuracy: Double?,
        validationAccuracy: Double?, stopped: StopReason?
    ) {
        self.run = run
        self.t = t
        self.steps = steps
        self.epochs = epochs
        self.seconds = seconds
        self.testAccuracy = testAccuracy
        self.validationAccuracy = validationAccuracy
        self.stopped = stopped
    }

    /// Nothing is required. A stop reason this dlboard does not know reads as none (see `StopReason`).
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        run = try c.decodeIfPresent(Int.self, forKey: .run)
        t = try c.decodeIfPresent(Double.self, forKey: .t) ?? 0
        steps = try c.decodeIfPresent(Int.self, forKey: .steps) ?? 0
        epochs = try c.decodeIfPresent(Int.self, forKey: .epochs)
        seconds = try c.decodeIfPresent(Double.self, forKey: .seconds) ?? 0
        testAccuracy = try c.decodeIfPresent(Double.self, forKey: .testAccuracy)
        validationAccuracy = try c.decodeIfPresent(Double.self, forKey: .validationAccuracy)
        stopped = try c.decodeIfPresent(String.self, forKey: .stopped).flatMap(StopReason.init(rawValue:))
        var check = RangeCheck()
        check.count(CodingKeys.run, run)
        check.count(CodingKeys.steps, steps)
        check.count(CodingKeys.epochs, epochs)
        check.time(CodingKeys.t, t)
        check.time(CodingKeys.seconds, seconds)
        check.fraction(CodingKeys.testAccuracy, testAccuracy)
        check.fraction(CodingKeys.validationAccuracy, validationAccuracy)
        try check.finish(Self.type)
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.type.rawValue, forKey: .type)
        try c.encodeIfPresent(run, forKey: .run)
        try c.encode(t, forKey: .t)
        try c.encode(steps, forKey: .steps)
        try c.encodeIfPresent(epochs, forKey: .epochs)
        try c.encode(seconds, forKey: .seconds)
        try c.encode(testAccuracy, forKey: .testAccuracy)
        try c.encode(validationAccuracy, forKey: .validationAccuracy)
        try c.encode(stopped, forKey: .stopped)
    }
}
