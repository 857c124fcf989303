/// Why a run stopped before its target, as its `summary` record says (`"stopped"`; null when it
/// reached its target or the user quit). The raw values are the record's strings.
///
/// A reason this dlboard does not know (written by a later version) reads as no reason: the summary
/// still counts (the run ended), only why is not shown.
enum StopReason: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// The loss became NaN or infinite.
    case diverged
    /// A stop signal: Ctrl-C, SIGTERM, SIGHUP, SIGQUIT.
    case interrupted
    /// Standard output's reader went away (`| head -1`).
    case stdoutClosed = "stdout closed"
    /// A search's scheduler stopped the trial early (successive halving's rung cutoff).
    case pruned
    /// `dlboard trial` asked to stop by its scheduler (SIGTERM, or end of input under `--paced`).
    case terminated

    /// The record's text, as `replay --headless` prints it.
    var description: String { rawValue }
}
