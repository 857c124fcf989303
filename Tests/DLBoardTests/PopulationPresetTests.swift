import Foundation
import NN
import Testing

@testable import dlboard

/// `preset population --headless` through the built binary, judged from the record it wrote: every
/// exploit copied the donor's state (equal digests) and explored from the donor's hyperparameters
/// by the recorded factor, and the best member's schedule, rebuilt from the records alone and
/// re-trained as one run (`--check-record`), gives the recorded losses bit for bit.
@Suite(.serialized) struct PopulationPresetTests {
    static let arguments = ["--members", "4", "--epochs", "5", "--train-size", "500", "--seed", "2"]

    struct Written {
        var stdout: String
        var record: RunRecord
        var exploits: [ExploitRecord]
        var trials: [TrialRecord]
        var reports: [String]
        var path: String
    }

    static func run(_ extra: [String] = []) throws -> Written {
        let path = NSTemporaryDirectory() + "dlboard-population-\(UUID().uuidString).jsonl"
        let r = try BinaryRunner.run(
            ["preset", "population", "--headless", "--metrics-out", path, "--data", DataLocator.bundledMNIST()]
                + arguments + extra, timeout: 300)
        #expect(r.status == 0 && !r.crashed, "\(r.stdout)\n\(r.stderr)")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let decoded = try lines.map { try JSONDecoder().decode(DecodedRecord.self, from: Data($0.utf8)) }
        var w = Written(
            stdout: r.stdout, record: try RunRecordReader.read(path: path), exploits: [], trials: [], reports: [],
            path: path)
        for d in decoded {
            switch d {
            case .exploit(let e): w.exploits.append(e)
            case .trial(let t): w.trials.append(t)
            case .report(let l): w.reports.append(l.line)
            default: break
            }
        }
        return w
    }

    /// A run's lr (or weight decay) in force after `step`: its header's, then its events up to that step.
    static func value(_ kind: EventKind, of run: RunRecord.RecordedRun, atStep step: Int) -> Float {
        var v = kind == .learningRate ? run.config.effectiveLearningRate : run.config.network.weightDecay
        for e in run.events where e.event.kind == kind && e.event.step <= step {
            if let to = e.event.to.flatMap(Float.init) { v = to }
        }
        return v
    }

    @Test func everyExploitInTheRecordCopiedTheDonorAndExploredByItsFactor() throws {
        let w = try Self.run()
        defer { try? FileManager.default.removeItem(atPath: w.path) }
        let runs = w.record.runs
        #expect(runs.count == 4 && runs.allSatisfy { $0.steps.count == 20 && $0.evaluations.count == 5 })
        #expect(runs.allSatisfy { $0.config.seed == 2 && $0.config.network.normalization == .batch })
        #expect(Set(runs.map(\.config.effectiveLearningRate)).count == 4, "each member its own lr")
        #expect(w.trials.map(\.run) == [0, 1, 2, 3] && w.trials.allSatisfy { $0.values.count == 2 })
        // The values recorded are the ones each member trained with, not the unrounded draw.
        for t in w.trials {
            #expect(t.values[.learningRate] == .number(t.learningRate), "\(t)")
            #expect(t.values[.weightDecay] == .number(t.weightDecay), "\(t)")
            #expect(Float(t.learningRate) == runs[t.run ?? -1].config.effectiveLearningRate)
        }
        // Generations at the ends of epochs 1–4, one exploit each (4 members, quantile 0.25).
        #expect(w.exploits.map(\.step) == [4, 8, 12, 16] && w.exploits.map(\.generation) == [1, 2, 3, 4])
        for e in w.exploits {
            #expect(e.digest.count == 16 && e.digest == e.donorDigest, "step \(e.step): m\(e.member) = m\(e.donor)")
            let donor = runs[e.donor]
            let member = runs[e.member]
            #expect(Float(e.learningRateFrom) == Self.value(.learningRate, of: donor, atStep: e.step))
            #expect(Float(e.weightDecayFrom) == Self.value(.weightDecay, of: donor, atStep: e.step))
            let f = try #require(e.learningRateFactor)
            let g = try #require(e.weightDecayFactor)
            Self.expectExplored(e.learningRateFrom, f, e.learningRateTo, clamped: e.learningRateClamped, to: -3...0)
            Self.expectExplored(e.weightDecayFrom, g, e.weightDecayTo, clamped: e.weightDecayClamped, to: -6...(-2))
            #expect(Self.value(.learningRate, of: member, atStep: e.step) == Float(e.learningRateTo))
            #expect(Self.value(.weightDecay, of: member, atStep: e.step) == Float(e.weightDecayTo))
            let kinds = member.events.filter { $0.event.step == e.step }.map(\.event.kind)
            #expect(kinds == [.exploit, .learningRate, .weightDecay])
            #expect(e.score <= e.donorScore)
            // The scores are the evaluations at that step.
            #expect(member.evaluations.first { $0.evaluation.step == e.step }?.evaluation.validationAccuracy == e.score)
        }
        #expect(w.stdout.contains("replayed as one run: 20 steps, losses bit-identical"), "\(w.stdout)")
        #expect(w.reports.last == w.stdout.split(separator: "\n").last.map(String.init))
        #expect(w.stdout.contains("schedule of the best member m"))

        // The record replays and exports.
        let replay = try BinaryRunner.run(["replay", w.path, "--headless"])
        #expect(replay.status == 0 && !replay.crashed && replay.stdout.contains("4 run(s)"), "\(replay.stderr)")
        let csv = NSTemporaryDirectory() + "dlboard-population-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: csv) }
        let export = try BinaryRunner.run(["export", w.path, "--csv", csv])
        #expect(export.status == 0 && !export.crashed, "\(export.stderr)")
    }

    /// New = donor's × factor, unless the record says that left the space (exponents `bounds`):
    /// then it is the bound it passed.
    static func expectExplored(
        _ from: Double, _ factor: Double, _ to: Double, clamped: Bool, to bounds: ClosedRange<Double>,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let (low, high) = (pow(10, bounds.lowerBound), pow(10, bounds.upperBound))
        let explored = from * factor
        if clamped {
            let edge = explored > high ? high : low
            #expect(!(low...high).contains(explored), sourceLocation: sourceLocation)
            #expect(Float(to) == Float(edge), "\(from) × \(factor) → \(to)", sourceLocation: sourceLocation)
        } else {
            #expect(Float(explored) == Float(to), "\(from) × \(factor) → \(to)", sourceLocation: sourceLocation)
        }
    }

    /// A space so narrow that ×0.8 or ×1.2 of any member's values leaves it: every explore is set
    /// to the bound it passed, the record says so, and the schedule still re-trains bit for bit.
    @Test func exploreIsClampedToTheSpaceAndTheRecordSaysSo() throws {
        let w = try Self.run(["--space", "lr=log:-2,-1.9", "wd=log:-6,-5.9"])
        defer { try? FileManager.default.removeItem(atPath: w.path) }
        #expect(w.exploits.count == 4)
        for e in w.exploits {
            #expect(e.learningRateClamped && e.weightDecayClamped, "\(e)")
            Self.expectExplored(
                e.learningRateFrom, try #require(e.learningRateFactor), e.learningRateTo,
                clamped: e.learningRateClamped, to: -2...(-1.9))
            Self.expectExplored(
                e.weightDecayFrom, try #require(e.weightDecayFactor), e.weightDecayTo,
                clamped: e.weightDecayClamped, to: -6...(-5.9))
        }
        #expect(w.stdout.contains(", clamped"), "\(w.stdout)")
        let check = try BinaryRunner.run(["preset", "population", "--check-record", w.path], timeout: 120)
        #expect(check.status == 0 && check.stdout.contains("losses bit-identical"), "\(check.stdout)\n\(check.stderr)")
    }

    /// Records `--check-record` must refuse at once, in one line, rather than train on them: a
    /// step far past its header's plan, a missing step, no exploits, members of different seeds.
    @Test func aCraftedRecordIsRefusedInOneLineWithoutTraining() throws {
        let w = try Self.run()
        defer { try? FileManager.default.removeItem(atPath: w.path) }
        let lines = try String(contentsOfFile: w.path, encoding: .utf8).split(separator: "\n").map(String.init)
        let far = try RecordEncoder.line(StepRecord(run: 0, step: 1_000_000_000_000, epoch: 1, t: 1, loss: 0.5))
        var seedChanged = false
        let crafted: [(String, [String], String)] = [
            ("past its plan", lines + [far], "past the 20 its header plans"),
            (
                "missing a step", lines.filter { !($0.contains("\"type\":\"step\",\"run\":2,\"step\":7,")) },
                "member 3 has 19 step losses"
            ),
            ("no exploits", lines.filter { !$0.contains("\"type\":\"exploit\"") }, "holds no population"),
            (
                "two seeds",
                lines.map { line in
                    guard !seedChanged, line.contains("\"type\":\"config\""), line.contains("\"run\":1") else {
                        return line
                    }
                    seedChanged = true
                    return line.replacingOccurrences(of: "\"seed\":2", with: "\"seed\":3")
                }, "do not share one seed"
            ),
        ]
        for (name, text, message) in crafted {
            let path = w.path + ".\(name.replacingOccurrences(of: " ", with: "-")).jsonl"
            defer { try? FileManager.default.removeItem(atPath: path) }
            try (text.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            let start = Date()
            let r = try BinaryRunner.run(["preset", "population", "--check-record", path], timeout: 30)
            #expect(Date().timeIntervalSince(start) < 10, "\(name)")
            #expect(r.status == 64 && !r.crashed && r.stdout.isEmpty, "\(name): \(r.stdout)\n\(r.stderr)")
            let errors = r.stderr.split(separator: "\n")
            #expect(errors.count == 1 && r.stderr.contains(message), "\(name): \(r.stderr)")
        }
        #expect(seedChanged)
    }

    /// In a process of its own (the OpenBLAS kernel is the binary's), from the record alone: the
    /// best member's lineage traced from the exploit records, re-trained as one run.
    @Test func theBestScheduleFromTheRecordReTrainsAsOneRunBitForBit() throws {
        let w = try Self.run()
        defer { try? FileManager.default.removeItem(atPath: w.path) }
        let check = try BinaryRunner.run(["preset", "population", "--check-record", w.path], timeout: 120)
        #expect(check.status == 0 && !check.crashed, "\(check.stdout)\n\(check.stderr)")
        #expect(check.stdout.contains("4 members, 20 steps, 4 exploits"), "\(check.stdout)")
        #expect(check.stdout.contains("replayed as one run: 20 steps, losses bit-identical"), "\(check.stdout)")
        // The schedule it traced from the record is the one the training run printed.
        let schedule = { (text: String) in
            text.split(separator: "\n").filter { $0.hasPrefix("  step ") || $0.hasPrefix("schedule of") }
        }
        #expect(schedule(check.stdout) == schedule(w.stdout) && !schedule(w.stdout).isEmpty)

        // The check can fail: one recorded loss of the lineage changed by one ulp is found.
        let runs = w.record.runs
        let exploits = w.exploits.map { e in
            Population.Exploit(
                step: e.step, generation: e.generation, member: e.member, donor: e.donor, score: e.score,
                donorScore: e.donorScore, learningRateFrom: 0, learningRateTo: 0, learningRateFactor: nil,
                weightDecayFrom: 0, weightDecayTo: 0, weightDecayFactor: nil, digest: StateDigest(),
                donorDigest: StateDigest())
        }
        let members = runs.map {
            Population.Member(
                id: $0.id, values: [:], initialLearningRate: 0, initialWeightDecay: 0, learningRate: 0, weightDecay: 0)
        }
        let best = try #require(
            runs.max { a, b in
                let (x, y) = (
                    a.evaluations.last?.evaluation.validationAccuracy ?? 0,
                    b.evaluations.last?.evaluation.validationAccuracy ?? 0
                )
                return x != y ? x < y : a.id > b.id
            })
        let lineage = PopulationLineage.trace(member: best.id, upTo: 20, exploits: exploits, members: members)
        let owner = try #require(lineage.member(atStep: 13))
        let text = try String(contentsOfFile: w.path, encoding: .utf8)
        var tampered: [String] = []
        for line in text.split(separator: "\n").map(String.init) {
            guard case .step(var s)? = try? JSONDecoder().decode(DecodedRecord.self, from: Data(line.utf8)),
                s.run == owner, s.step == 13
            else {
                tampered.append(line)
                continue
            }
            s.loss = Double(Float(s.loss).nextUp)
            tampered.append(try RecordEncoder.line(s))
        }
        let bad = w.path + ".tampered.jsonl"
        defer { try? FileManager.default.removeItem(atPath: bad) }
        try (tampered.joined(separator: "\n") + "\n").write(toFile: bad, atomically: true, encoding: .utf8)
        let off = try BinaryRunner.run(["preset", "population", "--check-record", bad], timeout: 120)
        #expect(off.status == 1 && off.stdout.contains("losses differ from step 13"), "\(off.stdout)\n\(off.stderr)")
    }

    @Test func badCombinationsAreOneLine() throws {
        let errors = BinaryErrorTests()
        try errors.expectOneLineFailure(
            ["preset", "population", "--headless", "--members", "3"], mentioning: "--members")
        try errors.expectOneLineFailure(
            ["preset", "population", "--headless", "--space", "lr=log:-3,0"], mentioning: "--space")
        try errors.expectOneLineFailure(
            ["preset", "population", "--headless", "--space", "lr=uniform:0.01,0.1", "wd=log:-6,-2"],
            mentioning: "log scale")
        try errors.expectOneLineFailure(
            ["preset", "population", "--headless", "--epochs", "2", "--exploit-every", "100"],
            mentioning: "--exploit-every")
        try errors.expectOneLineFailure(
            ["preset", "population", "--headless", "--quantile", "0.7"], mentioning: "--quantile")
        try errors.expectOneLineFailure(["preset", "population", "--headless", "--steps", "10"], mentioning: "--steps")
        try errors.expectOneLineFailure(
            ["preset", "population", "--headless", "--epochs", "1"], mentioning: "--epochs")
        try errors.expectOneLineFailure(["preset", "random-search", "--members", "4"], mentioning: "--members")
        try errors.expectOneLineFailure(
            ["preset", "population", "--check-record", "/nonexistent/record.jsonl"], mentioning: "--check-record")
        for flag in [
            ["--epochs", "3"], ["--members", "4"], ["--space", "lr=log:-3,0", "wd=log:-6,-2"], ["--seed", "4"],
        ] {
            try errors.expectOneLineFailure(
                ["preset", "population", "--check-record", "/nonexistent/record.jsonl"] + flag, mentioning: flag[0])
        }
        // Every step's loss of every member is kept: a run past the cap is refused before it starts.
        try errors.expectOneLineFailure(
            ["preset", "population", "--headless", "--epochs", "1000000"], mentioning: "member-steps")
    }
}
