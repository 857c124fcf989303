/// The architecture and regularization of a multi-layer network, as a value.
///
/// Layer order per hidden layer is the book's `MultiLayerNetExtend`:
/// Affine → [BatchNorm] → activation → [Dropout]; then Affine → SoftmaxWithLoss. LayerNorm, when
/// chosen instead, goes where BatchNorm goes. An input Dropout, when on, comes before the first Affine.
public struct NetworkConfig: Sendable, Equatable, Codable {
    /// Values per input image (784 for MNIST's 28×28). `Trainer` and `TrainingConfig.fitted(to:)`
    /// set it from the data, so a configuration need not know the image size.
    public var inputSize: Int = 784
    public var hidden: [Int] = [100, 100, 100, 100]
    public var outputSize: Int = 10
    public var activation: Activation = .relu
    public var initializer: Initializer = .he
    /// What normalizes each hidden Affine layer's output (after the Affine, before the activation).
    public var normalization: Normalization = .none
    /// Dropout ratio after every hidden activation; 0 means no Dropout layers.
    public var dropout: Float = 0
    /// L2 weight decay λ on all Affine weights (not biases, γ or β): loss += ½λΣW², dW += λW.
    public var weightDecay: Float = 0
    /// What the softmax outputs are scored with (the book's cross-entropy unless chosen).
    public var loss: Loss = .crossEntropy
    /// Where every Dropout layer (hidden and input) puts its scaling: the book's form unless chosen.
    public var dropoutStyle: DropoutStyle = .book
    /// Dropout ratio on the input values (the pixels), before the first Affine; 0 means none.
    public var inputDropout: Float = 0

    public init(
        inputSize: Int = 784, hidden: [Int] = [100, 100, 100, 100], outputSize: Int = 10,
        activation: Activation = .relu, initializer: Initializer = .he, batchNorm: Bool = false,
        dropout: Float = 0, weightDecay: Float = 0, loss: Loss = .crossEntropy,
        dropoutStyle: DropoutStyle = .book, inputDropout: Float = 0, normalization: Normalization? = nil
    ) {
        self.inputSize = inputSize
        self.hidden = hidden
        self.outputSize = outputSize
        self.activation = activation
        self.initializer = initializer
        self.normalization = normalization ?? (batchNorm ? .batch : .none)
        self.dropout = dropout
        self.weightDecay = weightDecay
        self.loss = loss
        self.dropoutStyle = dropoutStyle
        self.inputDropout = inputDropout
    }

    /// The book's switch: whether the normalization is BatchNorm. Setting it picks BatchNorm (true)
    /// or no normalization (false).
    public var batchNorm: Bool {
        get { normalization == .batch }
        set { normalization = newValue ? .batch : .none }
    }

    enum CodingKeys: String, CodingKey {
        case inputSize, hidden, outputSize, activation, initializer, batchNorm, normalization, dropout, weightDecay
        case loss, dropoutStyle, inputDropout
    }

    /// As encoded, except that a configuration without a `loss`, a `dropoutStyle` or an
    /// `inputDropout` (written before there was a choice) reads as what it was trained with — the
    /// cross-entropy, the book's Dropout, no input Dropout — and one without a `normalization` as its
    /// `batchNorm` switch says.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        inputSize = try c.decode(Int.self, forKey: .inputSize)
        hidden = try c.decode([Int].self, forKey: .hidden)
        outputSize = try c.decode(Int.self, forKey: .outputSize)
        activation = try c.decode(Activation.self, forKey: .activation)
        initializer = try c.decode(Initializer.self, forKey: .initializer)
        let batchNorm = try c.decode(Bool.self, forKey: .batchNorm)
        normalization =
            try c.decodeIfPresent(Normalization.self, forKey: .normalization) ?? (batchNorm ? .batch : .none)
        dropout = try c.decode(Float.self, forKey: .dropout)
        weightDecay = try c.decode(Float.self, forKey: .weightDecay)
        loss = try c.decodeIfPresent(Loss.self, forKey: .loss) ?? .crossEntropy
        dropoutStyle = try c.decodeIfPresent(DropoutStyle.self, forKey: .dropoutStyle) ?? .book
        inputDropout = try c.decodeIfPresent(Float.self, forKey: .inputDropout) ?? 0
    }

    /// Both the normalization and the `batchNorm` switch, which readers from before there was a
    /// choice require (they read a LayerNorm run as one without BatchNorm).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(inputSize, forKey: .inputSize)
        try c.encode(hidden, forKey: .hidden)
        try c.encode(outputSize, forKey: .outputSize)
        try c.encode(activation, forKey: .activation)
        try c.encode(initializer, forKey: .initializer)
        try c.encode(batchNorm, forKey: .batchNorm)
        try c.encode(normalization, forKey: .normalization)
        try c.encode(dropout, forKey: .dropout)
        try c.encode(weightDecay, forKey: .weightDecay)
        try c.encode(loss, forKey: .loss)
        try c.encode(dropoutStyle, forKey: .dropoutStyle)
        try c.encode(inputDropout, forKey: .inputDropout)
    }

    /// All layer widths: input, hidden…, output.
    public var sizes: [Int] { [inputSize] + hidden + [outputSize] }

    /// Throws a `ConfigError` naming the first invalid value.
    public func validate() throws(ConfigError) {
        if inputSize < 1 { throw ConfigError(.inputSize, "must be at least 1, got \(inputSize)") }
        if outputSize < 2 { throw ConfigError(.outputSize, "must be at least 2, got \(outputSize)") }
        for h in hidden where h < 1 {
            throw ConfigError(.hiddenLayers, "every layer needs at least 1 unit, got \(h)")
        }
        if !(dropout >= 0 && dropout < 1) {
            throw ConfigError(.dropout, "must be in [0, 1), got \(dropout)")
        }
        if !(inputDropout >= 0 && inputDropout < 1) {
            throw ConfigError(.inputDropout, "must be in [0, 1), got \(inputDropout)")
        }
        if !(weightDecay >= 0 && weightDecay.isFinite) {
            throw ConfigError(.weightDecay, "must be a finite number ≥ 0, got \(weightDecay)")
        }
        if case .leakyReLU(let a) = activation, !(a > 0 && a < 1) {
            throw ConfigError(.activation, "Leaky ReLU slope must be in (0, 1), got \(a)")
        }
        if case .std(let s) = initializer, !(s > 0 && s.isFinite) {
            throw ConfigError(.initializer, "standard deviation must be a positive number, got \(s)")
        }
        if case .constant(let c) = initializer, !c.isFinite {
            throw ConfigError(.initializer, "constant must be a finite number, got \(c)")
        }
    }

    /// e.g. `784-100-100-10`.
    public var shapeDescription: String { sizes.map(String.init).joined(separator: "-") }
}

extension NetworkConfig {
    /// The layer widths from input to output joined by "-", e.g. "784-100-100-10": how messages
    /// name a network's shape.
    public var shapeText: String { sizes.map(String.init).joined(separator: "-") }
}
