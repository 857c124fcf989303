import Foundation
import TUI

/// The trials ranked by a metric, best first (trials without a value of it last, by name), and
/// the leaderboard's text lines: what `--headless` prints and what the screen's table shows.
struct WatchBoard {
    struct Row: Equatable {
        var trial: WatchTrial
        var best: Double?
        var last: Double?
    }

    let metric: WatchMetric
    let rows: [Row]

    init(_ trials: [WatchTrial], metric: WatchMetric) {
        self.metric = metric
        let rows = trials.map {
            Row(trial: $0, best: $0.best(metric.name, mode: metric.mode), last: $0.last(metric.name))
        }
        self.rows = rows.sorted { a, b in
            switch (a.best, b.best) {
            case (let x?, let y?) where x != y: return metric.isBetter(x, than: y)
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a.trial.name < b.trial.name
            }
        }
    }

    /// A value as the table prints it: accuracies and losses with 4 decimals, large ones shorter.
    static func value(_ v: Double?) -> String {
        guard let v else { return "–" }
        return Swift.abs(v) >= 1000 ? String(format: "%.4g", v) : String(format: "%.4f", v)
    }

    /// A rate or decay: `1.0e-02`, `0`.
    static func rate(_ v: Double?) -> String {
        guard let v else { return "–" }
        return v == 0 ? "0" : String(format: "%.1e", v)
    }

    /// The header and one line per trial, columns aligned: rank, name, epochs or iterations, the
    /// metric's best and last, lr, weight decay, state.
    /// `short`: names as `WatchTrial.shortName` (the screen's table).
    func lines(short: Bool = false) -> [String] {
        let names = rows.map { short ? $0.trial.shortName : $0.trial.name }
        let nameWidth = max(5, names.map(\.count).max() ?? 0)
        let valueWidth = max(6, metric.name.count + 5)
        func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: max(n, s.count), withPad: " ", startingAt: 0) }
        func left(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        let header =
            left("#", 3) + "  " + pad("trial", nameWidth) + "  " + left("ep/it", 6) + "  "
            + left(metric.name + " best", valueWidth) + "  " + left("last", 7) + "       lr       wd  state"
        return [header]
            + rows.enumerated().map { i, r in
                left("\(i + 1)", 3) + "  " + pad(names[i], nameWidth) + "  "
                    + left("\(r.trial.progressUnit) \(r.trial.progress)", 6) + "  "
                    + left(Self.value(r.best), valueWidth)
                    + "  " + left(Self.value(r.last), 7) + "  " + left(Self.rate(r.trial.learningRate), 7) + "  "
                    + left(Self.rate(r.trial.weightDecay), 7) + "  " + r.trial.state.description
            }
    }

    /// The one-line count above the table: trials, how many ended, the metric and its direction.
    func summary(skipped: Int) -> String {
        let done = rows.filter(\.trial.isDone).count
        return
            "\(rows.count) trial\(rows.count == 1 ? "" : "s"), \(done) done · ranked by \(metric.name) (\(metric.mode.rawValue))"
            + (skipped > 0 ? " · \(skipped) unreadable line\(skipped == 1 ? "" : "s") skipped" : "")
    }
}

extension WatchBoard {
    /// A row's colour: for an accuracy, the search screens' scale of its best value; for any other
    /// metric, its rank (the best third green, the middle yellow, the rest orange); grey while it
    /// has no value.
    func color(of index: Int) -> Color {
        let row = rows[index]
        guard let best = row.best else { return .palette(244) }
        if metric.mode == .max && metric.name.lowercased().contains("acc") {
            return RandomSearchScreen.accuracyColor(best)
        }
        let ranked = rows.filter { $0.best != nil }.count
        let third = Double(index) / Double(max(1, ranked))
        return third < 1.0 / 3 ? .green : third < 2.0 / 3 ? .yellow : .palette(208)
    }
}
