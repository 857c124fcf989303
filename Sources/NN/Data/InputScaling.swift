/// How a pixel byte becomes a network input. Written as its command-line spelling.
///
/// - `unit` (the book's `normalize=True`): byte / 255, in [0, 1].
/// - `raw`: the byte itself, 0…255. The first layer's pre-activations are 255 times larger, which
///   makes the loss surface as elongated as the E1 bowl's zig-zag.
/// - `standardize`: (byte/255 − μ_j) / σ_j for each pixel j, μ_j and σ_j from the training split
///   only (see `InputTransform`), applied to training, validation and test images alike.
public enum InputScaling: String, Sendable, Codable, CaseIterable {
    case unit
    case raw
    case standardize

    public var displayName: String {
        switch self {
        case .unit: "inputs /255"
        case .raw: "inputs 0…255"
        case .standardize: "inputs standardized"
        }
    }
}
