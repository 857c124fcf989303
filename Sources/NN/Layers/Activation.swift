/// The hidden-layer non-linearities: the book's ReLU, sigmoid and tanh, and Leaky ReLU, SoftPlus and
/// the identity beside them.
///
/// Leaky ReLU's slope is part of the value (`leakyReLU(slope:)`), not a separate setting: the
/// activation alone then says what a layer computes, wherever it travels — a flag, a `compare` list, a
/// switch's event, a histogram record — and no other field can disagree with it. Written as its
/// command-line spelling (`relu`, `leaky-relu`, `leaky-relu:0.1`, …); the book's three spell as they
/// always did, so records of older runs read unchanged.
public enum Activation: Sendable, Hashable {
    case relu
    case sigmoid
    case tanh
    /// `x` for x > 0, `slope · x` otherwise; `NetworkConfig.validate()` wants 0 < slope < 1.
    case leakyReLU(slope: Float)
    case softplus
    case identity

    /// The slope `leaky-relu` means when none is given (the common choice of the sources).
    public static let defaultLeakySlope: Float = 0.01

    /// Every kind once, in the order the dashboard's `a` key cycles them (Leaky ReLU at its default
    /// slope).
    public static let allCases: [Activation] = [
        .relu, .sigmoid, .tanh, .leakyReLU(slope: defaultLeakySlope), .softplus, .identity,
    ]

    /// The kind's keyword, without a slope: `relu`, `sigmoid`, `tanh`, `leaky-relu`, `softplus`, `identity`.
    public var keyword: String {
        switch self {
        case .relu: "relu"
        case .sigmoid: "sigmoid"
        case .tanh: "tanh"
        case .leakyReLU: "leaky-relu"
        case .softplus: "softplus"
        case .identity: "identity"
        }
    }

    /// Parses a keyword (any case), `leaky-relu:A` with a number A. The slope's range is checked by
    /// `NetworkConfig.validate()`, which names the setting; here only a non-number is refused.
    public init?(argument: String) {
        let lower = argument.lowercased()
        if lower.hasPrefix("leaky-relu:") {
            guard let a = Float(lower.dropFirst("leaky-relu:".count)) else { return nil }
            self = .leakyReLU(slope: a)
            return
        }
        guard let kind = Self.allCases.first(where: { $0.keyword == lower }) else { return nil }
        self = kind
    }

    /// As written on the command line and in records: the keyword, with `:A` for a Leaky ReLU whose
    /// slope is not the default.
    public var argument: String {
        if case .leakyReLU(let a) = self, a != Self.defaultLeakySlope { return "leaky-relu:\(a)" }
        return keyword
    }

    /// Display name as the sources write it (`Leaky ReLU 0.1` when the slope is not the default).
    public var displayName: String {
        switch self {
        case .relu: "ReLU"
        case .sigmoid: "Sigmoid"
        case .tanh: "Tanh"
        case .leakyReLU(let a): a == Self.defaultLeakySlope ? "Leaky ReLU" : "Leaky ReLU \(a)"
        case .softplus: "SoftPlus"
        case .identity: "Identity"
        }
    }

    /// The kind `by` places on in `allCases` (wrapping); a Leaky ReLU of any slope counts as the
    /// Leaky ReLU there.
    public func cycled(by: Int) -> Activation {
        let all = Self.allCases
        let i = all.firstIndex { $0.keyword == keyword } ?? 0
        let n = all.count
        return all[((i + by) % n + n) % n]
    }

    /// A fresh layer of this kind; `index` is the 1-based hidden-layer position used in its name.
    public func makeLayer(index: Int) -> any ActivationLayer {
        switch self {
        case .relu: ReLU(index: index)
        case .sigmoid: Sigmoid(index: index)
        case .tanh: Tanh(index: index)
        case .leakyReLU(let a): LeakyReLU(index: index, slope: a)
        case .softplus: SoftPlus(index: index)
        case .identity: Identity(index: index)
        }
    }

    /// The histogram range that shows this activation's usual output (ReLU's is open-ended; [0, 1]
    /// is the book's E3 range, and values beyond it are counted as overflow, not dropped). Leaky
    /// ReLU's negative side and the identity's both signs are shown; SoftPlus is ln 2 at 0.
    public var histogramRange: ClosedRange<Float> {
        switch self {
        case .relu, .sigmoid: 0...1
        case .tanh, .leakyReLU: -1...1
        case .softplus: 0...2
        case .identity: -2...2
        }
    }
}

extension Activation: ArgumentSpelled {
    public static var spelledKind: String { "activation" }
}

/// A hidden-layer activation. It keeps its last output, which is what the dashboard's
/// per-layer histograms show (the book's E3 experiment).
public protocol ActivationLayer: Layer {
    var activation: Activation { get }
    /// Output of the last forward pass.
    var output: Matrix { get }
}

/// An activation whose forward and backward a normalization kernel can apply element by element
/// (`fused_activation.h` spells its rules as the layer's own code does): ReLU, Leaky ReLU, the
/// identity. Sigmoid, tanh and SoftPlus are not: their exp runs in their own code, whose bits a
/// C copy would have to reproduce.
protocol FusableActivation: ActivationLayer {
    /// The kernels' `DLBOARD_FUSED_*` for this activation, and Leaky ReLU's slope (0 for the others).
    var fusedKernel: FusedKernel { get }
}
