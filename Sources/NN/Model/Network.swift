/// A multi-layer perceptron in the book's `MultiLayerNetExtend` form, trainable by backprop.
///
/// Each hidden layer is Affine → [BatchNorm or LayerNorm] → activation → [Dropout]; the output layer is
/// Affine → SoftmaxWithLoss. An input Dropout (`NetworkConfig.inputDropout`) comes first, in the
/// same `DropoutStyle` as the hidden ones. Weight decay adds ½λΣW² over every Affine weight (output
/// layer included) to the loss and λW to each dW.
///
/// The structure can change between two steps (the dashboard does this mid-session):
/// - `setNormalization(_:)` inserts fresh BatchNorm or LayerNorm layers (γ = 1, β = 0, running
///   statistics 0) in place of the ones there were, or removes them with their γ/β; Affine weights
///   are kept either way.
/// - `setDropout(_:)` changes every hidden Dropout ratio in place, or inserts/removes those layers
///   when it crosses 0 (in the configured style); weights are kept. The input Dropout stays as built.
/// - `setActivation(_:)` swaps the activation layers; weights are kept (callers usually re-initialize).
/// - `reinitialize(_:)` draws all Affine weights anew (biases 0) and resets BatchNorm/LayerNorm γ, β
///   and running statistics; the structure is kept.
/// - `weightDecay` can be assigned at any time and applies from the next gradient; `setLoss(_:)`
///   changes what the softmax is scored with from the next forward pass.
/// Optimizer state lives in the optimizer, keyed by parameter name; see `Optimizer`.
///
/// A BatchNorm or LayerNorm followed by a ReLU, Leaky ReLU or identity runs as one stage
/// (`ActivationFusing`): the normalization computes the activation in its own passes, the bits
/// unchanged, and the two layers stay what the rest of the app reads.
public final class Network {
    /// The configuration the network currently has (updated by the setters above).
    public private(set) var config: NetworkConfig
    public private(set) var affines: [Affine]
    public private(set) var batchNorms: [BatchNorm]
    public private(set) var layerNorms: [LayerNorm]
    public private(set) var activations: [any ActivationLayer]
    public private(set) var dropouts: [Dropout]
    /// The Dropout on the input values, when `config.inputDropout > 0`.
    public private(set) var inputDropout: Dropout?
    /// All layers in forward order.
    public private(set) var layers: [any Layer] = []
    /// `layers` as they run (set with them by `rebuildLayerList`).
    private(set) var stages: [Stage] = []

    /// One layer alone, or a normalization with the activation after it computed in its passes.
    enum Stage {
        case single(any Layer)
        case fused(any ActivationFusing, any FusableActivation)
    }

    /// Whether a normalization runs fused with the activation after it (the default, same bits).
    /// Off, every layer runs on its own: the reference `NormalizationFusionTests` compares with.
    var fusesActivations = true {
        didSet { rebuildStages() }
    }
    public let lossLayer: SoftmaxWithLoss

    public var weightDecay: Float {
        get { config.weightDecay }
        set {
            precondition(newValue >= 0 && newValue.isFinite, "weight decay must be finite and ≥ 0")
            config.weightDecay = newValue
        }
    }

    private let seed: UInt64
    private var initGenerator: SeededGenerator
    /// Counts Dropout layer rebuilds, so each rebuild draws masks from a new deterministic stream.
    private var dropoutGeneration = 0

    /// Builds the network with weights drawn from `config.initializer`, using randomness derived
    /// from `seed` only. Precondition: `config` is valid (see `NetworkConfig.validate()`).
    public init(config: NetworkConfig, seed: UInt64) {
        precondition((try? config.validate()) != nil, "invalid NetworkConfig")
        self.config = config
        self.lossLayer = SoftmaxWithLoss(loss: config.loss)
        self.seed = seed
        self.initGenerator = SeededGenerator(seed: seed, stream: "init")
        let sizes = config.sizes
        var affines: [Affine] = []
        for k in 0..<(sizes.count - 1) {
            let w = Matrix(rows: sizes[k], cols: sizes[k + 1])
            config.initializer.fill(w, generator: &initGenerator)
            affines.append(Affine(index: k + 1, weight: w, computesInputGradient: k > 0))
        }
        self.affines = affines
        self.batchNorms = config.batchNorm ? Self.makeBatchNorms(config.hidden) : []
        self.layerNorms = config.normalization == .layer ? Self.makeLayerNorms(config.hidden) : []
        self.activations = config.hidden.indices.map { config.activation.makeLayer(index: $0 + 1) }
        self.dropouts = []
        self.dropouts = config.dropout > 0 ? makeDropouts(ratio: config.dropout) : []
        // Its own stream, so the hidden layers' masks are the same with or without it.
        self.inputDropout =
            config.inputDropout > 0
            ? Dropout(
                index: 0, ratio: config.inputDropout, generator: SeededGenerator(seed: seed, stream: "dropout0"),
                style: config.dropoutStyle)
            : nil
        rebuildLayerList()
    }

    private init(copying o: Network) {
        config = o.config
        lossLayer = SoftmaxWithLoss(loss: o.config.loss)
        seed = o.seed
        initGenerator = o.initGenerator
        dropoutGeneration = o.dropoutGeneration
        fusesActivations = o.fusesActivations
        affines = o.affines.map { $0.clone() as! Affine }
        batchNorms = o.batchNorms.map { $0.clone() as! BatchNorm }
        layerNorms = o.layerNorms.map { $0.clone() as! LayerNorm }
        activations = o.activations.map { $0.clone() as! any ActivationLayer }
        dropouts = o.dropouts.map { $0.clone() as! Dropout }
        inputDropout = o.inputDropout.map { $0.clone() as! Dropout }
        rebuildLayerList()
    }

    /// A deep copy — weights, BatchNorm statistics, RNG states — that trains independently.
    public func clone() -> Network { Network(copying: self) }

    private static func makeBatchNorms(_ hidden: [Int]) -> [BatchNorm] {
        hidden.indices.map { BatchNorm(index: $0 + 1, features: hidden[$0]) }
    }

    private static func makeLayerNorms(_ hidden: [Int]) -> [LayerNorm] {
        hidden.indices.map { LayerNorm(index: $0 + 1, features: hidden[$0]) }
    }

    private func makeDropouts(ratio: Float) -> [Dropout] {
        dropoutGeneration += 1
        return config.hidden.indices.map {
            Dropout(
                index: $0 + 1, ratio: ratio,
                generator: SeededGenerator(seed: seed, stream: "dropout\($0 + 1)/\(dropoutGeneration)"),
                style: config.dropoutStyle)
        }
    }

    private func rebuildLayerList() {
        var list: [any Layer] = []
        // Its backward receives the first Affine's empty input gradient and does nothing.
        if let inputDropout { list.append(inputDropout) }
        for k in config.hidden.indices {
            list.append(affines[k])
            switch config.normalization {
            case .none: break
            case .batch: list.append(batchNorms[k])
            case .layer: list.append(layerNorms[k])
            }
            list.append(activations[k])
            if config.dropout > 0 { list.append(dropouts[k]) }
        }
        list.append(affines[affines.count - 1])
        layers = list
        parameters =
            affines.flatMap(\.parameters) + batchNorms.flatMap(\.parameters) + layerNorms.flatMap(\.parameters)
        rebuildStages()
    }

    private func rebuildStages() {
        var fuses = fusesActivations
        #if DEBUG
            // A deliberately broken backward (the gradient checker's own test) lives in a layer's
            // own backward, which a fused stage skips: every layer on its own then.
            if DeliberateFault.active != nil { fuses = false }
        #endif
        var list: [Stage] = []
        var i = 0
        while i < layers.count {
            if fuses, let norm = layers[i] as? any ActivationFusing, i + 1 < layers.count,
                let activation = layers[i + 1] as? any FusableActivation
            {
                list.append(.fused(norm, activation))
                i += 2
            } else {
                list.append(.single(layers[i]))
                i += 1
            }
        }
        stages = list
    }

    /// Every learnable parameter, in the book's order: W1, b1, W2, …, then gamma1, beta1, … (or
    /// LayerNorm's lnGamma1, lnBeta1, …).
    ///
    /// Kept, not rebuilt per call: every step hands it to the optimizer, and building it allocated
    /// three arrays a step. Every change of the layers goes through `rebuildLayerList`, which sets it.
    public private(set) var parameters: [Parameter] = []

    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    // MARK: Forward, loss, backward

    /// Class scores (before softmax) for each row of `x`.
    public func predict(_ x: Matrix, mode: Mode = .eval) -> Matrix {
        var h = x
        for stage in stages {
            switch stage {
            case .single(let layer): h = layer.forward(h, mode: mode)
            case .fused(let norm, let activation): h = norm.forward(h, mode: mode, through: activation)
            }
        }
        return h
    }

    /// ½λΣW² over all Affine weights.
    public var weightDecayLoss: Double {
        guard config.weightDecay > 0 else { return 0 }
        return 0.5 * Double(config.weightDecay) * affines.reduce(0) { $0 + $1.weight.value.sumOfSquares() }
    }

    /// The batch's loss (`config.loss`) plus the weight-decay term, without touching gradients.
    public func loss(_ x: Matrix, labels: [Int32], mode: Mode) -> Double {
        lossLayer.forward(predict(x, mode: mode), labels: labels) + weightDecayLoss
    }

    /// A train-mode forward and backward pass: fills every parameter's `gradient` (weight decay
    /// included) and returns the batch loss (`config.loss` + ½λΣW²) as computed by that forward pass,
    /// i.e. before any update.
    @discardableResult
    public func gradient(_ x: Matrix, labels: [Int32]) -> Double {
        let data = lossLayer.forward(predict(x, mode: .train), labels: labels)
        var d = lossLayer.backward()
        for stage in stages.reversed() {
            switch stage {
            case .single(let layer): d = layer.backward(d)
            case .fused(let norm, let activation): d = norm.backward(d, through: activation)
            }
        }
        let lambda = config.weightDecay
        guard lambda > 0 else { return data }
        // λW into each dW and ΣW² for the loss in one pass over W (the weights are not yet updated,
        // so this is `weightDecayLoss`'s value).
        let sum = affines.reduce(0) { $0 + $1.weight.gradient.addDecay(of: $1.weight.value, lambda: lambda) }
        return data + 0.5 * Double(lambda) * sum
    }

    /// Number of rows of `x` whose highest score is the label.
    public func correctCount(_ x: Matrix, labels: [Int32]) -> Int {
        let scores = predict(x, mode: .eval)
        let k = scores.cols
        let p = scores.pointer
        var correct = 0
        for r in 0..<scores.rows {
            let row = p + r * k
            var best = 0
            for j in 1..<k where row[j] > row[best] { best = j }
            if best == Int(labels[r]) { correct += 1 }
        }
        return correct
    }

    // MARK: Changes between steps

    /// Switches to `normalization`: fresh layers of its kind (γ 1, β 0, BatchNorm's running
    /// statistics 0) in place of the ones there were, which go with their γ/β; none removes them.
    /// Affine weights are kept.
    public func setNormalization(_ normalization: Normalization) {
        guard normalization != config.normalization else { return }
        config.normalization = normalization
        batchNorms = normalization == .batch ? Self.makeBatchNorms(config.hidden) : []
        layerNorms = normalization == .layer ? Self.makeLayerNorms(config.hidden) : []
        rebuildLayerList()
    }

    /// The book's switch: BatchNorm (on) or no normalization (off), as `setNormalization`.
    public func setBatchNorm(_ on: Bool) { setNormalization(on ? .batch : .none) }

    /// Sets the Dropout ratio of every hidden layer; 0 removes the Dropout layers, a positive ratio
    /// inserts them (with fresh mask streams) if absent. Weights are kept.
    public func setDropout(_ ratio: Float) {
        precondition(ratio >= 0 && ratio < 1, "Dropout ratio must be in [0, 1)")
        let wasOn = config.dropout > 0
        config.dropout = ratio
        if ratio > 0 && wasOn {
            for d in dropouts { d.ratio = ratio }
        } else if ratio > 0 {
            dropouts = makeDropouts(ratio: ratio)
        } else {
            dropouts = []
        }
        rebuildLayerList()
    }

    /// Replaces the hidden activations. Weights are kept; callers usually `reinitialize` after.
    public func setActivation(_ activation: Activation) {
        config.activation = activation
        activations = config.hidden.indices.map { activation.makeLayer(index: $0 + 1) }
        rebuildLayerList()
    }

    /// Scores the softmax with `loss` from the next forward pass on; weights are kept.
    public func setLoss(_ loss: Loss) {
        config.loss = loss
        lossLayer.loss = loss
    }

    /// Draws every Affine weight anew from `initializer` (biases 0) and resets BatchNorm or LayerNorm
    /// (γ 1, β 0, running statistics 0). Randomness continues the network's own init stream, so two networks
    /// with one seed re-initialize identically.
    public func reinitialize(_ initializer: Initializer) {
        config.initializer = initializer
        for a in affines {
            initializer.fill(a.weight.value, generator: &initGenerator)
            a.bias.value.fill(0)
        }
        if config.normalization != .none {
            batchNorms = config.batchNorm ? Self.makeBatchNorms(config.hidden) : []
            layerNorms = config.normalization == .layer ? Self.makeLayerNorms(config.hidden) : []
            rebuildLayerList()
        }
    }

    /// Fixes (or releases) every Dropout mask, so repeated train-mode passes see the same mask.
    /// Gradient checks use it; training never does.
    public func freezeDropoutMasks(_ frozen: Bool) {
        for d in dropouts { d.freezesMask = frozen }
        inputDropout?.freezesMask = frozen
    }
}

extension Network {
    /// The random state that only later switches read (a re-initialization's weights, a Dropout
    /// rebuild's stream names), as a checkpoint stores it.
    var switchState: (initGenerator: SeededGenerator, dropoutGeneration: Int) { (initGenerator, dropoutGeneration) }

    func restoreSwitchState(initGenerator: SeededGenerator, dropoutGeneration: Int) {
        precondition(dropoutGeneration >= 0, "dropout generation must be ≥ 0")
        self.initGenerator = initGenerator
        self.dropoutGeneration = dropoutGeneration
    }
}
