/// A gradient-descent update rule with its own per-parameter state.
///
/// State (velocity, squared-gradient sums, moments) is created lazily, zero-filled, the first time a
/// parameter is seen, and is keyed by the parameter's name as in the book's `optimizer.py`. So:
/// - replacing the optimizer of a live network means making a new one: all state restarts at 0
///   (Adam's step count too);
/// - `learningRate` can be changed at any time and keeps all state;
/// - a parameter added later (BatchNorm switched on) gets fresh state on its first update, and state
///   for parameters that no longer exist is dropped.
public protocol Optimizer: AnyObject {
    var kind: OptimizerKind { get }
    var learningRate: Float { get set }
    /// Applies one update to every parameter from its `gradient`.
    func update(_ parameters: [Parameter])
    /// A deep copy, state included.
    func clone() -> any Optimizer
    /// Every state buffer's bits (and a step count, where there is one) into `d`; the learning
    /// rate is not state (see `Trainer.stateDigest`).
    func digest(into d: inout StateDigest)
}

/// Per-parameter state buffers, keyed by parameter name, created zero-filled on first use.
final class OptimizerSlots {
    private let perParameter: Int
    private var slots: [String: [Matrix]] = [:]

    init(perParameter: Int) { self.perParameter = perParameter }

    func copy() -> OptimizerSlots {
        let c = OptimizerSlots(perParameter: perParameter)
        c.slots = slots.mapValues { $0.map { $0.copy() } }
        return c
    }

    /// The state buffers of `p`; fresh zeros if unseen or if its shape changed.
    func buffers(for p: Parameter) -> [Matrix] {
        if let s = slots[p.name], s[0].rows == p.value.rows, s[0].cols == p.value.cols { return s }
        let s = (0..<perParameter).map { _ in Matrix(rows: p.value.rows, cols: p.value.cols) }
        slots[p.name] = s
        return s
    }

    /// Drops state of parameters not in `parameters` (e.g. γ/β after BatchNorm was switched off).
    func prune(keeping parameters: [Parameter]) {
        guard slots.count > parameters.count else { return }
        let names = Set(parameters.map(\.name))
        slots = slots.filter { names.contains($0.key) }
    }

    /// The buffers in parameter-name order (a dictionary's order is not stable), each with its name.
    func digest(into d: inout StateDigest) {
        d.add(perParameter)
        for name in slots.keys.sorted() {
            d.add(name)
            for m in slots[name] ?? [] { d.add(m) }
        }
    }

    /// The state buffer `index` of the parameter named `name`, if it exists (tests read it).
    func buffer(_ name: String, _ index: Int) -> Matrix? { slots[name]?[index] }
}

extension OptimizerSlots {
    /// How many buffers each parameter has.
    var buffersPerParameter: Int { perParameter }

    /// Every parameter's buffers, in name order (what a checkpoint stores).
    var all: [(name: String, buffers: [Matrix])] { slots.keys.sorted().map { ($0, slots[$0] ?? []) } }

    /// Sets the buffers of the parameter named `name` (a checkpoint's); false when they are not
    /// `buffersPerParameter` matrices of one shape, which later updates could not use.
    func restore(_ name: String, _ buffers: [Matrix]) -> Bool {
        guard buffers.count == perParameter, let first = buffers.first,
            buffers.allSatisfy({ $0.rows == first.rows && $0.cols == first.cols })
        else { return false }
        slots[name] = buffers
        return true
    }
}

/// The per-parameter state of `optimizer`, when its kind keeps one (plain SGD does not).
func optimizerSlots(of optimizer: any Optimizer) -> OptimizerSlots? {
    switch optimizer {
    case let o as Momentum: o.state
    case let o as Nesterov: o.state
    case let o as AdaGrad: o.state
    case let o as RMSprop: o.state
    case let o as Adam: o.state
    default: nil
    }
}
