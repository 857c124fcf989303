/// How initial weights are drawn: `W = std · N(0, 1)`, biases 0 — as the book's `__init_weight`.
///
/// Fan-in `n` is the size of the layer's input. `xavier` is the book's fan-in-only form √(1/n)
/// (not Glorot's √(2/(n_in+n_out))); `he` is √(2/n). A fixed `std` applies to every layer.
public enum Initializer: Sendable, Equatable, Hashable {
    case std(Float)
    case xavier
    case he

    /// The standard deviation for a layer with `fanIn` inputs.
    public func standardDeviation(fanIn: Int) -> Float {
        switch self {
        case .std(let s): s
        case .xavier: (1 / Float(fanIn)).squareRoot()
        case .he: (2 / Float(fanIn)).squareRoot()
        }
    }

    /// Parses `he`/`relu`, `xavier`/`sigmoid` (the book's aliases) or a positive number.
    public init?(argument: String) {
        switch argument.lowercased() {
        case "he", "relu": self = .he
        case "xavier", "sigmoid": self = .xavier
        default:
            guard let v = Float(argument), v.isFinite, v > 0 else { return nil }
            self = .std(v)
        }
    }

    /// `he`, `xavier` or the number, as it is written on the command line.
    public var argument: String {
        switch self {
        case .he: "he"
        case .xavier: "xavier"
        case .std(let s): "\(s)"
        }
    }

    /// Display name for status lines: `He`, `Xavier`, `std 0.01`.
    public var displayName: String {
        switch self {
        case .he: "He"
        case .xavier: "Xavier"
        case .std(let s): "std \(s)"
        }
    }

    /// Fills `w` with `std · N(0,1)` draws, row-major.
    public func fill(_ w: Matrix, generator: inout SeededGenerator) {
        let s = standardDeviation(fanIn: w.rows)
        let p = w.pointer
        for i in 0..<w.count { p[i] = s * generator.nextNormal() }
    }
}

/// Encoded as its command-line spelling (`"he"`, `"xavier"`, `"0.01"`), which is what logs show.
extension Initializer: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let v = Initializer(argument: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "unknown initializer '\(text)'"))
        }
        self = v
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(argument)
    }
}
