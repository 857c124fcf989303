import Foundation
import NN

/// The headless output of a training preset: the lock-step lines of any comparison, then the
/// preset's verdict block (`PresetVerdict`), computed from the runs' losses and evaluations.
struct PresetReport: HeadlessReport {
    var lines: LockStepLines
    let verdict: PresetVerdict

    /// What the verdicts need of each evaluation.
    struct Point {
        var step: Int
        var epoch: Int
        var trainAccuracy: Double
        /// Training seconds up to this evaluation (evaluations left out).
        var seconds: Double
        var learningRate: Float?
    }

    private(set) var titles: [String] = []
    private(set) var configs: [TrainingConfig] = []
    private(set) var trainCount = 0
    private(set) var points: [[Point]] = []

    init(sessionName: String, verdict: PresetVerdict) {
        lines = LockStepLines(sessionName: sessionName)
        self.verdict = verdict
    }

    mutating func begin(titles: [String], statuses: [SessionOutput.Status], dataset: Dataset, dataDirectory: String) {
        lines.begin(titles: titles, statuses: statuses, dataset: dataset, dataDirectory: dataDirectory)
        self.titles = titles
        configs = statuses.map(\.config)
        trainCount = dataset.train.count
        points = titles.map { _ in [] }
    }

    mutating func evaluation(run i: Int, title: String, _ e: SessionOutput.Evaluation) {
        lines.evaluation(run: i, title: title, e)
        guard points.indices.contains(i) else { return }
        let seconds = (points[i].last?.seconds ?? 0) + e.trainSeconds
        points[i].append(
            Point(
                step: e.step, epoch: e.epoch, trainAccuracy: e.trainAccuracy, seconds: seconds,
                learningRate: e.learningRate))
    }

    mutating func diverged(run i: Int, title: String, status: SessionOutput.Status) {
        lines.diverged(run: i, title: title, status: status)
    }

    func end(_ ending: HeadlessSession.Ending) {
        lines.end(ending)
        for line in verdictLines(ending.results) { Console.say(line) }
    }

    /// The verdict block for `results` (in run order).
    func verdictLines(_ results: [HeadlessSession.RunResult]) -> [String] {
        let width = max(12, (titles.map(\.count).max() ?? 0) + 2)
        func name(_ i: Int) -> String { titles[i].padding(toLength: width, withPad: " ", startingAt: 0) }
        switch verdict {
        case .lossCheckpoints:
            return lossCheckpointLines(results, name: name)
        case .timeToAccuracy(let target):
            return timeToAccuracyLines(target: target, name: name)
        case .learningRates:
            return learningRateLines(results, name: name)
        case .accuracyByEpoch:
            var out = ["train accuracy by epoch:"]
            for i in titles.indices {
                out.append("  " + name(i) + points[i].map { String(format: " %.4f", $0.trainAccuracy) }.joined())
            }
            return out
        }
    }

    private func lossCheckpointLines(_ results: [HeadlessSession.RunResult], name: (Int) -> String) -> [String] {
        // The longest run sets the checkpoints: a run that diverged early shows – where it has no window.
        let steps = results.map(\.lossCount).max() ?? 0
        guard steps > 0, !titles.isEmpty else { return [] }
        let recording = configs.first?.lossRecording ?? .preUpdate
        let points = PresetVerdict.checkpoints(forSteps: steps)
        let window = min(PresetVerdict.window, steps)
        var out = [
            "loss at the checkpoints, the mean of the \(window) iterations up to each (\(recording.label)):",
            "  " + "iteration".padding(toLength: name(0).count, withPad: " ", startingAt: 0)
                + points.map { String(format: " %8d", $0) }.joined(),
        ]
        var lowest: [Int?] = points.map { _ in nil }
        var best: [Double] = points.map { _ in .infinity }
        for (i, r) in results.enumerated() where i < titles.count {
            var line = "  " + name(i)
            for (k, c) in points.enumerated() {
                guard let m = PresetVerdict.windowMean(r.losses, count: r.lossCount, at: c, window: window) else {
                    line += "        –"
                    continue
                }
                line += String(format: " %8.4f", m)
                if m < best[k] {
                    best[k] = m
                    lowest[k] = i
                }
            }
            out.append(line)
        }
        out.append(
            "  " + "lowest".padding(toLength: name(0).count, withPad: " ", startingAt: 0)
                + lowest.map { " " + ($0.map { titles[$0] } ?? "–") }.joined(separator: ","))
        return out
    }

    private func timeToAccuracyLines(target: Double, name: (Int) -> String) -> [String] {
        var out = [
            String(
                format:
                    "to train accuracy %.2f (first evaluation at or above it; seconds of training, evaluations left out):",
                target)
        ]
        var reached: [(run: Int, point: Point)] = []
        for i in titles.indices {
            let batch = configs.indices.contains(i) ? configs[i].batchSize : 0
            if let p = points[i].first(where: { $0.trainAccuracy >= target }) {
                reached.append((i, p))
                out.append(
                    "  " + name(i)
                        + String(
                            format: "epoch %4d  steps %7d  samples %8d  %8.2f s", p.epoch, p.step, p.step * batch,
                            p.seconds))
            } else {
                let last = points[i].last
                out.append(
                    "  " + name(i)
                        + String(
                            format: "not reached in %d epochs (%d steps, %.2f s; train %.4f)", last?.epoch ?? 0,
                            last?.step ?? 0, last?.seconds ?? 0, last?.trainAccuracy ?? 0))
            }
        }
        func fewest(_ label: String, _ key: (Int, Point) -> Double) -> String {
            guard let r = reached.min(by: { key($0.run, $0.point) < key($1.run, $1.point) }) else {
                return "  fewest \(label): none reached it"
            }
            return "  fewest \(label): \(titles[r.run])"
        }
        out.append(fewest("epochs", { Double($1.step * (configs.indices.contains($0) ? configs[$0].batchSize : 0)) }))
        out.append(fewest("steps", { Double($1.step) }))
        out.append(fewest("seconds", { $1.seconds }))
        return out
    }

    private func learningRateLines(_ results: [HeadlessSession.RunResult], name: (Int) -> String) -> [String] {
        var out = ["learning rate by epoch, and the loss over the last epoch (mean ± standard deviation):"]
        for (i, r) in results.enumerated() where i < titles.count {
            let rates = points[i].map { $0.learningRate.map { String(format: " %.3g", $0) } ?? " –" }.joined()
            let perEpoch = max(1, trainCount / max(1, configs.indices.contains(i) ? configs[i].batchSize : 1))
            let last = r.losses.suffix(perEpoch).map(Double.init).filter(\.isFinite)
            var spread = ""
            if !last.isEmpty {
                let mean = last.reduce(0, +) / Double(last.count)
                let sd = (last.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(last.count)).squareRoot()
                spread = String(format: "  last epoch loss %.4f ± %.4f", mean, sd)
            }
            out.append("  " + name(i) + rates.dropFirst() + spread)
        }
        return out
    }
}
