/// What the output layer's softmax is scored with. Written as its command-line spelling.
///
/// - `crossEntropy` (the book's): E = −(1/N) Σ_n log(y_n,t + 1e-7); with the softmax,
///   ∂E/∂z = (y − t)/N.
/// - `meanSquaredError` (the book's chapter-4 `mean_squared_error`, on the softmax outputs against
///   the one-hot labels): E = (1/N) Σ_n ½ Σ_k (y_nk − t_nk)². Through the softmax,
///   ∂E/∂z_nj = y_nj (g_nj − Σ_k g_nk y_nk) with g = (y − t)/N: the factor y(1 − y) makes it learn
///   slowly where the output is confidently wrong — why classifiers use cross-entropy.
public enum Loss: String, Sendable, CaseIterable, Codable {
    case crossEntropy = "cross-entropy"
    case meanSquaredError = "mse"

    /// Parses `cross-entropy` (or `ce`) and `mse`, any case.
    public init?(argument: String) {
        switch argument.lowercased() {
        case "cross-entropy", "ce", "crossentropy": self = .crossEntropy
        case "mse": self = .meanSquaredError
        default: return nil
        }
    }

    public var displayName: String {
        switch self {
        case .crossEntropy: "cross-entropy"
        case .meanSquaredError: "MSE"
        }
    }

    /// The other loss (two kinds: the dashboard's key switches between them).
    public func cycled(by: Int) -> Loss {
        let all = Self.allCases
        let i = all.firstIndex(of: self) ?? 0
        let n = all.count
        return all[((i + by) % n + n) % n]
    }
}
