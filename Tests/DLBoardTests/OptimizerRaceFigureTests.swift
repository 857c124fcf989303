import Foundation
import Testing

/// The book's figure 6-9, at full length: with the loss recorded as the book's script records it
/// (batch i after update i, inference mode), AdaGrad is lowest at most of the checkpoints
/// 100/500/1000/1500/1900, seed after seed.
///
/// 2,000 iterations of four 784-100×4-10 networks on the full training set take about 100 s in a
/// debug build on two cores, a few times less in a release build. So the test runs the release
/// binary over seeds 0, 1, 2 when one is built from these sources (its preset list matches the debug
/// binary's), and otherwise seed 0 alone on the debug binary.
@Suite(.serialized, .longTraining) struct OptimizerRaceFigureTests {
    /// The release executable next to the debug one, if it is there and knows the same presets.
    static var releaseBinary: String? {
        let debug = BinaryRunner.executable
        let release = debug.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("release/dlboard").path
        // Built after the debug binary, so it is not an older build of other sources that happens to
        // list the same presets.
        func modified(_ path: String) -> Date? {
            (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        }
        guard debug.path != release, FileManager.default.isExecutableFile(atPath: release),
            let built = modified(release), let debugBuilt = modified(debug.path), built >= debugBuilt,
            let mine = try? BinaryRunner.run(["preset", "--list"]),
            let theirs = try? Subprocess.run(
                release, ["preset", "--list"], environment: ProcessInfo.processInfo.environment, timeout: 30),
            mine.stdout == theirs.stdout
        else { return nil }
        return release
    }

    /// The checkpoint table's `lowest` row, and each run's window means recomputed from the record.
    static func race(seed: Int, binary: String?) throws -> (lowest: [String], means: [String: [Double]]) {
        let log = NSTemporaryDirectory() + "dlboard-race-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let args = [
            "preset", "optimizer-race", "--headless", "--seed", "\(seed)", "--test-size", "500", "--metrics-out", log,
        ]
        let r =
            try binary.map {
                try Subprocess.run($0, args, environment: ProcessInfo.processInfo.environment, timeout: 900)
            }
            ?? BinaryRunner.run(args, timeout: 900)
        #expect(r.status == 0 && !r.crashed, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("loss at the checkpoints, the mean of the 20 iterations") })
        #expect(
            lines.contains { $0.hasPrefix("  iteration") && $0.hasSuffix("100      500     1000     1500     1900") })
        let lowest = (lines.first { $0.hasPrefix("  lowest") } ?? "").dropFirst("  lowest".count)
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        // The record's step losses give the same windows (iterations c-19 … c).
        var titles: [Int: String] = [:]
        var losses: [Int: [Double]] = [:]
        for rec in try CompareCommandTests.records(log) {
            guard let run = rec["run"] as? Int else { continue }
            switch rec["type"] as? String {
            case "config": titles[run] = rec["title"] as? String
            case "step": losses[run, default: []].append(rec["loss"] as? Double ?? .nan)
            default: break
            }
        }
        var means: [String: [Double]] = [:]
        for (run, l) in losses {
            #expect(l.count == 2000)
            means[titles[run] ?? "?"] = [100, 500, 1000, 1500, 1900].map { c in
                l[(c - 20)..<c].reduce(0, +) / 20
            }
        }
        return (lowest, means)
    }

    @Test func adaGradIsLowestAtMostCheckpoints() throws {
        let release = Self.releaseBinary
        for seed in release == nil ? [0] : [0, 1, 2] {
            let (lowest, means) = try Self.race(seed: seed, binary: release)
            #expect(lowest.count == 5, "\(lowest)")
            let recomputed = (0..<5).map { k in means.min { $0.value[k] < $1.value[k] }?.key ?? "" }
            #expect(lowest == recomputed, "the report's lowest row agrees with the record, seed \(seed)")
            #expect(lowest.filter { $0 == "AdaGrad" }.count >= 3, "seed \(seed): \(lowest) \(means)")
        }
    }
}
