import Foundation

/// A dimension's own scale: where a uniform draw lands, and where a value sits when plotted or
/// narrowed — in the exponent for the log scales (so 1e-4…1e-3 is as wide as 1e-1…1), as
/// log10(1 − β) for one-minus-log, as the value itself otherwise.
extension SearchDimension {
    /// The value a uniform draw `u` in [0, 1) stands for: the same draw gives the same value on every
    /// machine, and E9's `10^(low + u·(high − low))` for a log scale, term for term.
    public func value(atUnit u: Double) -> SearchValue {
        let u = u.isFinite ? min(max(u, 0), 1) : 0
        switch self {
        case .logUniform(let a, let b): return .number(pow(10, a + u * (b - a)))
        case .oneMinusLog(let a, let b): return .number(1 - pow(10, a + u * (b - a)))
        case .uniform(let a, let b): return .number(a + u * (b - a))
        case .integer(let a, let b):
            // u < 1 gives each of the b − a + 1 numbers an equal share; u = 1 is kept at b.
            return .integer(a + min(b - a, Int((u * Double(b - a + 1)).rounded(.down))))
        case .choice(let options):
            return .choice(options[min(options.count - 1, Int((u * Double(options.count)).rounded(.down)))])
        }
    }

    /// Whether its values can be put on an axis: every scale but a choice, and a choice whose
    /// options are all numbers (`batch=choice:32,64,128`).
    public var isNumeric: Bool {
        guard case .choice(let options) = self else { return true }
        return options.allSatisfy { Double($0)?.isFinite ?? false }
    }

    /// `value` where this scale puts it: the exponent for `log`, log10(1 − β) for `one-minus-log`,
    /// the number itself for the others (a choice's option read as a number); nil when it has none.
    public func coordinate(of value: SearchValue) -> Double? {
        let number: Double?
        switch value {
        case .number(let v): number = v
        case .integer(let i): number = Double(i)
        case .choice(let s): number = Double(s)
        }
        guard let v = number, v.isFinite else { return nil }
        switch self {
        case .logUniform:
            guard v > 0 else { return nil }
            return log10(v)
        case .oneMinusLog:
            guard v < 1 else { return nil }
            return log10(1 - v)
        case .uniform, .integer, .choice: return v
        }
    }

    /// The dimension's bounds in its own scale (`coordinate`), nil for a choice of words.
    public var coordinateBounds: ClosedRange<Double>? {
        switch self {
        case .logUniform(let a, let b), .oneMinusLog(let a, let b), .uniform(let a, let b): return a...b
        case .integer(let a, let b): return Double(a)...Double(b)
        case .choice(let options):
            let numbers = options.compactMap { Double($0) }.filter(\.isFinite)
            guard isNumeric, let lo = numbers.min(), let hi = numbers.max() else { return nil }
            return lo...hi
        }
    }
}
