/// A setting a search may vary, by the name a search space gives it (`lr=log:-4,0`), with the
/// scales that make sense for it and how a drawn value goes into a `TrainingConfig`.
public enum SearchKnob: String, Sendable, CaseIterable {
    case learningRate = "lr"
    case weightDecay = "wd"
    /// The optimizer's first-moment decay: Momentum's and Nesterov's momentum, Adam's β1,
    /// RMSprop's ρ. SGD and AdaGrad have none; their trials leave it out.
    case beta
    case batchSize = "batch"
    /// How many hidden layers; each as wide as `units` (or the base network's first).
    case layers
    /// Units per hidden layer, every layer alike.
    case units
    case dropout
    case activation
    case optimizer

    public init?(name: String) {
        switch name.lowercased() {
        case "lr", "learning-rate": self = .learningRate
        case "wd", "weight-decay": self = .weightDecay
        case "beta", "momentum", "beta1": self = .beta
        case "batch", "batch-size": self = .batchSize
        case "layers": self = .layers
        case "units": self = .units
        case "dropout": self = .dropout
        case "activation": self = .activation
        case "optimizer": self = .optimizer
        default: return nil
        }
    }

    /// The whole numbers a count knob takes (nil for the others): a batch of one up to a million
    /// images, 1–20 hidden layers, 1–10,000 units each.
    var wholeBounds: ClosedRange<Int>? {
        switch self {
        case .batchSize: 1...1_000_000
        case .layers: 1...20
        case .units: 1...10_000
        default: nil
        }
    }

    private var wholeName: String {
        switch self {
        case .batchSize: "a batch size"
        case .layers: "the number of hidden layers"
        default: "units per layer"
        }
    }

    /// Refuses a scale or range that cannot give this knob a usable value, naming both.
    func check(_ d: SearchDimension) throws(SearchError) {
        let entry = "\(rawValue)=\(d.spec)"
        func wholeRange(_ low: Int, _ high: Int, _ what: String) throws(SearchError) {
            guard case .integer(let a, let b) = d else {
                if case .choice(let options) = d,
                    options.allSatisfy({ Int($0).map { $0 >= low && $0 <= high } ?? false })
                {
                    return
                }
                throw SearchError(
                    "'\(entry)': \(rawValue) takes int:A,B or a choice of whole numbers \(low)…\(high)")
            }
            guard a >= low, b <= high else {
                throw SearchError("'\(entry)': \(what) must be within \(low)…\(high)")
            }
        }
        switch self {
        case .learningRate, .weightDecay:
            switch d {
            case .logUniform: return
            case .uniform(let a, _) where a >= 0 && (self == .weightDecay || a > 0): return
            default:
                throw SearchError(
                    "'\(entry)': \(rawValue) takes log:A,B (exponents) or uniform with positive bounds")
            }
        case .beta:
            switch d {
            case .oneMinusLog: return
            case .uniform(let a, let b) where a >= 0 && b < 1: return
            default: throw SearchError("'\(entry)': beta takes one-minus-log:A,B or uniform within [0, 1)")
            }
        case .dropout:
            guard case .uniform(let a, let b) = d, a >= 0, b < 1 else {
                throw SearchError("'\(entry)': dropout takes uniform:A,B within [0, 1)")
            }
        case .batchSize, .layers, .units:
            let r = wholeBounds!
            try wholeRange(r.lowerBound, r.upperBound, wholeName)
        case .activation:
            guard case .choice(let options) = d else {
                throw SearchError("'\(entry)': activation takes choice:A,B,…")
            }
            for o in options where Activation(argument: o) == nil {
                throw SearchError("'\(entry)': unknown activation '\(o)'")
            }
        case .optimizer:
            guard case .choice(let options) = d else {
                throw SearchError("'\(entry)': optimizer takes choice:A,B,…")
            }
            for o in options where OptimizerKind(rawValue: o.lowercased()) == nil {
                throw SearchError("'\(entry)': unknown optimizer '\(o)'")
            }
        }
    }
}
