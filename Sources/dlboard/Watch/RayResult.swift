import Foundation

/// One line of a Ray Tune trial's `result.json`: a JSON object per reported result, with Ray's
/// bookkeeping (`training_iteration`, `time_total_s`, `timestamp`, `trial_id`, `date`, `pid`,
/// `hostname`, `node_ip`, `done`, …), the trial's `config` and whatever metrics the trainable
/// reported. Untrusted: every number is range-checked — a count in 0…`RangeCheck.countLimit`, an
/// accuracy in [0, 1], a rate positive, the rest finite — and what is out of range or of another
/// type is left out; a line without `training_iteration` is not a Ray result.
struct RayResult: Equatable {
    var iteration: Int
    var trialID: String?
    var done: Bool
    var learningRate: Double?
    var weightDecay: Double?
    /// The reported metrics that passed the range checks.
    var metrics: [String: Double]
    /// Metrics the trainable reported as NaN or ±Infinity (Python's json writes them bare).
    var nonFinite: Set<String>

    enum ParseError: Error { case notAResult }

    /// Ray's own fields: not metrics of the model, never ranked or plotted.
    static let bookkeeping: Set<String> = [
        "training_iteration", "time_this_iter_s", "time_total_s", "timestamp", "time_since_restore",
        "iterations_since_restore", "timesteps_total", "timesteps_since_restore", "timesteps_this_iter",
        "episodes_total", "episodes_this_iter", "pid", "done", "should_checkpoint", "num_failures",
        // What dlboard's driver reports besides the metrics: where the trial is and at what rate.
        EvalRecord.CodingKeys.epoch.stringValue, EvalRecord.CodingKeys.step.stringValue,
        EvalRecord.CodingKeys.t.stringValue, EvalRecord.CodingKeys.learningRate.stringValue,
        EvalRecord.CodingKeys.trainSeconds.stringValue, EvalRecord.CodingKeys.samplesPerSecond.stringValue,
    ]

    /// A config's keys for the learning rate and the weight decay, as search spaces name them.
    static let learningRateKeys = [TrialRecord.CodingKeys.learningRate.stringValue, "learning_rate", "learningRate"]
    static let weightDecayKeys = [TrialRecord.CodingKeys.weightDecay.stringValue, "wd", "weightDecay"]

    /// A JSON value as far as a result needs it.
    enum Value: Decodable {
        case number(Double)
        case flag(Bool)
        case text(String)
        case object([String: Value])
        case other

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                self = .other
            } else if let b = try? c.decode(Bool.self) {
                self = .flag(b)
            } else if let d = try? c.decode(Double.self) {
                self = .number(d)
            } else if let s = try? c.decode(String.self) {
                self = .text(s)
            } else if let o = try? c.decode([String: Value].self) {
                self = .object(o)
            } else {
                self = .other
            }
        }

        var number: Double? {
            if case .number(let d) = self { return d }
            return nil
        }
    }

    /// The placeholder `sanitized` puts where Python wrote NaN or Infinity: a string no metric is.
    private static let nonFiniteMark = "\u{1}nonfinite"

    init(line: Data) throws(ParseError) {
        let fields: [String: Value]
        do {
            fields = try JSONDecoder().decode([String: Value].self, from: Self.sanitized(line))
        } catch { throw .notAResult }
        guard let it = fields["training_iteration"]?.number, it == it.rounded(),
            (0...Double(RangeCheck.countLimit)).contains(it)
        else { throw .notAResult }
        iteration = Int(it)
        if case .text(let id)? = fields["trial_id"] { trialID = id }
        if case .flag(let d)? = fields["done"] { done = d } else { done = false }
        var config: [String: Value] = [:]
        if case .object(let o)? = fields["config"] { config = o }
        func positive(_ keys: [String], _ source: [String: Value], allowZero: Bool) -> Double? {
            for k in keys {
                if let v = source[k]?.number, v.isFinite, allowZero ? v >= 0 : v > 0 { return v }
            }
            return nil
        }
        learningRate = positive(Self.learningRateKeys, config, allowZero: false)
        weightDecay = positive(Self.weightDecayKeys, config, allowZero: true)
        // A trainable that reports the rate it trains at (a schedule's, or PBT's after an explore).
        if learningRate == nil { learningRate = positive(Self.learningRateKeys, fields, allowZero: false) }
        metrics = [:]
        nonFinite = []
        for (key, value) in fields where !Self.bookkeeping.contains(key) {
            if case .text(let s) = value, s == Self.nonFiniteMark {
                nonFinite.insert(key)
                continue
            }
            guard let v = value.number, v.isFinite, Swift.abs(v) <= RangeCheck.finiteRange.upperBound else { continue }
            if key.lowercased().contains("acc") && !(0...1).contains(v) { continue }
            metrics[key] = v
        }
    }

    /// The line with Python's bare NaN, Infinity and -Infinity (outside strings) as a marker string,
    /// so that the rest of the line still reads.
    static func sanitized(_ line: Data) -> Data {
        let bytes = [UInt8](line)
        let words: [[UInt8]] = [Array("-Infinity".utf8), Array("Infinity".utf8), Array("NaN".utf8)]
        guard bytes.contains(0x4E) || bytes.contains(0x49) else { return line }  // "N", "I"
        let mark = Array("\"\\u0001nonfinite\"".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var inString = false
        var escaped = false
        var i = 0
        outer: while i < bytes.count {
            let b = bytes[i]
            if inString {
                if escaped {
                    escaped = false
                } else if b == 0x5C {
                    escaped = true
                } else if b == 0x22 {
                    inString = false
                }
            } else if b == 0x22 {
                inString = true
            } else {
                for w in words where bytes[i...].starts(with: w) {
                    out += mark
                    i += w.count
                    continue outer
                }
            }
            out.append(b)
            i += 1
        }
        return Data(out)
    }
}
