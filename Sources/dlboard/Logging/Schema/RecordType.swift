/// The `type` of a run-record line, the first field of every line. One record type per case, each
/// defined in its own file (`ConfigRecord`, `StepRecord`, …).
enum RecordType: String, Codable, Sendable, CaseIterable {
    /// A run's header: its configuration, seed, data (`ConfigRecord`).
    case config
    /// One training step's loss (`StepRecord`).
    case step
    /// An evaluation: accuracies, throughput (`EvalRecord`).
    case eval
    /// One hidden layer's activation histogram at an evaluation (`HistogramRecord`).
    case hist
    /// One Affine layer's backward signal, weights, gradient and update at a step (`LayerRecord`).
    case layer
    /// A switch, fork, restart or divergence (`EventRecord`).
    case event
    /// The end of a run (`SummaryRecord`).
    case summary
    /// A random-search trial's sampled hyperparameters (`TrialRecord`).
    case trial
    /// A line of an experiment's printed report (`ReportRecord`).
    case report
    /// A successive-halving rung decision (`RungRecord`).
    case rung
    /// A successive-halving search's budget, best results and pruning regret (`HalvingRecord`).
    case halving
    /// A population-based training member taking over a donor's state (`ExploitRecord`).
    case exploit
}
