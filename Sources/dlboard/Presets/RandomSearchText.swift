import Foundation
import NN

/// How the search's lines name a knob, its range and a trial's value of it: the leaderboards, the
/// round lines, the scatter's axes and the trials' titles.
extension SearchKnob {
    /// A column's or an axis's name: E9's "weight decay", the space's names otherwise.
    var label: String { self == .weightDecay ? "weight decay" : rawValue }
}

extension SearchValue {
    /// As a line names it: `0.001`, `3`, `adam`.
    var text: String {
        switch self {
        case .number(let d): String(format: "%g", d)
        case .integer(let i): "\(i)"
        case .choice(let s): s
        }
    }
}

extension SearchSpace.Axis {
    /// The range a round draws from, as E9's lines give it: `lr 10^[-6.00, -2.00]`,
    /// `beta 1−10^[-3.00, -1.00]`, `dropout [0.000, 0.500]`, `layers 2…4`, `optimizer {sgd, adam}`.
    var rangeText: String {
        let name = knob.label
        switch dimension {
        case .logUniform(let a, let b): return String(format: "%@ 10^[%.2f, %.2f]", name, a, b)
        case .oneMinusLog(let a, let b): return String(format: "%@ 1−10^[%.2f, %.2f]", name, a, b)
        case .uniform(let a, let b): return String(format: "%@ [%.3f, %.3f]", name, a, b)
        case .integer(let a, let b): return "\(name) \(a)…\(b)"
        case .choice(let options): return "\(name) {\(options.joined(separator: ", "))}"
        }
    }

    /// A trial's value in a table cell: rates in scientific notation (`precision` digits), β with
    /// four decimals (0.9990), a uniform value with three, whole numbers and choices as they are;
    /// `–` for a value the trial does not have (β of an SGD trial).
    func cell(_ value: SearchValue?, precision: Int = 3) -> String {
        guard let value else { return "–" }
        switch (dimension, value) {
        case (.logUniform, .number(let d)): return String(format: "%.\(precision)e", d)
        case (.oneMinusLog, .number(let d)): return String(format: "%.4f", d)
        case (.uniform, .number(let d)): return String(format: "%.3f", d)
        default: return value.text
        }
    }

    /// How wide `cell` is at most, so a column's values line up.
    func cellWidth(precision: Int = 3) -> Int {
        switch dimension {
        case .logUniform: return precision + 6
        case .oneMinusLog: return 6
        case .uniform(let a, let b): return max(cell(.number(a)).count, cell(.number(b)).count)
        case .integer(let a, let b): return max("\(a)".count, "\(b)".count)
        case .choice(let options): return options.map(\.count).max() ?? 1
        }
    }
}

extension SearchSpace {
    /// A round's ranges: `lr 10^[-6.00, -2.00], weight decay 10^[-8.00, -4.00]`.
    var rangesText: String { axes.map(\.rangeText).joined(separator: ", ") }

    /// A trial's values in short: `lr 7.16e-03 wd 6.45e-06`, `lr 1.2e-02 beta 0.9876 layers 3`.
    func valuesText(_ point: [SearchKnob: SearchValue]) -> String {
        axes.compactMap { a in
            point[a.knob].map { v in "\(a.knob.rawValue) \(a.cell(v, precision: 2))" }
        }.joined(separator: " ")
    }

    /// The knobs a scatter can put on an axis, in the space's order.
    var numericAxes: [Axis] { axes.filter(\.dimension.isNumeric) }
}
