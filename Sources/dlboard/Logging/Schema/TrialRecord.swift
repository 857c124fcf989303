import NN

/// A search trial's sampled hyperparameters, written after its `config` header (which has the run
/// id `run`); its evaluations are `eval` records of that run. `values` holds every knob the search
/// space drew, by the space's name for it (`{"beta": 0.95, "layers": 3, "activation": "tanh"}`);
/// lr and weight decay are also always given on their own, as E9's records had them.
struct TrialRecord: RecordLine, Equatable {
    static let type = RecordType.trial

    var run: Int
    var round: Int
    /// The trial's Float values, widened exactly; NaN where the file says null.
    var learningRate: Double
    var weightDecay: Double
    /// The drawn value of each knob of the space (empty in records from before spaces).
    var values: [SearchKnob: SearchValue]

    enum CodingKeys: String, CodingKey {
        case type, run, round, values
        case learningRate = "lr"
        case weightDecay = "weight_decay"
    }

    /// A knob's name as a JSON key.
    struct KnobKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(
        run: Int, round: Int, learningRate: Double, weightDecay: Double, values: [SearchKnob: SearchValue] = [:]
    ) {
        self.run = run
        self.round = round
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.values = values
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
        values = [:]
        if c.contains(.values) {
            let v = try c.nestedContainer(keyedBy: KnobKey.self, forKey: .values)
            // Names this version does not know are left out, as unknown fields are elsewhere.
            for key in v.allKeys {
                guard let knob = SearchKnob(rawValue: key.stringValue) else { continue }
                if let text = try? v.decode(String.self, forKey: key) {
                    values[knob] = .choice(text)
                    continue
                }
                let number = try v.decode(Double.self, forKey: key)
                check.number(key, number, in: RangeCheck.finiteRange)
                // The count knobs' values are whole numbers within the space's own ±10⁹.
                if [.layers, .units, .batchSize].contains(knob), number == number.rounded(), abs(number) <= 1e9 {
                    values[knob] = .integer(Int(number))
                } else {
                    values[knob] = .number(number)
                }
            }
        }
        try check.finish(Self.type)
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.type.rawValue, forKey: .type)
        try c.encode(run, forKey: .run)
        try c.encode(round, forKey: .round)
        try c.encode(learningRate, forKey: .learningRate)
        try c.encode(weightDecay, forKey: .weightDecay)
        guard !values.isEmpty else { return }
        var v = c.nestedContainer(keyedBy: KnobKey.self, forKey: .values)
        // In the knobs' declared order, so the same trial is the same line.
        for knob in SearchKnob.allCases {
            guard let value = values[knob] else { continue }
            let key = KnobKey(stringValue: knob.rawValue)
            switch value {
            case .number(let d): try v.encode(d, forKey: key)
            case .integer(let i): try v.encode(i, forKey: key)
            case .choice(let s): try v.encode(s, forKey: key)
            }
        }
    }
}
