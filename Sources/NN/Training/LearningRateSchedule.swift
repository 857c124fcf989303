import Foundation

/// How the learning rate follows the epochs: α0 (the configured rate) decayed per epoch, as in
/// the deeplearning.ai course's "learning-rate decay". `e` is the epoch number of the step, 1 for
/// the first epoch's steps (the course's `epoch_num`), so every rate holds for a whole epoch:
///
/// - `constant`: α0 (the book's only rule);
/// - `inverse:K`: α0 / (1 + K·e);
/// - `exp:R`: α0 · R^e;
/// - `isqrt:K`: α0 · K / √e;
/// - `step:S:F`: α0 · F^⌊e/S⌋ (a staircase: × F at the epochs S, 2S, …; `step:1:R` is `exp:R`);
/// - `cosine:T`: α0 · ½(1 + cos(π·(min(e, T) − 1)/T)): α0 in epoch 1, down a half cosine to
///   α0·½(1 + cos(π(T−1)/T)) in epoch T, which later epochs keep.
///
/// A rate never goes below `minimumRate` (Float's smallest normal number): an optimizer takes only
/// positive rates, and `exp:0.5` reaches 0 in Float after 150 epochs.
public enum LearningRateSchedule: Sendable, Hashable {
    case constant
    case inverse(k: Float)
    case exponential(rate: Float)
    case inverseSquareRoot(k: Float)
    case step(every: Int, factor: Float)
    case cosine(epochs: Int)

    public static let minimumRate = Float.leastNormalMagnitude

    /// The rate of the steps of epoch `epoch` (1, 2, …; smaller counts as 1) for the base rate `base`.
    public func rate(base: Float, epoch: Int) -> Float {
        let e = Double(max(1, epoch))
        let a = Double(base)
        let r: Double =
            switch self {
            case .constant: a
            case .inverse(let k): a / (1 + Double(k) * e)
            case .exponential(let rate): a * pow(Double(rate), e)
            case .inverseSquareRoot(let k): a * Double(k) / e.squareRoot()
            case .step(let every, let factor): a * pow(Double(factor), (e / Double(max(1, every))).rounded(.down))
            case .cosine(let epochs):
                a * 0.5 * (1 + cos(Double.pi * (min(e, Double(max(1, epochs))) - 1) / Double(max(1, epochs))))
            }
        // Within what an optimizer takes (finite and positive): isqrt:K with a huge K times a huge α0
        // overflows Float; such a rate diverges the run, it must not trap it.
        return min(Float.greatestFiniteMagnitude, max(Self.minimumRate, Float(r)))
    }

    /// The rate of training step `step` (1 is the first) when an epoch is `stepsPerEpoch` steps.
    public func rate(base: Float, step: Int, stepsPerEpoch: Int) -> Float {
        rate(base: base, epoch: Self.epoch(ofStep: step, stepsPerEpoch: stepsPerEpoch))
    }

    /// The epoch (1, 2, …) training step `step` (1, 2, …) belongs to: the one rule of the records'
    /// `epoch` field and of every schedule.
    public static func epoch(ofStep step: Int, stepsPerEpoch: Int) -> Int {
        max(0, step - 1) / max(1, stepsPerEpoch) + 1
    }

    /// Parses the command line's spelling: `constant`, `inverse:K`, `exp:R`, `isqrt:K`, `step:S:F`,
    /// `cosine:T`. Values out of range parse (`validate()` says what is wrong with them); a form
    /// that is not one of these, or a number that is not one, does not.
    public init?(argument: String) {
        let parts = argument.lowercased().split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        func number(_ i: Int) -> Float? { parts.count > i ? Float(parts[i]) : nil }
        func count(_ i: Int) -> Int? { parts.count > i ? Int(parts[i]) : nil }
        switch (parts.first ?? "", parts.count) {
        case ("constant", 1): self = .constant
        case ("inverse", 2):
            guard let k = number(1) else { return nil }
            self = .inverse(k: k)
        case ("exp", 2):
            guard let r = number(1) else { return nil }
            self = .exponential(rate: r)
        case ("isqrt", 2):
            guard let k = number(1) else { return nil }
            self = .inverseSquareRoot(k: k)
        case ("step", 3):
            guard let s = count(1), let f = number(2) else { return nil }
            self = .step(every: s, factor: f)
        case ("cosine", 2):
            guard let t = count(1) else { return nil }
            self = .cosine(epochs: t)
        default: return nil
        }
    }

    /// As the command line spells it (`exp:0.95`, `step:5:0.5`), which is what records and the
    /// status bar show.
    public var argument: String {
        func n(_ v: Float) -> String { v == v.rounded() && abs(v) < 1e7 ? String(Int(v)) : "\(v)" }
        return switch self {
        case .constant: "constant"
        case .inverse(let k): "inverse:\(n(k))"
        case .exponential(let r): "exp:\(n(r))"
        case .inverseSquareRoot(let k): "isqrt:\(n(k))"
        case .step(let s, let f): "step:\(s):\(n(f))"
        case .cosine(let t): "cosine:\(t)"
        }
    }

    /// Throws a `ConfigError` (`.learningRateSchedule`) naming what is out of range.
    public func validate() throws(ConfigError) {
        func fail(_ problem: String) -> ConfigError { ConfigError(.learningRateSchedule, problem) }
        switch self {
        case .constant: break
        case .inverse(let k):
            if !(k >= 0 && k.isFinite) { throw fail("inverse K must be a finite number ≥ 0, got \(k)") }
        case .exponential(let r):
            if !(r > 0 && r <= 1) { throw fail("exp rate R must be in (0, 1], got \(r)") }
        case .inverseSquareRoot(let k):
            if !(k > 0 && k.isFinite) { throw fail("isqrt K must be a positive finite number, got \(k)") }
        case .step(let s, let f):
            if s < 1 { throw fail("step S (epochs per step) must be at least 1, got \(s)") }
            if !(f > 0 && f <= 1) { throw fail("step factor F must be in (0, 1], got \(f)") }
        case .cosine(let t):
            if t < 1 { throw fail("cosine T (epochs) must be at least 1, got \(t)") }
        }
    }

    /// The schedules the dashboard's key cycles through, for a run of `epochs` epochs (the cosine
    /// spans them): constant → inverse:1 → exp:0.9 → isqrt:1 → step:5:0.5 → cosine:epochs.
    public static func cycle(epochs: Int) -> [LearningRateSchedule] {
        [
            .constant, .inverse(k: 1), .exponential(rate: 0.9), .inverseSquareRoot(k: 1),
            .step(every: 5, factor: 0.5), .cosine(epochs: max(1, epochs)),
        ]
    }

    /// The schedule after this one in `cycle(epochs:)`, by form: a schedule of the same form with
    /// other values (`exp:0.5` from the command line) counts as that form's place.
    public func next(epochs: Int) -> LearningRateSchedule {
        let all = Self.cycle(epochs: epochs)
        let i = all.firstIndex { $0.form == form } ?? 0
        return all[(i + 1) % all.count]
    }

    private var form: Int {
        switch self {
        case .constant: 0
        case .inverse: 1
        case .exponential: 2
        case .inverseSquareRoot: 3
        case .step: 4
        case .cosine: 5
        }
    }
}

/// Encoded as its command-line spelling (`"exp:0.95"`), as records show it.
extension LearningRateSchedule: ArgumentSpelled {
    public static var spelledKind: String { "learning-rate schedule" }
}
