import Foundation
import NN
import TUI
import Testing

@testable import dlboard

/// The search presets on a course space, through the binary: what the records say each trial drew,
/// and what its configuration trained with.
@Suite(.serialized) struct SearchSpacePresetTests {
    static func configs(_ records: [[String: Any]]) -> [Int: [String: Any]] {
        var out: [Int: [String: Any]] = [:]
        for r in records where r["type"] as? String == "config" {
            out[r["run"] as! Int] = r
        }
        return out
    }

    @Test func randomSearchDrawsEveryKnobOfACourseSpace() throws {
        let (_, stdout, records) = try PresetTests.preset([
            "random-search", "--space", "lr=log:-3,-1", "beta=one-minus-log:-3,-1", "layers=int:2,3",
            "optimizer=choice:momentum,adam", "--trials", "6", "--epochs", "1", "--rounds", "2",
        ])
        let trials = records.filter { $0["type"] as? String == "trial" }
        #expect(trials.count == 12)
        let headers = Self.configs(records)
        var optimizers = Set<String>()
        var depths = Set<Int>()
        for t in trials {
            let run = t["run"] as! Int
            let values = try #require(t["values"] as? [String: Any], "every trial records its values")
            #expect(Set(values.keys) == ["lr", "beta", "layers", "optimizer"])
            let lr = try #require(values["lr"] as? Double)
            let beta = try #require(values["beta"] as? Double)
            let layers = try #require(values["layers"] as? Int)
            let optimizer = try #require(values["optimizer"] as? String)
            if t["round"] as? Int == 1 {
                #expect(lr >= 1e-3 && lr <= 1e-1, "lr in 10^[-3, -1]: \(lr)")
                #expect(log10(1 - beta) >= -3 - 1e-6 && log10(1 - beta) <= -1 + 1e-6, "β in 1 − 10^[-3, -1]: \(beta)")
                #expect([2, 3].contains(layers) && ["momentum", "adam"].contains(optimizer))
            }
            optimizers.insert(optimizer)
            depths.insert(layers)
            // The trial's configuration is its values, exactly.
            let config = try #require(headers[run]?["config"] as? [String: Any])
            let network = try #require(config["network"] as? [String: Any])
            #expect(config["optimizer"] as? String == optimizer)
            #expect(Float(config["learningRate"] as? Double ?? .nan) == Float(lr))
            #expect((network["hidden"] as? [Int])?.count == layers)
            let parameters = config["optimizerParameters"] as? [String: Any] ?? [:]
            let stated = parameters[optimizer == "adam" ? "beta1" : "momentum"] as? Double
            #expect(stated.map { Float($0) } == Float(beta), "β \(beta) as the \(optimizer) config states it")
            #expect(t["lr"] as? Double == lr, "lr also on its own, as E9's records have it")
            #expect((headers[run]?["title"] as? String)?.contains("beta ") == true)
        }
        #expect(optimizers == ["momentum", "adam"] && depths == [2, 3], "12 draws reach every option")
        #expect(stdout.contains(" rank  trial   val    train  lr         beta    layers  optimizer"))
        #expect(stdout.contains("round 1: lr 10^[-3.00, -1.00], beta 1−10^[-3.00, -1.00], layers 2…3"))
        #expect(stdout.contains("round 2: lr 10^["), "round 2 narrowed")
    }

    /// The course's argument, asserted from the records: with the same budget, random search tries
    /// more distinct values of the knob that matters than the grid does, and says so.
    @Test func randomTriesMoreDistinctValuesOfTheKnobThatMatters() throws {
        let (_, stdout, records) = try PresetTests.preset(["grid-vs-random", "--trials", "10", "--epochs", "2"])
        let trials = records.filter { $0["type"] as? String == "trial" }
        let grid = trials.filter { $0["round"] as? Int == GridVsRandom.gridRound }
        let random = trials.filter { $0["round"] as? Int == GridVsRandom.randomRound }
        #expect(grid.count == 9 && random.count == 9, "⌊√10⌋² = 9 trials each")
        func distinct(_ ts: [[String: Any]], _ knob: String) -> Int {
            Set(ts.compactMap { ($0["values"] as? [String: Any])?[knob] as? Double }).count
        }
        #expect(distinct(grid, "lr") == 3 && distinct(grid, "wd") == 3, "a 3×3 grid: 3 values of each")
        #expect(distinct(random, "lr") == 9 && distinct(random, "wd") == 9)
        #expect(distinct(random, "lr") > distinct(grid, "lr"))
        for t in random {
            let v = t["values"] as! [String: Any]
            let lr = v["lr"] as! Double
            let wd = v["wd"] as! Double
            #expect(lr >= 1e-4 && lr <= 1 && wd >= 1e-8 && wd <= 1e-5, "drawn in lr=log:-4,0 wd=log:-8,-5")
        }
        // Every trial a run of its own, its title naming its search; the test set never loaded.
        let headers = Self.configs(records)
        for t in trials {
            let title = headers[t["run"] as! Int]?["title"] as? String ?? ""
            #expect(title.contains(t["round"] as? Int == 1 ? "(grid)" : "(random)"), "\(title)")
        }
        #expect(headers.values.allSatisfy { $0["test_size"] as? Int == 0 && $0["train_size"] as? Int == 400 })
        let evals = records.filter { $0["type"] as? String == "eval" }
        #expect(evals.count == 18 * 2 && evals.allSatisfy { $0["test_acc"] is NSNull })
        #expect(stdout.contains("--trials 10: a grid needs a square, so both searches get 3×3 = 9"))
        #expect(stdout.contains("  lr (matters):                  grid 3, random 9"))
        #expect(
            stdout.contains("verdict: with the same 9 trials, random search tried 9 distinct lr values to the grid's 3")
        )
        #expect(stdout.contains("best validation accuracy:") && stdout.contains("test set not used"))
    }

    @Test func aRecordOfBothSearchesReplays() throws {
        let log = NSTemporaryDirectory() + "dlboard-gvr-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let r = try BinaryRunner.run([
            "preset", "grid-vs-random", "--trials", "4", "--epochs", "1", "--headless", "--metrics-out", log,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let replay = try BinaryRunner.run(["replay", log, "--headless"])
        #expect(replay.status == 0 && !replay.crashed, "\(replay.stderr)")
        let csv = NSTemporaryDirectory() + "dlboard-gvr-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: csv) }
        let export = try BinaryRunner.run(["export", log, "--csv", csv])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(try String(contentsOfFile: csv, encoding: .utf8).contains("(random) lr "))
    }
}

/// A bad space is one line naming the flag and the entry, before anything trains.
@Suite(.serialized) struct SearchSpaceErrorTests {
    func expectOneLineFailure(
        _ arguments: [String], saying expected: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let r = try BinaryRunner.run(arguments)
        #expect(!r.crashed && r.status != 0, "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderrLines.count == 1, "stderr: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.hasPrefix("dlboard: error: "), "stderr: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(expected), "stderr: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stdout.isEmpty, "nothing trained: \(r.stdout)", sourceLocation: sourceLocation)
    }

    @Test func aBadSpaceWordNamesTheFlagAndTheEntry() throws {
        try expectOneLineFailure(
            ["preset", "random-search", "--space", "lr=log:-4,0", "units=int:0,5", "--headless"],
            saying: "--space: 'units=int:0,5': units per layer must be within 1…10000")
        try expectOneLineFailure(
            ["preset", "grid-vs-random", "--space", "lr=gauss:0,1", "--headless"],
            saying: "--space: 'lr=gauss:0,1': unknown scale 'gauss'")
    }

    @Test func aBadSpecFileLineNamesTheFileTheLineAndTheEntry() throws {
        let path = NSTemporaryDirectory() + "dlboard-space-\(UUID().uuidString).txt"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "# the course's space\nlr=log:-4,0\nbeta=one-minus-log:-3,1  # too high\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        try expectOneLineFailure(
            ["preset", "random-search", "--space-file", path, "--headless"],
            saying: "--space-file: \(path): line 3: 'beta=one-minus-log:-3,1': 1 − 10^r is below 1 only for r < 0")
    }

    @Test func aTrialTheEngineWouldRefuseIsOneLineBeforeTraining() throws {
        // 400 training images: a batch of 500 is more than there are.
        try expectOneLineFailure(
            ["preset", "random-search", "--space", "lr=log:-3,-1", "batch=choice:50,500", "--headless"],
            saying:
                "--space: 'batch=choice:50,500': a trial at batch 500 is refused: a batch of 500 is more than the 400 training images"
        )
        // β = 1 − 10^-30 is 1 in a Float: no optimizer takes a decay of 1.
        try expectOneLineFailure(
            [
                "preset", "random-search", "--space", "beta=one-minus-log:-30,-1", "optimizer=choice:momentum",
                "--headless",
            ],
            saying:
                "--space: 'beta=one-minus-log:-30,-1': a trial at beta 1 is refused: momentum: must be in [0, 1), got 1.0"
        )
        try expectOneLineFailure(
            ["preset", "random-search", "--space", "layers=int:20,20", "units=int:10000,10000", "--headless"],
            saying: "--space: the largest trials (layers, units at their top, two at a time): these 2 runs need")
    }

    @Test func gridVsRandomTakesTwoNumericKnobs() throws {
        try expectOneLineFailure(
            ["preset", "grid-vs-random", "--space", "lr=log:-4,0", "wd=log:-8,-5", "units=int:10,20", "--headless"],
            saying: "--space: grid-vs-random compares exactly two knobs on log, one-minus-log, uniform or int scales")
        try expectOneLineFailure(
            ["preset", "grid-vs-random", "--space", "lr=log:-4,0", "optimizer=choice:sgd,adam", "--headless"],
            saying: "(the first the one that matters), got lr=log:-4,0 optimizer=choice:sgd,adam")
        try expectOneLineFailure(
            ["preset", "grid-vs-random", "--trials", "3", "--headless"],
            saying: "--trials: grid-vs-random needs at least a 2×2 grid")
    }
}
