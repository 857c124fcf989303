/// One knob's value in one trial of a search.
public enum SearchValue: Sendable, Hashable {
    case number(Double)
    case integer(Int)
    case choice(String)

    /// As a number, for a scatter's axis: a choice is nil.
    public var number: Double? {
        switch self {
        case .number(let v): v
        case .integer(let v): Double(v)
        case .choice: nil
        }
    }
}
