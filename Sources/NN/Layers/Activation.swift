/// The hidden-layer non-linearities of the book.
public enum Activation: String, Sendable, CaseIterable, Codable {
    case relu
    case sigmoid
    case tanh

    /// Display name as the book writes it.
    public var displayName: String {
        switch self {
        case .relu: "ReLU"
        case .sigmoid: "Sigmoid"
        case .tanh: "Tanh"
        }
    }

    /// A fresh layer of this kind; `index` is the 1-based hidden-layer position used in its name.
    public func makeLayer(index: Int) -> any ActivationLayer {
        switch self {
        case .relu: ReLU(index: index)
        case .sigmoid: Sigmoid(index: index)
        case .tanh: Tanh(index: index)
        }
    }

    /// The histogram range that shows this activation's whole output (ReLU's is open-ended; [0, 1]
    /// is the book's E3 range, and values beyond it are counted as overflow, not dropped).
    public var histogramRange: ClosedRange<Float> {
        switch self {
        case .relu, .sigmoid: 0...1
        case .tanh: -1...1
        }
    }
}

/// A hidden-layer activation. It keeps its last output, which is what the dashboard's
/// per-layer histograms show (the book's E3 experiment).
public protocol ActivationLayer: Layer {
    var activation: Activation { get }
    /// Output of the last forward pass.
    var output: Matrix { get }
}
