import Foundation

/// How far one key press moves a setting: the learning rate's √10 steps and their limits, the
/// Dropout ratio's steps, the weight decays to cycle through. Shared by the dashboard's intents and
/// the optimizer-paths screen, so a key means the same step everywhere.
enum SettingSteps {
    /// One learning-rate step: two make a factor of 10 (0.01 → 0.032 → 0.1).
    static let learningRateFactor = Float(10).squareRoot()
    static let weightDecays: [Float] = [0, 1e-4, 1e-3, 1e-2, 0.1]
    /// Dropout steps per unit of ratio: one step is 0.05.
    static let dropoutStepsPerUnit: Float = 20
    static let maxDropout: Float = 0.9
    /// The batch sizes `>` and `<` step through: 1–2–5 a decade, online learning to ten batches
    /// of the book's 100.
    static let batchSizes = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]

    /// The next size of `batchSizes` above (or below) `size`, which need not be on the ladder
    /// (`--batch 128` goes up to 200, down to 100); nil past the ladder's ends.
    static func batchSize(from size: Int, up: Bool) -> Int? {
        up ? batchSizes.first { $0 > size } : batchSizes.last { $0 < size }
    }

    /// One √10 step up or down from `lr`, rounded; nil past the limits (beyond them training is
    /// either frozen or diverges at once).
    static func learningRate(from lr: Float, up: Bool) -> Float? {
        let new = up ? lr * learningRateFactor : lr / learningRateFactor
        guard new.isFinite && new > 1e-8 && new < 1e4 else { return nil }
        return roundedRate(new)
    }

    /// `by` Dropout steps from `ratio` (0 when off), on the 0.05 grid and within [0, 0.9].
    static func dropout(from ratio: Float, by: Int) -> Float {
        let current = ratio > 0 ? ratio : 0
        // On the grid by multiplying by 20 (exact) rather than dividing by 0.05 (not a binary fraction).
        let next = (current * dropoutStepsPerUnit + Float(by)).rounded() / dropoutStepsPerUnit
        return min(maxDropout, max(0, next))
    }

    /// √10 steps from the book's 1e-2/1e-3 land on 0.0316…; keep two significant digits.
    static func roundedRate(_ v: Float) -> Float {
        let e = Foundation.floor(Foundation.log10(Double(v)))
        let scale = Foundation.pow(10, e - 1)
        return Float((Double(v) / scale).rounded() * scale)
    }
}
