import NN

/// A search's trials in the run record, as they train: each trial a run of its own — its `config`
/// header (its title naming its round and values), its `trial` record (round, lr, weight decay and
/// every knob the space gave it), its `eval`s — and at the end a `summary` per trial. A trial the
/// engine refused never trained and is left out: its configuration would not replay.
struct RandomSearchRecorder {
    let log: MetricsLog?
    let base: TrainingConfig
    let dataset: Dataset
    let checksum: String
    let directory: String
    /// What a trial's title calls its round: E9's "round 2", grid-vs-random's "grid".
    let roundName: (Int) -> String
    /// Epochs logged so far per trial id.
    private(set) var logged: [Int: Int] = [:]

    init(
        log: MetricsLog?, search: RandomSearch, directory: String,
        roundName: @escaping (Int) -> String = { "round \($0)" }
    ) {
        self.log = log
        base = search.base
        dataset = search.dataset
        checksum = log == nil ? "" : search.dataset.checksum()
        self.directory = directory
        self.roundName = roundName
    }

    /// Writes each trial's new epochs (its header and trial record first).
    mutating func record(_ s: RandomSearch.Snapshot, space: SearchSpace) {
        guard let log else { return }
        for t in s.trials where t.refusal == nil {
            let already = logged[t.id] ?? -1
            if already < 0 {
                log.writeConfig(
                    t.config, dataset: dataset, checksum: checksum, dataDirectory: directory, run: t.id,
                    title: "trial \(t.id + 1) (\(roundName(t.round))) " + space.valuesText(t.point))
                log.write(
                    TrialRecord(
                        run: t.id, round: t.round, learningRate: Double(t.learningRate),
                        weightDecay: Double(t.weightDecay), values: t.point))
            }
            // The trial's own evaluations, as its driver measured them: mean loss, time, samples/s.
            for e in t.evaluations.dropFirst(max(0, already)) { log.writeEval(e, run: t.id) }
            logged[t.id] = t.evaluations.count
        }
    }

    /// A `summary` record per trial (as every run of a session gets one), then the log is closed:
    /// its last evaluation, and why it stopped — diverged, or the search's own stop reason for a
    /// trial cut short (nil: it finished, or the user quit).
    func finish(_ s: RandomSearch.Snapshot, stopReason: StopReason?) {
        guard let log else { return }
        for t in s.trials where t.refusal == nil {
            let last = t.evaluations.last
            log.writeSummary(
                steps: last?.step ?? 0, epochs: t.evaluations.count,
                seconds: t.evaluations.reduce(0) { $0 + $1.trainSeconds }, testAccuracy: nil,
                validationAccuracy: last?.validationAccuracy,
                stopReason: t.diverged ? .diverged : (t.done ? nil : stopReason), run: t.id)
        }
        log.close()
    }
}
