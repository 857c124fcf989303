import ArgumentParser
import Foundation
import NN

/// The flags of the search presets (`random-search`, `grid-vs-random`, `successive-halving`,
/// `population`): the space trials are drawn from, and the schedulers' own settings. Each preset
/// reads the ones it uses; `PresetCommand.validate` refuses the others.
struct SearchOptions: ParsableArguments {
    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp(
            "The search space, knob=scale:bounds words: lr=log:-4,0 wd=log:-8,-4 beta=one-minus-log:-3,-1 batch=choice:32,64,128 layers=int:2,4 units=int:50,100 dropout=uniform:0,0.5 activation=choice:relu,tanh optimizer=choice:sgd,adam (default: the book's E9, lr=log:-6,-2 wd=log:-8,-4). grid-vs-random takes exactly two numeric knobs, the first the one that matters (default lr=log:-4,0 wd=log:-8,-5).",
            valueName: "knob=scale:bounds"))
    var space: [String] = []

    @Option(
        name: .customLong("space-file"),
        help: "A file of knob=scale:bounds words (one or more per line, # starts a comment) instead of --space.")
    var spaceFile: String?

    @Option(
        parsing: .unconditional,
        help: "successive-halving: the promotion factor η; the best ⌊n/η⌋ of a rung go on (--trials 27 by default).")
    var eta: Int = 3

    @Option(
        name: .customLong("min-epochs"), parsing: .unconditional,
        help: "successive-halving: epochs of the first rung; rungs at min·η^k up to --epochs (default 9).")
    var minEpochs: Int = 1

    @Option(
        name: .customLong("keep-pruned"), parsing: .unconditional,
        help:
            "successive-halving: keep this many pruned trials (drawn uniformly from all the ladder prunes, seeded) training to the end, to measure the pruning regret."
    )
    var keepPruned: Int = 0

    @Option(parsing: .unconditional, help: "population: members training in lock-step (4–8).")
    var members: Int = 8

    @Option(
        name: .customLong("exploit-every"), parsing: .unconditional,
        help: "population: steps between generations (default: each evaluation, at every epoch's end).")
    var exploitEvery: Int?

    @Option(parsing: .unconditional, help: "population: the share of members that exploit a top one (0–0.5].")
    var quantile: Double = 0.25

    @Option(
        parsing: .unconditional,
        help: "population: the chance that explore draws a knob afresh from the space instead of ×0.8 / ×1.2.")
    var resample: Double = 0

    @Option(
        name: .customLong("check-record"),
        help:
            "population: check a record instead of training: re-train its best member's schedule as one run and compare its losses with the recorded ones, bit for bit."
    )
    var checkRecord: String?

    /// Whether any flag here was given a value other than its default (for the presets that take none).
    var givenFlags: [String] {
        var flags: [String] = []
        if !space.isEmpty { flags.append("--space") }
        if spaceFile != nil { flags.append("--space-file") }
        if eta != 3 { flags.append("--eta") }
        if minEpochs != 1 { flags.append("--min-epochs") }
        if keepPruned != 0 { flags.append("--keep-pruned") }
        if members != 8 { flags.append("--members") }
        if exploitEvery != nil { flags.append("--exploit-every") }
        if quantile != 0.25 { flags.append("--quantile") }
        if resample != 0 { flags.append("--resample") }
        if checkRecord != nil { flags.append("--check-record") }
        return flags
    }

    /// The space from `--space` or `--space-file`, nil when neither is given. Errors are one line
    /// naming the flag (and the file) and the entry.
    func givenSpace() throws -> SearchSpace? {
        if !space.isEmpty && spaceFile != nil {
            throw ValidationError("--space and --space-file: give the space one way, not both")
        }
        if !space.isEmpty {
            do { return try SearchSpace(parsing: space) } catch { throw ValidationError("--space: \(error)") }
        }
        guard let path = spaceFile else { return nil }
        // A spec file is a few lines: anything past a megabyte is not one.
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ValidationError("--space-file: cannot read '\(path)'")
        }
        defer { try? handle.close() }
        // A directory opens but does not read: that is the error to name, not an empty space.
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ValidationError("--space-file: '\(path)' is a directory, not a file of knob=scale:bounds words")
        }
        let data: Data
        do { data = try handle.read(upToCount: 1 << 20 + 1) ?? Data() } catch {
            throw ValidationError("--space-file: cannot read '\(path)'")
        }
        guard data.count <= 1 << 20 else {
            throw ValidationError("--space-file: '\(path)' is over 1 MiB; a space is a few knob=scale:bounds words")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("--space-file: '\(path)' is not UTF-8 text")
        }
        do { return try SearchSpace(specText: text) } catch { throw ValidationError("--space-file: \(path): \(error)") }
    }

    /// The schedulers' settings checked on their own (the presets check what they combine).
    func validateSettings() throws {
        if eta < 2 { throw ValidationError("--eta: must be at least 2, got \(eta)") }
        if minEpochs < 1 { throw ValidationError("--min-epochs: must be at least 1, got \(minEpochs)") }
        if keepPruned < 0 { throw ValidationError("--keep-pruned: must be at least 0, got \(keepPruned)") }
        if members < 4 || members > 8 {
            throw ValidationError("--members: a population has 4–8 members, got \(members)")
        }
        if let k = exploitEvery, k < 1 { throw ValidationError("--exploit-every: must be at least 1 step, got \(k)") }
        if !(quantile > 0 && quantile <= 0.5) {
            throw ValidationError("--quantile: must be in (0, 0.5], got \(quantile)")
        }
        if !(resample >= 0 && resample <= 1) { throw ValidationError("--resample: must be in [0, 1], got \(resample)") }
    }
}
