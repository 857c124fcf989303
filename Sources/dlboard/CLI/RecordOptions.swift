import ArgumentParser

/// Where the run record goes and how dense it is: shared by every command that trains.
struct RecordOptions: ParsableArguments {
    @Option(name: .customLong("metrics-out"), help: "Write JSON Lines metrics to this file.")
    var metricsOut: String?

    @Flag(help: "Keep a run record under runs/<timestamp>-<command>/metrics.jsonl (replay and export read it).")
    var save = false

    @Option(
        name: .customLong("log-every"), parsing: .unconditional,
        help: "Write a step record to --metrics-out every N steps.")
    var logEvery: Int = 1

    func validate() throws {
        if logEvery < 1 { throw ValidationError("--log-every: must be at least 1, got \(logEvery)") }
        if save && metricsOut != nil { throw ValidationError("--save and --metrics-out: give only one of them") }
    }

    /// Opens the record (before any work, so an unwritable path fails first); nil when none is wanted.
    /// `name` names the `--save` folder.
    func open(name: String) throws -> MetricsLog? {
        try MetricsLog.open(metricsOut: metricsOut, save: save, name: name)
    }
}
