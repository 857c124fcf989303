import Foundation
import NN

/// A run record: a JSON Lines file with a `config` header per run (full configuration, dataset
/// checksum, seed), then `step`, `eval`, `hist` (activation histograms at each evaluation) and `event`
/// (every switch and fork: what, when, from → to) records, then a `summary`. Every record carries `t`,
/// seconds since the log was opened, so a replay can keep the original pace.
///
/// Lines are written whole and flushed at least once a second (`flushIfDue`) and on close, so a
/// killed run leaves everything up to the last flush readable; a torn last line is skipped by
/// `RunRecordReader`. Opening fails with a one-line error before any training starts. A write error
/// later (disk full) is kept in `failure` for the screen and stderr; training goes on, logging stops.
final class MetricsLog {
    let path: String
    /// The file, and the whole lines not written yet: they go out with one write(2) per flush, so
    /// the file only ever grows by whole records (a kill -9 cannot cut a line; a full disk can).
    private var fd: Int32 = -1
    private var pending: [UInt8] = []
    private(set) var failure: String?
    private let opened = MetricsLog.now()
    /// An old record is at `path`: empty it when the first new line goes out (see `init`).
    private var truncateBeforeFirstWrite = false
    private var lastFlush = MetricsLog.now()
    /// The record is standard output itself (`dlboard trial` without `--metrics-out`): never closed
    /// here, never truncated, and a reader gone from it is a stop (`StopSignal`), not a warning.
    private var isStandardOutput = false
    /// Record types whose lines also go to standard output, byte for byte as in the file, once the
    /// file has them (`dlboard trial --metrics-out`: a scheduler's progress stream). Empty: none.
    var echoedTypes: Set<RecordType> = []
    /// The echoed lines not on stdout yet, each with where it ends in `pending`: a line is echoed
    /// only once the file holds all of it, so stdout never carries a line the record lacks.
    private var echoPending: [(end: Int, line: [UInt8])] = []
    /// The echoed lines whose file write is done, waiting for stdout.
    private var echoReady: [UInt8] = []

    /// Opens the record at `path`. An existing file is overwritten only if it is empty or a record
    /// dlboard wrote (it starts with `{"type":"`, as every record does — a run's `config` header, a
    /// preset's `report`): `--metrics-out` pointed by mistake at a data file,
    /// a source file or anything else is refused before any of it is touched — checked on the opened
    /// file (by device and inode), so a symlink or hard link to the file is caught as well, whatever
    /// the file is called. An old record is only emptied when the first new line is written, so a
    /// command that fails its checks after opening (bad data, too little memory) leaves it whole.
    /// Write-only: opened for reading too, a FIFO would have dlboard as its own reader and a write to
    /// it could block for ever once the real reader left.
    /// `exclusive` (for `--save`): the file must not exist yet.
    init(path: String, exclusive: Bool = false, flag: String = "--metrics-out") throws(LogError) {
        self.path = path
        func failure(_ reason: String) -> LogError { LogError("\(flag): cannot write '\(path)': \(reason)") }
        let flags = O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : 0)
        let f = Glibc.open(path, O_WRONLY | flags, 0o644)
        guard f >= 0 else { throw failure(String(cString: strerror(errno))) }
        var info = stat()
        if fstat(f, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && info.st_size > 0 {
            let header = RecordEncoder.linePrefix
            var start = [UInt8](repeating: 0, count: header.count)
            var n = -1
            let r = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            var same = stat()
            if r >= 0 {
                if fstat(r, &same) == 0 && same.st_dev == info.st_dev && same.st_ino == info.st_ino {
                    n = pread(r, &start, start.count, 0)
                }
                Glibc.close(r)
            }
            guard n == start.count && start == header else {
                Glibc.close(f)
                throw failure(
                    n < 0
                        ? "it exists and cannot be read to check that it is a run record"
                        : "it exists and is not a run record (not overwriting it; remove it or pick another name)")
            }
            truncateBeforeFirstWrite = true
        }
        fd = f
        pending.reserveCapacity(1 << 16)
    }

    /// A record written to standard output (its `path` reads "standard output" in messages).
    private init(standardOutputOnly: Void) {
        path = "standard output"
        fd = STDOUT_FILENO
        isStandardOutput = true
        pending.reserveCapacity(1 << 16)
    }

    /// The record on standard output, whole (nothing else may print there).
    static func standardOutput() -> MetricsLog { MetricsLog(standardOutputOnly: ()) }

    /// A new record under `runs/<timestamp>-<name>/metrics.jsonl` (for `--save`). The folder is made
    /// with one mkdir that fails if it exists, then `-2`, `-3`, … are tried: runs started in the same
    /// second (several `--save` runs at once) each get their own folder, never a shared record.
    static func inRunsFolder(name: String, root: String = "runs", date: Date = Date()) throws(LogError) -> MetricsLog {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let slug = String(name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
        if let problem = Folders.create(root) {
            throw LogError("--save: cannot create a run folder in '\(root)': \(problem)")
        }
        let base = "\(root)/\(formatter.string(from: date))-\(slug)"
        var folder = base
        var n = 2
        while mkdir(folder, 0o755) != 0 {
            guard errno == EEXIST, n < 10_000 else {
                throw LogError("--save: cannot create '\(folder)': \(String(cString: strerror(errno)))")
            }
            folder = "\(base)-\(n)"
            n += 1
        }
        return try MetricsLog(path: folder + "/metrics.jsonl", exclusive: true, flag: "--save")
    }

    /// The log the flags ask for: `--metrics-out PATH`, `--save` (a new folder under runs/), or none.
    static func open(metricsOut: String?, save: Bool, name: String) throws(LogError) -> MetricsLog? {
        if let path = metricsOut { return try MetricsLog(path: path) }
        if save {
            // Said at once, on stderr (stdout is the run's table): the folder's name is only known now.
            let log = try inRunsFolder(name: name)
            Console.error("dlboard: saving the run record in \(RecordText.printable(log.path))")
            return log
        }
        return nil
    }

    deinit { close() }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Seconds since the log was opened, to the millisecond (the record's `t`).
    var elapsed: Double { ((Self.now() - opened) * 1000).rounded() / 1000 }

    func close() {
        guard fd >= 0 else { return }
        flush()
        if !isStandardOutput && Glibc.close(fd) != 0 { noteFailure() }
        fd = -1
    }

    /// Writes `bytes` to `descriptor`: how many bytes went out, and whether all did (on false,
    /// errno says why the rest did not).
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> (written: Int, complete: Bool) {
        var offset = 0
        return bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let n = Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return (offset, false) }
                offset += n
            }
            return (offset, true)
        }
    }

    /// The echoed lines the file holds, on stdout. A reader gone from stdout stops the process as
    /// it does every command (`StopSignal`: "stdout closed", 141).
    private func flushEcho() {
        guard !echoReady.isEmpty else { return }
        defer { echoReady.removeAll(keepingCapacity: true) }
        if !Self.writeAll(echoReady, to: STDOUT_FILENO).complete && errno == EPIPE {
            StopSignal.process.request(SIGPIPE)
        }
    }

    /// Moves the echoed lines that end within the first `written` bytes of `pending` to stdout's
    /// queue; the others are dropped with `pending` (the file never got them).
    private func releaseEcho(written: Int) {
        for entry in echoPending where entry.end <= written { echoReady.append(contentsOf: entry.line) }
        echoPending.removeAll(keepingCapacity: true)
    }

    func flush() {
        lastFlush = Self.now()
        defer { flushEcho() }
        var written = 0
        defer {
            releaseEcho(written: written)
            pending.removeAll(keepingCapacity: true)
        }
        guard fd >= 0, failure == nil, !pending.isEmpty else { return }
        if truncateBeforeFirstWrite {
            truncateBeforeFirstWrite = false
            guard ftruncate(fd, 0) == 0 else {
                noteFailure()
                return
            }
        }
        let result = Self.writeAll(pending, to: fd)
        written = result.written
        if !result.complete {
            let error = errno
            noteFailure()
            if isStandardOutput && error == EPIPE { StopSignal.process.request(SIGPIPE) }
        }
    }

    /// Flushes when the last flush is a second old or more.
    func flushIfDue() {
        if Self.now() - lastFlush >= 1 { flush() }
    }

    private var failureAnnounced = false

    /// Says on stderr, once, that the record stopped (headless runs call it as they go and at the end).
    func announceFailure() {
        guard let failure, !failureAnnounced else { return }
        failureAnnounced = true
        // The record was stdout and its reader is gone: that is the stop, said as such by the command.
        if isStandardOutput && StopSignal.process.stoppedBy == SIGPIPE { return }
        Console.error("dlboard: warning: \(failure); training goes on, metrics after that point are not saved")
    }

    private func noteFailure() {
        guard failure == nil else { return }
        failure = "writing '\(path)' failed: \(String(cString: strerror(errno)))"
    }

    // MARK: Records

    /// Writes one record (a complete line), encoded by the schema's `RecordEncoder`.
    func write<R: RecordLine>(_ record: R) {
        guard fd >= 0, failure == nil else { return }
        guard let line = try? RecordEncoder.line(record) else {
            // Cannot happen for the schema's types (their values are all JSON-encodable); said
            // like a write error rather than leaving a silent gap.
            failure = "encoding a \(R.type.rawValue) record for '\(path)' failed"
            return
        }
        pending.append(contentsOf: line.utf8)
        pending.append(0x0A)
        if echoedTypes.contains(R.type) { echoPending.append((pending.count, Array(line.utf8) + [0x0A])) }
        if pending.count >= 1 << 18 { flush() }
    }

    /// The header of a run: everything needed to run it again (config, seed, the data's checksum).
    /// A fork names its parent run and the step it was forked at.
    func writeConfig(
        _ config: TrainingConfig, dataset: Dataset, checksum: String, dataDirectory: String, run: Int? = nil,
        title: String? = nil, parent: Int? = nil, forkStep: Int? = nil
    ) {
        write(
            ConfigRecord(
                run: run, title: title, parent: parent, forkStep: parent.map { _ in forkStep ?? 0 }, t: elapsed,
                created: ISO8601DateFormatter().string(from: Date()), argv: CommandLine.arguments,
                dataset: dataset.name, datasetChecksum: checksum, dataDirectory: dataDirectory,
                trainSize: dataset.train.count, validationSize: dataset.validation?.count ?? 0,
                testSize: dataset.test.count, config: config))
    }

    func writeStep(step: Int, epoch: Int, loss: Double, run: Int? = nil) {
        write(StepRecord(run: run, step: step, epoch: epoch, t: elapsed, loss: loss))
    }

    /// An evaluation record, its `loss` the evaluation's mean loss (its activations are
    /// `writeHistograms`' records).
    func writeEval(_ e: SessionOutput.Evaluation, run: Int? = nil) {
        write(EvalRecord(run: run, t: elapsed, evaluation: e))
    }

    /// A user switch, fork, restart or divergence: the step before which it took effect, the
    /// marker label, and what changed from → to.
    func writeEvent(_ e: SessionOutput.Event, run: Int? = nil) {
        write(EventRecord(run: run, t: elapsed, event: e))
    }

    /// A population-based training exploit (see `ExploitRecord`).
    func writeExploit(_ e: Population.Exploit) {
        write(
            ExploitRecord(
                member: e.member, step: e.step, generation: e.generation, donor: e.donor, score: e.score,
                donorScore: e.donorScore, learningRateFrom: Double(e.learningRateFrom),
                learningRateTo: Double(e.learningRateTo), learningRateFactor: e.learningRateFactor,
                weightDecayFrom: Double(e.weightDecayFrom), weightDecayTo: Double(e.weightDecayTo),
                weightDecayFactor: e.weightDecayFactor, digest: e.digest.hex, donorDigest: e.donorDigest.hex,
                learningRateClamped: e.learningRateClamped, weightDecayClamped: e.weightDecayClamped))
    }

    /// One record per hidden layer: the histogram the dashboard draws, with its range and moments.
    func writeHistograms(_ stats: [ActivationStatistics], step: Int, run: Int? = nil) {
        let t = elapsed
        for (i, s) in stats.enumerated() {
            write(HistogramRecord(run: run, step: step, t: t, layer: i + 1, statistics: s))
        }
    }

    /// One record per Affine layer of a step's statistics, each with its `LayerVerdict`, one `t`.
    func writeLayers(_ sample: SessionOutput.LayerSample, run: Int? = nil) {
        let t = elapsed
        let verdicts = LayerVerdict.assess(sample.layers)
        for (i, s) in sample.layers.enumerated() {
            write(
                LayerRecord(run: run, step: sample.step, t: t, layer: i + 1, statistics: s, verdict: verdicts[i].name))
        }
    }

    /// A successive-halving rung's decision; its trials' numbers are their run ids. `kept`: the
    /// pruned runs that keep training to measure the regret.
    func writeRung(_ d: RungDecision, kept: [Int]) {
        write(
            RungRecord(
                rung: d.rung + 1, budget: d.budget, t: elapsed,
                ranked: d.ranked.map { .init(run: $0.trial, score: $0.score.isNaN ? nil : $0.score) },
                promoted: d.promoted, cutoff: d.cutoff, kept: kept))
    }

    /// The end of a run: its steps (and epochs, when known), wall seconds, last accuracies, and why
    /// it stopped (nil: reached its target or the user quit).
    func writeSummary(
        steps: Int, epochs: Int? = nil, seconds: Double, testAccuracy: Double?, validationAccuracy: Double?,
        stopReason: StopReason?, run: Int? = nil
    ) {
        write(
            SummaryRecord(
                run: run, t: elapsed, steps: steps, epochs: epochs, seconds: seconds, testAccuracy: testAccuracy,
                validationAccuracy: validationAccuracy, stopped: stopReason))
    }
}
