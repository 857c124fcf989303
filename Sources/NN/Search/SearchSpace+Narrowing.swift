import Foundation

/// Coarse to fine (E9's next round): each numeric knob's range drawn in around the values the best
/// trials had, a margin wider on each side, and kept to what the knob accepts.
extension SearchSpace {
    /// The space around `points` (the best trials' values). Log and one-minus-log knobs narrow in
    /// their exponent, `margin` decades on each side (E9: a quarter of a decade); uniform and int
    /// knobs in value, `margin` times their current width on each side (an int to the whole numbers
    /// within it). A choice stays as it is, and so does a knob none of the points has.
    public func narrowed(around points: [[SearchKnob: SearchValue]], margin: Double = 0.25) -> SearchSpace {
        let axes = axes.map { axis in
            let values = points.compactMap { $0[axis.knob] }
            guard margin > 0, !values.isEmpty,
                let d = axis.dimension.narrowed(around: values, margin: margin, for: axis.knob),
                (try? axis.knob.check(d)) != nil
            else { return axis }
            return Axis(axis.knob, d)
        }
        return (try? SearchSpace(axes)) ?? self
    }
}

extension SearchDimension {
    /// This dimension drawn in around `values` (see `SearchSpace.narrowed`), nil when it does not
    /// narrow (a choice, no usable value, or nothing left between the bounds).
    func narrowed(around values: [SearchValue], margin: Double, for knob: SearchKnob) -> SearchDimension? {
        let at = values.compactMap { coordinate(of: $0) }.filter(\.isFinite)
        guard let lo = at.min(), let hi = at.max() else { return nil }
        switch self {
        case .logUniform:
            // The spec's own limit on exponents.
            let a = max(-30, lo - margin)
            let b = min(30, hi + margin)
            return a < b ? .logUniform(low: a, high: b) : nil
        case .oneMinusLog:
            // β = 1 − 10^r is below 1 only for r < 0: past 0, half-way from the best to 0.
            let a = max(-30, lo - margin)
            let b = hi + margin < 0 ? hi + margin : hi / 2
            return a < b ? .oneMinusLog(low: a, high: b) : nil
        case .uniform(let low, let high):
            let m = margin * (high - low)
            var a = lo - m
            var b = hi + m
            switch knob {
            case .learningRate where a <= 0: a = lo / 2  // a rate is positive
            case .weightDecay, .beta, .dropout: a = max(0, a)
            default: break
            }
            // β and a dropout ratio are below 1: past it, half-way from the best to 1.
            if knob == .beta || knob == .dropout, b >= 1 { b = (hi + 1) / 2 }
            return a < b ? .uniform(low: a, high: b) : nil
        case .integer(let low, let high):
            let m = margin * Double(high - low)
            let bounds = knob.wholeBounds ?? -1_000_000_000...1_000_000_000
            let a = max(bounds.lowerBound, Int((lo - m).rounded(.up)))
            let b = min(bounds.upperBound, Int((hi + m).rounded(.down)))
            return a <= b ? .integer(low: a, high: b) : nil
        case .choice: return nil
        }
    }
}
