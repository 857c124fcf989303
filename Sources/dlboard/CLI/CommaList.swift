import ArgumentParser
import NN

/// A comma-separated list of values, e.g. `--optimizers sgd,adam` or `--dropout 0,0.2`.
struct CommaList<Element: ExpressibleByArgument & Sendable>: ExpressibleByArgument, Sendable {
    let values: [Element]
    init(_ values: [Element]) { self.values = values }
    init?(argument: String) {
        var values: [Element] = []
        for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard let v = Element(argument: part.trimmingCharacters(in: .whitespaces)) else { return nil }
            values.append(v)
        }
        guard !values.isEmpty else { return nil }
        self.values = values
    }

    /// As it is typed: `-6,-2`, `sgd,adam`, `1,2` (not the struct's Swift description).
    var defaultValueDescription: String {
        values.map { v in
            switch v {
            case let d as Double: Self.number(d)
            case let f as Float: Self.number(Double(f))
            default: v.defaultValueDescription
            }
        }.joined(separator: ",")
    }

    /// `-6` rather than `-6.0`; Swift's own description otherwise (locale-independent).
    private static func number(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : "\(d)"
    }
}
