/// What the charts' x-axis counts (`X` cycles): steps, epochs of samples seen, or seconds of
/// training. Runs with different batch sizes take different numbers of steps for the same data and
/// time: only epochs and seconds compare them fairly.
enum XAxis: CaseIterable, Sendable {
    /// Steps for the loss, epochs for the accuracies (one point an epoch): the book's axes.
    case steps
    /// Samples seen over the training set's size, for both charts.
    case epochs
    /// Wall seconds of training (evaluations and pauses left out), for both charts.
    case seconds

    /// The next axis, wrapping.
    var next: XAxis {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }

    /// The unit under the loss chart's x-axis.
    var lossUnit: String {
        switch self {
        case .steps: "step"
        case .epochs: "epoch"
        case .seconds: "s"
        }
    }

    /// The unit under the accuracy chart's x-axis.
    var accuracyUnit: String { self == .seconds ? "s" : "epoch" }
}
