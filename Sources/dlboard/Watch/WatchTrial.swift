import Foundation
import TUI

/// One trial as `dlboard watch` shows it: one run of a dlboard record, or one Ray Tune trial's
/// `result.json`. Its curves are kept per metric name, each point at the trial's epoch (dlboard)
/// or training iteration (Ray).
struct WatchTrial: Equatable {
    enum Source: Equatable {
        case record
        case ray
    }

    /// Where a trial is: training, or ended and why (a summary's stop reason, Ray's `done`).
    enum State: Equatable, CustomStringConvertible {
        case running
        case finished
        case stopped(StopReason)

        var description: String {
            switch self {
            case .running: "running"
            case .finished: "finished"
            case .stopped(let r): r.description
            }
        }
    }

    var name: String
    /// Ray's id of the trial (`trial_id`), nil for a dlboard record.
    var trialID: String?
    var path: String
    var source: Source
    /// The run's id within its record (a dlboard record may hold several runs).
    var run: Int = 0
    var learningRate: Double?
    var weightDecay: Double?
    /// Metric name → its values in order, x = epoch or iteration.
    var curves: [String: [ChartPoint]] = [:]
    /// The epochs (dlboard) or training iterations (Ray) reported so far.
    var progress = 0
    var state = State.running

    /// The name as the screen's narrow columns show it: a Ray folder's name
    /// (`trainable_1a2b3_00000_0_lr=…,weight_decay=…_date`) by its trial id, any other long name cut.
    var shortName: String {
        guard name.count > Self.shortLength else { return name }
        if let id = trialID, name.contains(id) { return id }
        return String(name.prefix(Self.shortLength - 1)) + "…"
    }

    static let shortLength = 24

    var isDone: Bool { state != .running }
    /// "ep" for a dlboard record's epochs, "it" for Ray's training iterations.
    var progressUnit: String { source == .record ? "ep" : "it" }

    /// The most points one curve keeps: far more epochs than any trial runs, a bound on memory
    /// for a crafted file that reports millions of iterations.
    static let pointLimit = 100_000

    mutating func add(_ metric: String, x: Double, y: Double) {
        var points = curves[metric, default: []]
        if points.count >= Self.pointLimit { points.removeFirst(points.count - Self.pointLimit + 1) }
        points.append(ChartPoint(x: x, y: y))
        curves[metric] = points
    }

    /// The best value of `metric` so far, and its latest.
    func best(_ metric: String, mode: WatchMetric.Mode) -> Double? {
        guard let points = curves[metric], !points.isEmpty else { return nil }
        let ys = points.map(\.y)
        return mode == .max ? ys.max() : ys.min()
    }

    func last(_ metric: String) -> Double? { curves[metric]?.last?.y }
}
