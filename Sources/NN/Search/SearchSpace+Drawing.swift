/// How a search turns uniform draws into a trial: one draw per knob, in a fixed order, and the
/// values a configuration takes.
extension SearchSpace {
    /// The order a trial's knobs are drawn in: weight decay, then lr (the order of E9's script, so
    /// its space draws what it always drew), then the others as the space gives them.
    public var drawOrder: [Axis] {
        let first: [SearchKnob] = [.weightDecay, .learningRate]
        return first.compactMap { k in axes.first { $0.knob == k } } + axes.filter { !first.contains($0.knob) }
    }

    /// One trial's values from `unit()`, a uniform draw in [0, 1) per knob in `drawOrder`.
    public func point(drawing unit: () -> Double) -> [SearchKnob: SearchValue] {
        var point: [SearchKnob: SearchValue] = [:]
        for a in drawOrder { point[a.knob] = a.dimension.value(atUnit: unit()) }
        return point
    }

    /// `point` as `apply(point, to: base)` uses it: numbers as the configuration's `Float`s hold
    /// them, and no β where the trial's optimizer has none (SGD, AdaGrad), so a trial's recorded
    /// values are exactly its configuration's.
    public static func applicable(_ point: [SearchKnob: SearchValue], to base: TrainingConfig) -> [SearchKnob:
        SearchValue]
    {
        var p = point.mapValues { v -> SearchValue in
            if case .number(let d) = v { return .number(Double(Float(d))) }
            return v
        }
        switch apply(p, to: base).optimizer {
        case .sgd, .adagrad: p[.beta] = nil
        case .momentum, .nesterov, .adam, .rmsprop: break
        }
        return p
    }
}
