import NN

/// The ranges a record's numbers must lie in, checked where a record decodes. A record is untrusted
/// input (it may come from anyone), and everything downstream — replay's status line, the
/// TensorBoard writer's `Int(…)` conversions — does arithmetic on its numbers: counts and steps in
/// 0…`countLimit`, times finite in 0…`timeLimit`, accuracies and fractions in [0, 1], statistics
/// within Float's range, a configuration the engine would accept with at most `countLimit` steps
/// planned. The first number out of range is kept, named with its field.
struct RangeCheck {
    /// The largest step, epoch or count a record may hold: far beyond any real run (a million steps
    /// a second for eleven days), yet small enough that the sums and products replay and export
    /// form from such numbers stay far from Int's limit.
    static let countLimit = 1_000_000_000_000
    /// The most bins a histogram may have: dlboard writes 30; a screen or an export of a crafted
    /// record with millions would cost memory and time for nothing anyone can see.
    static let binLimit = 4096
    /// The largest time (seconds since the record was opened, or of training): about 300 years.
    static let timeLimit = 1e10
    static let floatRange = -Double(Float.greatestFiniteMagnitude)...Double(Float.greatestFiniteMagnitude)
    static let finiteRange = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude

    private(set) var problem: String?

    /// Throws the first problem found, as a problem of a `type` record.
    func finish(_ type: RecordType) throws(RecordProblem) {
        if let problem { throw .outOfRange(type, problem) }
    }

    mutating func version(_ v: Int) {
        guard problem == nil, v < 1 else { return }
        problem = "\"version\" is \(v), not a record format version"
    }

    /// A step, epoch, run id or count.
    mutating func count<K: CodingKey>(_ key: K, _ v: Int?) {
        guard problem == nil, let v, !(0...Self.countLimit).contains(v) else { return }
        problem = "\"\(key.stringValue)\" is \(v), outside 0…\(Self.countLimit)"
    }

    /// A list's length.
    mutating func length<K: CodingKey>(_ key: K, _ n: Int, atMost limit: Int) {
        guard problem == nil, n > limit else { return }
        problem = "\"\(key.stringValue)\" has \(n) entries, more than \(limit)"
    }

    /// Counts of a list (a histogram's bins).
    mutating func counts<K: CodingKey>(_ key: K, _ values: [Int]) {
        if problem == nil, values.count > Self.binLimit {
            problem = "\"\(key.stringValue)\" has \(values.count) bins, more than \(Self.binLimit)"
        }
        guard problem == nil, let v = values.first(where: { !(0...Self.countLimit).contains($0) }) else { return }
        problem = "a \"\(key.stringValue)\" count is \(v), outside 0…\(Self.countLimit)"
    }

    /// Seconds.
    mutating func time<K: CodingKey>(_ key: K, _ v: Double?) { number(key, v, in: 0...Self.timeLimit) }

    /// An accuracy or fraction.
    mutating func fraction<K: CodingKey>(_ key: K, _ v: Double?) { number(key, v, in: 0...1) }

    mutating func number<K: CodingKey>(_ key: K, _ v: Double?, in range: ClosedRange<Double>) {
        // `contains` is false for NaN too.
        guard problem == nil, let v, !range.contains(v) else { return }
        problem =
            "\"\(key.stringValue)\" is \(Self.text(v)), outside \(Self.text(range.lowerBound))…\(Self.text(range.upperBound))"
    }

    /// A configuration the engine would accept, of a size whose step target fits the limit.
    mutating func configuration(_ c: TrainingConfig, trainSize: Int) {
        guard problem == nil else { return }
        do { try c.validate() } catch {
            problem = "the configuration is invalid (\(error.message))"
            return
        }
        let limit = Self.countLimit
        let sizes: [(String, Int)] =
            [
                ("batchSize", c.batchSize), ("epochs", c.epochs), ("inputSize", c.network.inputSize),
                ("outputSize", c.network.outputSize),
            ] + c.network.hidden.map { ("hidden", $0) }
        for (name, v) in sizes where v > limit {
            problem = "the configuration's \"\(name)\" is \(v), more than \(limit)"
            return
        }
        let perEpoch = Swift.max(1, trainSize / c.batchSize)
        let (planned, overflow) = c.epochs.multipliedReportingOverflow(by: perEpoch)
        if overflow || planned > limit {
            problem = "the configuration plans \(c.epochs) epochs of \(perEpoch) steps, more than \(limit) steps"
        }
    }

    /// 0, 1, 10000000000 rather than 0.0, 1.0, 1e+10; others as Swift prints them.
    static func text(_ v: Double) -> String {
        v.isFinite && v == v.rounded() && Swift.abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
    }
}
