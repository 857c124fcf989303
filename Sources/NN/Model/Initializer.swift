/// How initial weights are drawn: `W = std · N(0, 1)`, biases 0 — as the book's `__init_weight`.
///
/// Fan-in `n` is the size of the layer's input. `xavier` is the book's fan-in-only form √(1/n)
/// (not Glorot's √(2/(n_in+n_out))); `he` is √(2/n). A fixed `std` applies to every layer.
/// `constant(C)` sets every weight to `C` (`constant(0)` is "all zeros"): the book's symmetry trap,
/// where every unit of a layer gets the same gradient and the units stay identical.
public enum Initializer: Sendable, Equatable, Hashable {
    case std(Float)
    case xavier
    case he
    /// Every weight `C`; biases 0 as always.
    case constant(Float)

    /// All weights zero.
    public static let zeros = Initializer.constant(0)

    /// The standard deviation for a layer with `fanIn` inputs.
    public func standardDeviation(fanIn: Int) -> Float {
        switch self {
        case .std(let s): s
        case .xavier: (1 / Float(fanIn)).squareRoot()
        case .he: (2 / Float(fanIn)).squareRoot()
        case .constant: 0
        }
    }

    /// Parses `he`/`relu`, `xavier`/`sigmoid` (the book's aliases), `0` or `zeros` (all zeros),
    /// `constant:C` (any number C; `NetworkConfig.validate()` refuses one that is not finite, naming
    /// the setting) or a positive number (a standard deviation).
    public init?(argument: String) {
        let lower = argument.lowercased()
        switch lower {
        case "he", "relu": self = .he
        case "xavier", "sigmoid": self = .xavier
        case "zeros", "zero": self = .zeros
        default:
            if lower.hasPrefix("constant:") {
                guard let c = Float(lower.dropFirst("constant:".count)) else { return nil }
                self = .constant(c)
                return
            }
            guard let v = Float(argument) else { return nil }
            if v == 0 {
                self = .zeros
                return
            }
            guard v.isFinite, v > 0 else { return nil }
            self = .std(v)
        }
    }

    /// `he`, `xavier` or the number, as it is written on the command line.
    public var argument: String {
        switch self {
        case .he: "he"
        case .xavier: "xavier"
        case .std(let s): "\(s)"
        case .constant(let c): c == 0 ? "0" : "constant:\(c)"
        }
    }

    /// Display name for status lines: `He`, `Xavier`, `std 0.01`, `zeros`, `constant 0.5`.
    public var displayName: String {
        switch self {
        case .he: "He"
        case .xavier: "Xavier"
        case .std(let s): "std \(s)"
        case .constant(let c): c == 0 ? "zeros" : "constant \(c)"
        }
    }

    /// Fills `w` with `std · N(0,1)` draws, row-major, or with the constant (drawing nothing).
    public func fill(_ w: Matrix, generator: inout SeededGenerator) {
        if case .constant(let c) = self {
            w.fill(c)
            return
        }
        let s = standardDeviation(fanIn: w.rows)
        let p = w.pointer
        for i in 0..<w.count { p[i] = s * generator.nextNormal() }
    }
}

/// Encoded as its command-line spelling (`"he"`, `"xavier"`, `"0.01"`, `"0"`, `"constant:0.5"`),
/// which is what logs show.
extension Initializer: ArgumentSpelled {
    public static var spelledKind: String { "initializer" }
}
