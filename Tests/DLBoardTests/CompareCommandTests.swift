import Foundation
import Testing

/// `dlboard compare --headless` end to end on a small made-up dataset.
@Suite(.serialized) struct CompareCommandTests {
    static func records(_ path: String) throws -> [[String: Any]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    @Test func headlessComparisonLogsEveryRun() throws {
        let fx = CLIFixtures()
        defer { fx.remove() }
        fx.writeMNIST(train: 200, test: 100)
        let log = fx.path("c.jsonl")
        let r = try BinaryRunner.run([
            "compare", "--headless", "--data", fx.directory, "--inits", "0.01,he", "--hidden", "32,32,32",
            "--epochs", "3", "--batch", "20", "--metrics-out", log,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("run 1: init std 0.01") && r.stdout.contains("run 2: init He"), "\(r.stdout)")
        #expect(r.stdout.contains("2 runs in lock-step"))
        let records = try Self.records(log)
        let configs = records.filter { $0["type"] as? String == "config" }
        #expect(configs.map { $0["run"] as? Int } == [0, 1])
        #expect(configs.map { $0["title"] as? String } == ["init std 0.01", "init He"])
        for run in 0...1 {
            #expect(records.filter { $0["type"] as? String == "step" && $0["run"] as? Int == run }.count == 30)
            #expect(records.filter { $0["type"] as? String == "eval" && $0["run"] as? Int == run }.count == 3)
        }
        #expect(records.filter { $0["type"] as? String == "summary" }.count == 2)
    }

    @Test func batchSizesCompareOnTheirOwnEpochsAndWarnAboutBatchNormOnOne() throws {
        let fx = CLIFixtures()
        defer { fx.remove() }
        fx.writeMNIST(train: 200, test: 50)
        let log = fx.path("b.jsonl")
        let r = try BinaryRunner.run([
            "compare", "--headless", "--data", fx.directory, "--batches", "1,20,200", "--batchnorm", "on",
            "--hidden", "16", "--epochs", "2", "--metrics-out", log,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("batch 1/20/200 · same sample order for every run"), "\(r.stdout)")
        #expect(r.stdout.contains("run 1: batch 1") && r.stdout.contains("run 3: batch 200"), "\(r.stdout)")
        #expect(
            r.stderrLines == [
                "dlboard: warning: run 1: BatchNorm with batch 1: every normalized output is 0 (a batch of one has no variance)"
            ],
            "\(r.stderr)")
        let records = try Self.records(log)
        for (run, steps) in [(0, 400), (1, 20), (2, 2)] {
            let mine = records.filter { $0["run"] as? Int == run }
            #expect(mine.filter { $0["type"] as? String == "step" }.count == steps, "2 epochs of 200 samples")
            #expect(mine.filter { $0["type"] as? String == "eval" }.compactMap { $0["epoch"] as? Int } == [1, 2])
        }
        // Without BatchNorm, batch 1 is fine: no warning.
        let plain = try BinaryRunner.run([
            "compare", "--headless", "--data", fx.directory, "--batches", "1,200", "--hidden", "16", "--epochs", "1",
        ])
        #expect(plain.status == 0 && !plain.stderr.contains("warning"), "\(plain.stderr)")
        // One run says it without a run number, and still trains.
        let one = try BinaryRunner.run([
            "train", "--data", fx.directory, "--batch", "1", "--batchnorm", "--hidden", "8", "--epochs", "1",
        ])
        #expect(one.status == 0 && one.stdout.contains("done: 1 epochs"), "\(one.stdout)")
        #expect(one.stderrLines.contains { $0.hasPrefix("dlboard: warning: BatchNorm with batch 1:") }, "\(one.stderr)")
        let bad = try BinaryRunner.run(["compare", "--batches", "10,0"])
        #expect(bad.status != 0 && bad.stderr.contains("--batches: batch sizes must be at least 1, got 0"))
    }

    /// --losses and the new activations compare like every other knob: one run per value, titled by
    /// it, the record's config carrying it.
    @Test(arguments: [
        (["--losses", "ce,mse"], ["cross-entropy loss", "MSE loss"], "loss", ["cross-entropy", "mse"]),
        (
            ["--activations", "leaky-relu:0.1,softplus,identity"], ["Leaky ReLU 0.1", "SoftPlus", "Identity"],
            "activation", ["leaky-relu:0.1", "softplus", "identity"]
        ),
        (
            ["--dropout-styles", "book,inverted", "--dropout", "0.3"], ["book dropout", "inverted dropout"],
            "dropoutStyle", ["book", "inverted"]
        ),
        (["--norms", "none,batch,layer"], ["BN off", "BN on", "LN on"], "normalization", ["none", "batch", "layer"]),
    ])
    func comparesTheNewKnobs(_ flags: [String], _ titles: [String], _ key: String, _ recorded: [String]) throws {
        let fx = CLIFixtures()
        defer { fx.remove() }
        fx.writeMNIST(train: 100, test: 20)
        let log = fx.path("c.jsonl")
        let r = try BinaryRunner.run(
            ["compare", "--headless", "--data", fx.directory, "--hidden", "16", "--epochs", "1", "--batch", "20"]
                + flags + ["--metrics-out", log])
        #expect(r.status == 0, "\(r.stderr)")
        for (i, title) in titles.enumerated() { #expect(r.stdout.contains("run \(i + 1): \(title)"), "\(r.stdout)") }
        let configs = try Self.records(log).filter { $0["type"] as? String == "config" }
        let networks = configs.compactMap { ($0["config"] as? [String: Any])?["network"] as? [String: Any] }
        #expect(networks.map { $0[key] as? String } == recorded)
    }

    /// Input Dropout ratios and depth/width lists compare like the others: a run per value, titled
    /// by it, the record's network carrying it; a single value fixes it for every run.
    @Test func comparesInputDropoutAndHiddenLayerLists() throws {
        let fx = CLIFixtures()
        defer { fx.remove() }
        fx.writeMNIST(train: 100, test: 20)
        let base = ["compare", "--headless", "--data", fx.directory, "--epochs", "1", "--batch", "20"]
        func networks(_ log: String) throws -> [[String: Any]] {
            try Self.records(log).filter { $0["type"] as? String == "config" }.compactMap {
                ($0["config"] as? [String: Any])?["network"] as? [String: Any]
            }
        }
        let inputs = fx.path("i.jsonl")
        let r = try BinaryRunner.run(
            base + [
                "--hidden", "16", "--input-dropout", "0,0.2", "--dropout-style", "inverted", "--metrics-out", inputs,
            ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.stdout.contains("run 1: no input dropout") && r.stdout.contains("run 2: input dropout 0.2"), "\(r.stdout)"
        )
        #expect(try networks(inputs).map { $0["inputDropout"] as? Double } == [0, 0.2])
        #expect(try networks(inputs).map { $0["dropoutStyle"] as? String } == ["inverted", "inverted"])
        let depths = fx.path("h.jsonl")
        let h = try BinaryRunner.run(
            base + ["--hiddens", "16x2,16x3,8x3", "--input-dropout", "0.2", "--metrics-out", depths])
        #expect(h.status == 0, "\(h.stderr)")
        for (i, shape) in ["784-16-16-10", "784-16-16-16-10", "784-8-8-8-10"].enumerated() {
            #expect(h.stdout.contains("run \(i + 1): \(shape)"), "\(h.stdout)")
        }
        #expect(try networks(depths).map { $0["hidden"] as? [Int] } == [[16, 16], [16, 16, 16], [8, 8, 8]])
        #expect(try networks(depths).allSatisfy { $0["inputDropout"] as? Double == 0.2 })
    }

    @Test func badComparisonsAreOneLineErrors() throws {
        for (args, message) in [
            (
                ["compare", "--optimizers", "sgd,adam", "--lrs", "0.1,0.01"],
                "compare varies one knob at a time; got --optimizers and --lrs"
            ),
            (["compare"], "compare needs one knob with several values"),
            (["compare", "--optimizers", "sgd,nadam"], "nadam"),
            (["compare", "--dropout", "0,1.5"], "--dropout: ratio must be in [0, 1), got 1.5"),
            (["compare", "--losses", "ce,hinge"], "hinge"),
            (["compare", "--norms", "none,group"], "group"),
            (
                ["compare", "--batchnorm", "on", "--norm", "layer", "--lrs", "0.1,0.01"],
                "--batchnorm on and --norm layer: give one of them (--batchnorm on is --norm batch)"
            ),
            (["compare", "--norms", "batch,layer", "--norm", "layer"], "--norms and --norm layer: give one of them"),
            (["compare", "--losses", "ce,mse", "--activations", "relu,tanh"], "got --activations and --losses"),
            (["compare", "--activations", "relu,leaky-relu:2"], "--activation: Leaky ReLU slope must be in (0, 1)"),
            (["compare", "--lrs", "0.1,0.01,0.001,1e-4,1e-5"], "at most 4 runs side by side, got 5; add --headless"),
            (
                ["compare", "--dropout-styles", "book,inverted"],
                "--dropout-styles: without Dropout every run is the same"
            ),
            (
                ["compare", "--dropout-styles", "book,inverted", "--dropout", "0.2", "--losses", "ce,mse"],
                "got --losses and --dropout-styles"
            ),
            (["compare", "--hiddens", "16x2,8", "--input-dropout", "0,0.2"], "got --input-dropout and --hiddens"),
            (["compare", "--hiddens", "16,abc"], "--hiddens: \"abc\" is not a hidden layer list"),
        ] {
            let r = try BinaryRunner.run(args)
            #expect(r.status != 0 && !r.crashed)
            #expect(r.stderrLines.count == 1 && r.stderr.hasPrefix("dlboard: error:"), "\(args): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
        }
    }
}

/// `dlboard bench --json` on a small made-up dataset: every case reported, fractions sensible.
@Suite(.serialized) struct BenchCommandTests {
    /// Nineteen timed cases on one thread: under ThreadSanitizer this alone took eight minutes, the
    /// floor of that whole suite's time, and timing code has no thread of its own to check.
    @Test(.longTraining) func benchReportsEveryCaseAgainstTheBound() throws {
        let fx = CLIFixtures()
        defer { fx.remove() }
        fx.writeMNIST(train: 300, test: 20)
        let r = try BinaryRunner.run(
            [
                "bench", "--data", fx.directory, "--steps", "3", "--warmup", "1", "--repeats", "1",
                // No statistics cases: at least 4×1,000 steps, more than all the cases here, and
                // `BenchReportTests` checks them.
                "--threads", "1", "--optimizers", "sgd,adam", "--no-frames", "--no-statistics", "--json",
            ], timeout: 600)  // a hang guard: a debug bench takes a minute, more on a loaded machine
        #expect(r.status == 0, "\(r.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(report["network"] as? String == "784-100-100-100-100-100-10")
        #expect(report["gemmFlopsPerSample"] as? Double == 559_600)
        let cases = report["cases"] as! [[String: Any]]
        #expect(
            cases.count == 2 + 8 + 6 + 3,
            """
            sgd, adam plain + SGD/Adam × BatchNorm, LayerNorm, Dropout, weight decay + SGD × leaky-relu, softplus, \
            identity, mse, inverted and input Dropout + SGD × augment, shift:2+noise:0.1, standardize
            """)
        #expect(cases.contains { $0["variant"] as? String == "layernorm" && $0["optimizer"] as? String == "adam" })
        #expect(
            cases.filter { $0["optimizer"] as? String == "sgd" }.compactMap { $0["variant"] as? String }.suffix(5)
                == ["dropout 0.2 inv", "input dropout 0.2", "augment", "shift:2+noise:0.1", "standardize"])
        for c in cases {
            let f = c["fractionOfBound"] as! Double
            let rate = c["samplesPerSecond"] as! Double
            #expect(f > 0 && f < 3 && rate > 0, "\(c)")
        }
        #expect((report["peakRSSMegabytes"] as? Double ?? 0) > 1)
        let bad = try BinaryRunner.run(["bench", "--steps", "0"])
        #expect(bad.status != 0 && bad.stderr.contains("--steps: must be at least 1"))
    }
}
