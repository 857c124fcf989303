import Foundation

/// How one knob of a search is drawn, in the scale the course samples it on: a rate as 10^r with r
/// uniform (so 1e-4…1e-3 gets as many trials as 1e-1…1), a momentum as β = 1 − 10^r (so 0.9…0.99
/// and 0.99…0.999 get as many), a count as a whole number, a kind as one of a list.
public enum SearchDimension: Sendable, Equatable {
    /// 10^r, r ~ U(low, high): `log:-4,0`.
    case logUniform(low: Double, high: Double)
    /// 1 − 10^r, r ~ U(low, high): `one-minus-log:-3,-1`.
    case oneMinusLog(low: Double, high: Double)
    /// U(low, high): `uniform:0,0.5`.
    case uniform(low: Double, high: Double)
    /// A whole number in low…high, both ends included: `int:2,4`.
    case integer(low: Int, high: Int)
    /// One of the listed spellings, each as likely: `choice:relu,tanh`.
    case choice([String])

    /// Parses `log:A,B`, `one-minus-log:A,B`, `uniform:A,B`, `int:A,B` or `choice:X,Y,…`; errors
    /// quote `entry` (the whole `knob=…` word) when given.
    public init(spec: String, entry: String? = nil) throws(SearchError) {
        let quoted = entry ?? spec
        guard let colon = spec.firstIndex(of: ":") else {
            throw SearchError("'\(quoted)' needs a scale and its bounds, e.g. log:-4,0 or int:2,4")
        }
        let scale = spec[..<colon].lowercased()
        let parts = spec[spec.index(after: colon)...].split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        func bounds() throws(SearchError) -> (Double, Double) {
            guard parts.count == 2, let a = Double(parts[0]), let b = Double(parts[1]), a.isFinite, b.isFinite
            else { throw SearchError("'\(quoted)': \(scale) needs two numbers low,high") }
            guard a < b else {
                throw SearchError("'\(quoted)': low must be below high, got \(parts[0]) and \(parts[1])")
            }
            return (a, b)
        }
        switch scale {
        case "log", "one-minus-log":
            let (a, b) = try bounds()
            // Exponents, not values: 10^±30 covers every rate a float can train with.
            guard a >= -30, b <= 30 else {
                throw SearchError("'\(quoted)': exponents must be within -30…30, got \(parts[0]),\(parts[1])")
            }
            if scale == "log" {
                self = .logUniform(low: a, high: b)
            } else {
                guard b < 0 else {
                    throw SearchError("'\(quoted)': 1 − 10^r is below 1 only for r < 0, got high \(parts[1])")
                }
                self = .oneMinusLog(low: a, high: b)
            }
        case "uniform":
            let (a, b) = try bounds()
            self = .uniform(low: a, high: b)
        case "int":
            guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]) else {
                throw SearchError("'\(quoted)': int needs two whole numbers low,high")
            }
            guard a <= b else { throw SearchError("'\(quoted)': low must not be above high, got \(a) and \(b)") }
            // Whole-number knobs are counts (layers, units, a batch): a billion is past all of them,
            // and keeps every sum and grid step far from overflow.
            guard abs(a) <= 1_000_000_000, abs(b) <= 1_000_000_000 else {
                throw SearchError("'\(quoted)': int bounds must be within ±1000000000, got \(a) and \(b)")
            }
            self = .integer(low: a, high: b)
        case "choice":
            guard !parts.contains(where: \.isEmpty) else {
                throw SearchError("'\(quoted)': choice needs a comma-separated list without empty entries")
            }
            self = .choice(parts)
        default:
            throw SearchError("'\(quoted)': unknown scale '\(scale)' (log, one-minus-log, uniform, int, choice)")
        }
    }

    /// One draw.
    public func sample(using g: inout some RandomNumberGenerator) -> SearchValue {
        switch self {
        case .logUniform(let a, let b): .number(pow(10, Double.random(in: a..<b, using: &g)))
        case .oneMinusLog(let a, let b): .number(1 - pow(10, Double.random(in: a..<b, using: &g)))
        case .uniform(let a, let b): .number(Double.random(in: a..<b, using: &g))
        case .integer(let a, let b): .integer(Int.random(in: a...b, using: &g))
        case .choice(let options): .choice(options[Int.random(in: 0..<options.count, using: &g)])
        }
    }

    /// `count` values spread evenly in the dimension's own scale, ends included (a grid's axis):
    /// exponents for the log scales, whole numbers without repeats for `int`, every option of a choice.
    public func grid(_ count: Int) -> [SearchValue] {
        let n = max(1, count)
        func spread(_ a: Double, _ b: Double) -> [Double] {
            n == 1 ? [(a + b) / 2] : (0..<n).map { a + (b - a) * Double($0) / Double(n - 1) }
        }
        switch self {
        case .logUniform(let a, let b): return spread(a, b).map { .number(pow(10, $0)) }
        case .oneMinusLog(let a, let b): return spread(a, b).map { .number(1 - pow(10, $0)) }
        case .uniform(let a, let b): return spread(a, b).map { .number($0) }
        case .integer(let a, let b):
            var seen = Set<Int>()
            return spread(Double(a), Double(b)).map { Int($0.rounded()) }.filter { seen.insert($0).inserted }
                .map { .integer($0) }
        case .choice(let options): return options.map { .choice($0) }
        }
    }

    /// The spelling `init(spec:)` reads.
    public var spec: String {
        func g(_ v: Double) -> String { String(format: "%g", v) }
        switch self {
        case .logUniform(let a, let b): return "log:\(g(a)),\(g(b))"
        case .oneMinusLog(let a, let b): return "one-minus-log:\(g(a)),\(g(b))"
        case .uniform(let a, let b): return "uniform:\(g(a)),\(g(b))"
        case .integer(let a, let b): return "int:\(a),\(b)"
        case .choice(let options): return "choice:" + options.joined(separator: ",")
        }
    }
}
