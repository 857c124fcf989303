/// A random-search trial's sampled hyperparameters, written after its `config` header (which has
/// the run id `run`); its evaluations are `eval` records of that run.
struct TrialRecord: RecordLine, Equatable {
    static let type = RecordType.trial

    var run: Int
    var round: Int
    /// The trial's Float values, widened exactly; NaN where the file says null.
    var learningRate: Double
    var weightDecay: Double

    enum CodingKeys: String, CodingKey {
        case type, run, round
        case learningRate = "lr"
        case weightDecay = "weight_decay"
    }

    init(run: Int, round: Int, learningRate: Double, weightDecay: Double) {
        self.run = run
        self.round = round
        self.learningRate = learningRate
        self.weightDecay = weightDecay
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        run = try c.decode(Int.self, forKey: .run)
        round = try c.decode(Int.self, forKey: .round)
        learningRate = try c.decodeIfPresent(Double.self, forKey: .learningRate) ?? .nan
        weightDecay = try c.decodeIfPresent(Double.self, forKey: .weightDecay) ?? .nan
        var check = RangeCheck()
        check.count(CodingKeys.run, run)
        check.count(CodingKeys.round, round)
        try check.finish(Self.type)
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.type.rawValue, forKey: .type)
        try c.encode(run, forKey: .run)
        try c.encode(round, forKey: .round)
        try c.encode(learningRate, forKey: .learningRate)
        try c.encode(weightDecay, forKey: .weightDecay)
    }
}
