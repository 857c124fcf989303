import Foundation
import Testing

/// Every preset headless on a reduced size, asserting what its experiment is about.
@Suite(.serialized) struct PresetTests {
    struct Run {
        var title = ""
        /// The config record's `lossRecording` (a record leaves the default, preUpdate, out).
        var lossRecording = "preUpdate"
        var losses: [Double] = []
        var evals: [[String: Any]] = []
        var lastTrain: Double { evals.last?["train_acc"] as? Double ?? -1 }
        var lastTest: Double { evals.last?["test_acc"] as? Double ?? -1 }
        /// Mean of the last `n` step losses.
        func tail(_ n: Int) -> Double {
            let t = losses.suffix(n)
            return t.reduce(0, +) / Double(t.count)
        }
    }

    /// Runs `dlboard preset …--headless --metrics-out` and returns the runs by index from the log.
    static func preset(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> (
        runs: [Run], stdout: String, records: [[String: Any]]
    ) {
        let log = NSTemporaryDirectory() + "dlboard-preset-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let r = try BinaryRunner.run(["preset"] + args + ["--headless", "--metrics-out", log], timeout: 300)
        #expect(r.status == 0 && !r.crashed, "\(r.stderr)", sourceLocation: sourceLocation)
        let records = try CompareCommandTests.records(log)
        var runs: [Int: Run] = [:]
        for rec in records {
            guard let i = rec["run"] as? Int else { continue }
            var run = runs[i] ?? Run()
            switch rec["type"] as? String {
            case "config":
                run.title = rec["title"] as? String ?? ""
                if let r = (rec["config"] as? [String: Any])?["lossRecording"] as? String { run.lossRecording = r }
            case "step": run.losses.append(rec["loss"] as? Double ?? .nan)
            case "eval": run.evals.append(rec)
            default: break
            }
            runs[i] = run
        }
        return (runs.keys.sorted().map { runs[$0]! }, r.stdout, records)
    }

    @Test func listGroupsTheExperimentsBySource() throws {
        let r = try BinaryRunner.run(["preset", "--list"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let book = lines.firstIndex { $0.hasPrefix("The book's chapter 6") } ?? -1
        let beyond = lines.firstIndex { $0.hasPrefix("Beyond chapter 6") } ?? -1
        #expect(book == 0 && beyond > book, "two groups, the book's first")
        /// The line naming `name` and its source, and the group it stands in.
        func entry(_ name: String) -> (line: String, inBook: Bool)? {
            guard let i = lines.firstIndex(where: { $0.hasPrefix("  \(name) ") }) else { return nil }
            return (lines[i], i < beyond)
        }
        for (name, source) in [
            ("optimizer-paths", "E1 optimizer_compare_naive.py"), ("optimizer-race", "E2 optimizer_compare_mnist.py"),
            ("activation-histograms", "E3 "), ("init-compare", "E4 weight_init_compare.py"),
            ("weight-symmetry", "§6.2.1"), ("batchnorm-grid", "E6 "), ("overfit-weight-decay", "E7 "),
            ("overfit-dropout", "E8 "), ("random-search", "E9 hyperparameter_optimization.py"),
        ] {
            let e = entry(name)
            #expect(e?.inBook == true && e?.line.contains(source) == true, "\(name): \(e as Any)")
        }
        for (name, source) in [
            ("batch-size", "Q&A text"), ("lr-decay", "course week 2"), ("activations", "Q&A text"),
            ("loss-functions", "book chapter 4"), ("augmentation", "Q&A text §3.13"),
            ("normalization", "layer normalization"),
        ] {
            let e = entry(name)
            #expect(e?.inBook == false && e?.line.contains(source) == true, "\(name): \(e as Any)")
        }
        let bad = try BinaryRunner.run(["preset", "optimiser-race"])
        #expect(bad.status != 0 && bad.stderr.contains("unknown experiment 'optimiser-race'"))
    }

    @Test func optimizerRaceLeavesSGDBehind() throws {
        let (runs, _, _) = try Self.preset([
            "optimizer-race", "--steps", "80", "--train-size", "2000", "--test-size", "500",
        ])
        #expect(runs.map(\.title) == ["SGD", "Momentum", "AdaGrad", "Adam"])
        #expect(runs.allSatisfy { $0.losses.count == 80 }, "every run takes the book's iterations (reduced)")
        #expect(runs.allSatisfy { $0.lossRecording == "postUpdateInference" }, "the book's loss, as the record says")
        // The book's figure: SGD's loss falls slowest; the other three are far below it.
        let sgd = runs[0].tail(10)
        for r in runs.dropFirst() { #expect(r.tail(10) < sgd * 0.6, "\(r.title) \(r.tail(10)) vs SGD \(sgd)") }
    }

    @Test func initCompareStdPointZeroOneStaysAtLnTen() throws {
        let (runs, _, _) = try Self.preset([
            "init-compare", "--steps", "120", "--train-size", "2000", "--test-size", "500",
        ])
        #expect(runs.map(\.title) == ["init std 0.01", "init Xavier", "init He"])
        #expect(runs.allSatisfy { $0.lossRecording == "postUpdateInference" })
        // std 0.01: the signal dies in 4 layers, every class gets 1/10 and the loss stays at ln 10.
        #expect(abs(runs[0].tail(20) - log(10)) < 0.01, "\(runs[0].tail(20))")
        #expect(runs[2].tail(20) < 2.0, "He learns: \(runs[2].tail(20))")
        #expect(runs[2].tail(20) < runs[1].tail(20), "He falls faster than Xavier with ReLU")
    }

    @Test func weightSymmetryLearnsOnlyWithRandomWeights() throws {
        let (runs, _, _) = try Self.preset([
            "weight-symmetry", "--steps", "300", "--train-size", "2000", "--test-size", "500",
        ])
        #expect(runs.map(\.title) == ["init zeros", "init constant 0.01", "init std 0.01", "init He"])
        #expect(runs.allSatisfy { $0.losses.count == 300 }, "a few hundred steps, lock-step")
        let (zeros, constant, tiny, he) = (runs[0], runs[1], runs[2], runs[3])
        // Zeros: only the output biases learn — the class frequencies, a hair under ln 10.
        #expect(abs(zeros.tail(30) - log(10)) < 0.01, "\(zeros.tail(30))")
        #expect(zeros.lastTest < 0.2 && tiny.lastTest < 0.2, "\(zeros.lastTest) \(tiny.lastTest)")
        // The constant trains one unit per layer: better than chance, far from He.
        #expect(constant.tail(30) < zeros.tail(30) - 0.1, "\(constant.tail(30))")
        #expect(he.tail(30) < 0.7 && he.lastTest > 0.8, "He learns: \(he.tail(30)) \(he.lastTest)")
        #expect(constant.lastTest < he.lastTest - 0.4)
    }

    @Test func batchNormLearnsWhereTinyInitsStall() throws {
        let (runs, stdout, records) = try Self.preset(["batchnorm-grid", "--scales", "3", "--epochs", "8"])
        #expect(
            runs.map(\.title) == [
                "std 1 BN", "std 1 no BN", "std 0.0074 BN", "std 0.0074 no BN", "std 0.0001 BN", "std 0.0001 no BN",
            ])
        #expect(!stdout.contains("  test 0"), "the book judges this one on the 1,000 training images only")
        #expect(records.filter { $0["type"] as? String == "eval" }.allSatisfy { $0["test_acc"] is NSNull })
        // At small scales the plain network never leaves chance; with BatchNorm it learns.
        for pair in [(2, 3), (4, 5)] {
            #expect(
                runs[pair.0].lastTrain > runs[pair.1].lastTrain + 0.2,
                "\(runs[pair.0].title) \(runs[pair.0].lastTrain) vs \(runs[pair.1].lastTrain)")
            #expect(runs[pair.1].lastTrain < 0.2)
        }
    }

    @Test func weightDecayNarrowsTheOverfittingGap() throws {
        let (runs, _, _) = try Self.preset(["overfit-weight-decay", "--epochs", "90", "--test-size", "500"])
        #expect(runs.map(\.title) == ["no weight decay", "weight decay 0.1"])
        let plain = runs[0]
        let decayed = runs[1]
        #expect(plain.lastTrain >= 0.95, "300 images are learnt by heart without decay: \(plain.lastTrain)")
        #expect(
            plain.lastTrain - plain.lastTest > decayed.lastTrain - decayed.lastTest,
            "gap \(plain.lastTrain - plain.lastTest) vs \(decayed.lastTrain - decayed.lastTest)")
        #expect(plain.evals.count == 90, "judged on train and test after every epoch")
    }

    /// BatchNorm over batches of 2 normalizes with noise and judges with running averages of it:
    /// its test accuracy falls far behind; LayerNorm, batch-independent, keeps up with the best of
    /// the other two at every batch size.
    @Test func layerNormKeepsUpWhereBatchNormFallsBehind() throws {
        let (runs, _, _) = try Self.preset(["normalization", "--epochs", "3", "--test-size", "500"])
        #expect(
            runs.map(\.title) == [
                "batch 2 no norm", "batch 2 BN", "batch 2 LN", "batch 8 no norm", "batch 8 BN", "batch 8 LN",
                "batch 100 no norm", "batch 100 BN", "batch 100 LN",
            ])
        #expect(runs.allSatisfy { $0.evals.count == 3 }, "the same epochs of the same 1,000 images for every run")
        #expect(runs[0].losses.count == 1500 && runs[6].losses.count == 30, "consumed at different rates")
        let (bn2, ln2) = (runs[1], runs[2])
        #expect(
            bn2.lastTest < 0.5 && ln2.lastTest > bn2.lastTest + 0.3, "batch 2: BN \(bn2.lastTest), LN \(ln2.lastTest)")
        for cell in 0..<3 {
            let (none, bn, ln) = (runs[3 * cell], runs[3 * cell + 1], runs[3 * cell + 2])
            #expect(
                ln.lastTest >= max(none.lastTest, bn.lastTest) - 0.05,
                "\(ln.title) \(ln.lastTest) vs \(none.lastTest), \(bn.lastTest)")
        }
    }

    @Test func dropoutNarrowsTheOverfittingGap() throws {
        let (runs, _, _) = try Self.preset(["overfit-dropout", "--epochs", "90", "--test-size", "500"])
        #expect(runs.map(\.title) == ["no dropout", "dropout 0.2"])
        let plain = runs[0]
        let dropped = runs[1]
        #expect(plain.lastTrain >= 0.95)
        #expect(plain.lastTrain - plain.lastTest > dropped.lastTrain - dropped.lastTest)
    }

    @Test func activationHistogramsHeadless() throws {
        let r = try BinaryRunner.run(["preset", "activation-histograms", "--headless"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let std1 = lines.first { $0.hasPrefix("std 1 ") } ?? ""
        let tiny = lines.first { $0.hasPrefix("std 0.01") } ?? ""
        let xavier = lines.first { $0.hasPrefix("Xavier") } ?? ""
        #expect(std1.components(separatedBy: "saturated").count - 1 >= 3, "sigmoid with std 1 saturates: \(std1)")
        #expect(tiny.components(separatedBy: "collapsed").count - 1 >= 4, "std 0.01 collapses to 0.5: \(tiny)")
        #expect(xavier.components(separatedBy: "healthy").count - 1 == 5, "Xavier stays spread: \(xavier)")
        // After the book's four, the symmetry trap: every layer's 100 units are one.
        #expect(
            lines.dropFirst().map { String($0.prefix(8)) } == [
                "std 1   ", "std 0.01", "Xavier  ", "He      ", "zeros   ", "all 0.1 ",
            ])
        for row in lines.suffix(2) {
            #expect(row.components(separatedBy: "symmetric 1/100").count - 1 == 5, "\(row)")
        }
        #expect(!lines.dropFirst().prefix(4).contains { $0.contains("symmetric") }, "random weights break it")
        let relu = try BinaryRunner.run(["preset", "activation-histograms", "--headless", "--activation", "relu"])
        let he = relu.stdout.split(separator: "\n").first { $0.hasPrefix("He") } ?? ""
        #expect(he.components(separatedBy: "healthy").count - 1 == 5, "ReLU with He: \(he)")
    }

    @Test func optimizerPathsHeadless() throws {
        let r = try BinaryRunner.run(["preset", "optimizer-paths", "--headless"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        for name in ["SGD", "Momentum", "AdaGrad", "Adam"] {
            #expect(lines.contains { $0.hasPrefix(name) && $0.contains(" end (") })
        }
        #expect(
            lines.contains { $0.hasPrefix("SGD") && $0.contains("y sign flips 29") },
            "SGD zig-zags across the valley at every step")
        let paths = lines.filter { $0.contains("path (-7.00,2.00)") }
        #expect(
            paths.count == 4 && paths.allSatisfy { $0.components(separatedBy: "(").count - 1 == 30 }, "30 points each")
    }

    @Test func randomSearchNeverTouchesTheTestSet() throws {
        let (_, stdout, records) = try Self.preset(["random-search", "--trials", "6", "--epochs", "3", "--rounds", "2"])
        let config = records.first { $0["type"] as? String == "config" }
        #expect(config?["test_size"] as? Int == 0, "the search's dataset holds no test images at all")
        #expect(config?["train_size"] as? Int == 400 && config?["validation_size"] as? Int == 100)
        let evals = records.filter { $0["type"] as? String == "eval" }
        #expect(evals.count == 12 * 3, "2 rounds × 6 trials × 3 epochs")
        #expect(evals.allSatisfy { $0["test_acc"] is NSNull && $0["val_acc"] is Double })
        #expect(
            evals.allSatisfy { ($0["loss"] as? Double ?? 0) > 0 && ($0["samples_per_s"] as? Double ?? 0) > 0 },
            "each trial epoch as its driver measured it: mean loss and throughput")
        let trials = records.filter { $0["type"] as? String == "trial" }
        #expect(trials.count == 12)
        // Every trial ends with its own summary, its last validation accuracy and no stop reason.
        let summaries = records.filter { $0["type"] as? String == "summary" }
        #expect(summaries.compactMap { $0["run"] as? Int }.sorted() == Array(0..<12))
        #expect(summaries.allSatisfy { $0["epochs"] as? Int == 3 && $0["val_acc"] is Double })
        // Every trial is a run of the record: its own header, with its lr and weight decay.
        let headers = records.filter { $0["type"] as? String == "config" }
        #expect(headers.compactMap { $0["run"] as? Int }.sorted() == Array(0..<12))
        let lrs = headers.compactMap {
            (($0["config"] as? [String: Any])?["learningRate"] as? Double).map { Float($0) }
        }
        #expect(lrs == trials.compactMap { ($0["lr"] as? Double).map { Float($0) } })
        // The book's E9: every trial its own initial weights and batch order, seeded from its number.
        let seeds = headers.compactMap { ($0["config"] as? [String: Any])?["seed"] as? Int }
        #expect(seeds.count == 12 && Set(seeds).count == 12, "\(seeds)")
        #expect(stdout.contains("every trial its own initial weights"))
        let round1 = trials.filter { $0["round"] as? Int == 1 }
        let round2 = trials.filter { $0["round"] as? Int == 2 }
        for t in round1 {
            let lr = t["lr"] as! Double
            let wd = t["weight_decay"] as! Double
            #expect(lr >= 1e-6 && lr <= 1e-2 && wd >= 1e-8 && wd <= 1e-4, "sampled in the book's ranges")
        }
        // Coarse to fine: round 2 samples around the best five of round 1.
        let finalVal = Dictionary(grouping: evals, by: { $0["run"] as! Int }).mapValues {
            $0.last!["val_acc"] as! Double
        }
        let best = round1.sorted { finalVal[$0["run"] as! Int]! > finalVal[$1["run"] as! Int]! }.prefix(5).map {
            log10($0["lr"] as! Double)
        }
        for t in round2 {
            let e = log10(t["lr"] as! Double)
            #expect(e >= best.min()! - 0.25 - 1e-9 && e <= best.max()! + 0.25 + 1e-9)
        }
        #expect(stdout.contains("round 2: lr 10^["))
        #expect(stdout.contains("test set not used"))
    }
}
