import NN

/// What a headless session prints, line by line, as its runs train: a header once the trainers
/// exist, a line per evaluation, a line when a run diverges, and the ending. `HeadlessSession`
/// drives it; the run record is written beside it, the same whatever the format.
protocol HeadlessReport {
    /// The trainers' first statuses, in run order (their configurations fitted to the data).
    mutating func begin(
        titles: [String], statuses: [SessionOutput.Status], dataset: Dataset, dataDirectory: String)
    mutating func evaluation(run: Int, title: String, _ evaluation: SessionOutput.Evaluation)
    mutating func diverged(run: Int, title: String, status: SessionOutput.Status)
    func end(_ ending: HeadlessSession.Ending)
}
