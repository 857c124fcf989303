import Foundation

/// Population-based training's two moves, as decisions the caller carries out: *exploit* — a member in
/// the bottom quantile takes a top-quantile member's weights, optimizer state and BN statistics —
/// and *explore* — it then multiplies its learning rate and weight decay by 0.8 or 1.2 each, or with
/// a small probability draws them afresh from the search space.
public struct PopulationBasedTraining: Sendable, Equatable {
    /// The share of the population that exploits, and that is drawn from as donors.
    public let quantile: Double
    public let factors: [Double]
    /// The chance that explore resamples a knob instead of perturbing it.
    public let resampleProbability: Double

    /// Refuses what would make a generation undefined: a quantile outside (0, 0.5], no factors or a
    /// factor that is not a positive number, a probability outside [0, 1].
    public init(quantile: Double = 0.25, factors: [Double] = [0.8, 1.2], resampleProbability: Double = 0)
        throws(SearchError)
    {
        guard quantile > 0 && quantile <= 0.5 else {
            throw SearchError("the exploit quantile must be in (0, 0.5], got \(quantile)")
        }
        guard !factors.isEmpty, factors.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw SearchError("explore needs at least one positive factor, got \(factors)")
        }
        guard resampleProbability >= 0 && resampleProbability <= 1 else {
            throw SearchError("the resample probability must be in [0, 1], got \(resampleProbability)")
        }
        self.quantile = quantile
        self.factors = factors
        self.resampleProbability = resampleProbability
    }

    public struct Exploit: Sendable, Equatable {
        /// The member that copies.
        public let member: Int
        public let donor: Int
    }

    /// The exploits of one generation: each of the ⌈N·quantile⌉ lowest-scoring members (at least one
    /// when N ≥ 2, never more than half) copies a member drawn from as many highest-scoring ones.
    /// Ranked by score, ties by member number; a NaN (diverged) member ranks lowest.
    public func exploits(scores: [Double], using g: inout some RandomNumberGenerator) -> [Exploit] {
        let n = scores.count
        guard n >= 2 else { return [] }
        let k = min(n / 2, max(1, Int((Double(n) * quantile).rounded(.up))))
        let ranked = (0..<n).sorted { a, b in
            let (x, y) = (
                scores[a].isNaN ? -Double.infinity : scores[a], scores[b].isNaN ? -Double.infinity : scores[b]
            )
            return x != y ? x > y : a < b
        }
        let top = Array(ranked.prefix(k))
        return ranked.suffix(k).sorted().map { Exploit(member: $0, donor: top[Int.random(in: 0..<k, using: &g)]) }
    }

    /// A new value for a knob the donor had at `value`: times one of `factors`, or, with
    /// `resampleProbability`, a fresh draw from `dimension` (when given). Returns the factor used
    /// (nil for a resample), so records can say which it was.
    public func explore(
        _ value: Double, dimension: SearchDimension?, using g: inout some RandomNumberGenerator
    ) -> (value: Double, factor: Double?) {
        if let d = dimension, resampleProbability > 0, Double.random(in: 0..<1, using: &g) < resampleProbability,
            let fresh = d.sample(using: &g).number
        {
            return (fresh, nil)
        }
        let f = factors[Int.random(in: 0..<factors.count, using: &g)]
        return (value * f, f)
    }
}
