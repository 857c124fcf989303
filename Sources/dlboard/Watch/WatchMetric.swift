/// The metric `dlboard watch` ranks trials by and plots: its name (a dlboard eval field such as
/// `val_acc`, or whatever a Ray trainable reported) and whether more is better.
struct WatchMetric: Equatable {
    enum Mode: String, CaseIterable {
        case max
        case min
    }

    var name: String
    var mode: Mode

    /// The metric names of a dlboard evaluation, in the order `m` cycles through them.
    static let evaluationNames = [
        EvalRecord.CodingKeys.validationAccuracy.stringValue, EvalRecord.CodingKeys.testAccuracy.stringValue,
        EvalRecord.CodingKeys.loss.stringValue, EvalRecord.CodingKeys.trainAccuracy.stringValue,
    ]

    /// A loss (or error) is better lower; anything else (an accuracy, a reward) higher.
    static func defaultMode(for name: String) -> Mode {
        let n = name.lowercased()
        return n.contains(EvalRecord.CodingKeys.loss.stringValue) || n.contains("error") || n.hasSuffix("_err")
            || n.contains("mse") ? .min : .max
    }

    /// The default: the validation accuracy when any trial has it, else the test accuracy, else the
    /// first metric there is.
    static func preferred(among names: Set<String>) -> String {
        for n in evaluationNames where names.contains(n) { return n }
        return names.sorted().first ?? evaluationNames[0]
    }

    /// The names to cycle through: dlboard's evaluation metrics first, then the rest by name.
    static func ordered(_ names: Set<String>) -> [String] {
        evaluationNames.filter(names.contains) + names.subtracting(evaluationNames).sorted()
    }

    func isBetter(_ a: Double, than b: Double) -> Bool { mode == .max ? a > b : a < b }
}

extension WatchMetric {
    /// Every metric name some trial has a value of.
    static func names(of trials: [WatchTrial]) -> Set<String> {
        Set(trials.flatMap { $0.curves.filter { !$0.value.isEmpty }.keys })
    }

    /// The metric asked for, or (nil) the preferred one among the trials'; its mode as asked or the
    /// name's default.
    static func chosen(name: String?, mode: Mode?, trials: [WatchTrial]) -> WatchMetric {
        let n = name ?? preferred(among: names(of: trials))
        return WatchMetric(name: n, mode: mode ?? defaultMode(for: n))
    }
}
