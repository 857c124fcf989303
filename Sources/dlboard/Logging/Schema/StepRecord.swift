/// One training step: its loss (null in the file when it was not finite — the step that diverged).
/// Written for every `--log-every`-th step and for every step whose loss is not finite.
struct StepRecord: RecordLine, Equatable {
    static let type = RecordType.step

    var run: Int?
    var step: Int
    var epoch: Int
    /// Seconds since the record was opened.
    var t: Double
    /// NaN where the file says null.
    var loss: Double

    enum CodingKeys: String, CodingKey {
        case type, run, step, epoch, t, loss
    }

    init(run: Int? = nil, step: Int, epoch: Int, t: Double, loss: Double) {
        self.run = run
        self.step = step
        self.epoch = epoch
        self.t = t
        self.loss = loss
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        run = try c.decodeIfPresent(Int.self, forKey: .run)
        step = try c.decode(Int.self, forKey: .step)
        epoch = try c.decodeIfPresent(Int.self, forKey: .epoch) ?? 0
        t = try c.decodeIfPresent(Double.self, forKey: .t) ?? 0
        let loss = try c.decodeIfPresent(Double.self, forKey: .loss)
        var check = RangeCheck()
        check.count(CodingKeys.run, run)
        check.count(CodingKeys.step, step)
        check.count(CodingKeys.epoch, epoch)
        check.time(CodingKeys.t, t)
        check.number(CodingKeys.loss, loss, in: RangeCheck.finiteRange)
        try check.finish(Self.type)
        self.loss = loss ?? .nan
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.type.rawValue, forKey: .type)
        try c.encodeIfPresent(run, forKey: .run)
        try c.encode(step, forKey: .step)
        try c.encode(epoch, forKey: .epoch)
        try c.encode(t, forKey: .t)
        try c.encode(loss, forKey: .loss)
    }
}
