/// What normalizes each hidden Affine layer's output before its activation: nothing (the book's
/// default), BatchNorm (per feature over the batch) or LayerNorm (per sample over the features).
/// Written as its command-line spelling (`none`, `batch`, `layer`).
public enum Normalization: String, Sendable, CaseIterable, Codable {
    case none
    case batch
    case layer

    /// Parses `none`, `batch`, `layer` (any case) and the short names `bn`, `ln`.
    public init?(argument: String) {
        switch argument.lowercased() {
        case "none", "off": self = .none
        case "batch", "bn": self = .batch
        case "layer", "ln": self = .layer
        default: return nil
        }
    }

    /// The layer's name (`none` for none).
    public var displayName: String {
        switch self {
        case .none: "none"
        case .batch: "BatchNorm"
        case .layer: "LayerNorm"
        }
    }

    /// The next of `allCases` (wrapping): none → BatchNorm → LayerNorm → none, the dashboard's cycle.
    public var next: Normalization {
        let all = Self.allCases
        return all[((all.firstIndex(of: self) ?? 0) + 1) % all.count]
    }
}
