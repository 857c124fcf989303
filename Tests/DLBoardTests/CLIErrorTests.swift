import Foundation
import Testing

@testable import dlboard

/// Bad input gets one clear line naming the problem and a non-zero exit — no trap, no usage dump.
@Suite struct CLIErrorTests {
    /// Parses `arguments` as the root command would and returns the one-line message.
    func parseError(_ arguments: [String]) -> String? {
        do {
            _ = try DLBoard.parseAsRoot(arguments)
            return nil
        } catch {
            return DLBoard.oneLineMessage(for: error)
        }
    }

    @Test func zeroLearningRate() {
        #expect(
            parseError(["train", "--lr", "0"])
                == "dlboard: error: --lr: learning rate must be a positive number, got 0.0")
    }

    @Test func dropoutAboveOne() {
        #expect(
            parseError(["train", "--dropout", "1.5"]) == "dlboard: error: --dropout: ratio must be in [0, 1), got 1.5")
    }

    @Test func dropoutFormsAndInputDropout() throws {
        #expect(
            parseError(["train", "--input-dropout", "1.5"])
                == "dlboard: error: --input-dropout: ratio must be in [0, 1), got 1.5")
        #expect(
            parseError(["gradcheck", "--input-dropout", "-0.1"])
                == "dlboard: error: --input-dropout: ratio must be in [0, 1), got -0.1")
        let style = try #require(parseError(["train", "--dropout-style", "sideways"]))
        #expect(style.contains("'sideways'") && style.contains("--dropout-style") && !style.contains("\n"))
        #expect(
            parseError(["compare", "--input-dropout", "0,1"])
                == "dlboard: error: --input-dropout: ratio must be in [0, 1), got 1")
        #expect(
            parseError(["train", "--dropout", "0.2", "--dropout-style", "inverted", "--input-dropout", "0.2"]) == nil)
    }

    /// `WxN` is N layers of width W, in `--hidden` and in each element of `compare --hiddens`; a bad
    /// element of `--hiddens` is named by itself.
    @Test func hiddenLayerRepeats() throws {
        #expect(HiddenLayers(argument: "100x4")?.sizes == [100, 100, 100, 100])
        #expect(HiddenLayers(argument: "100x2, 50")?.sizes == [100, 100, 50])
        #expect(HiddenLayers(argument: "64×3")?.sizes == [64, 64, 64])
        #expect(HiddenLayers(argument: "100,100,100,100")?.sizes == [100, 100, 100, 100])
        for bad in ["100x0", "100x", "x4", "100x2x2", "100x1001", "100x-1", "100y2", ""] {
            #expect(HiddenLayers(argument: bad) == nil, "\(bad)")
        }
        #expect(parseError(["train", "--hidden", "100x0"])?.contains("--hidden") == true)
        #expect(
            parseError(["compare", "--hiddens", "100x2,100y2"])
                == "dlboard: error: --hiddens: \"100y2\" is not a hidden layer list (a width W or WxN, N in 1…1000, e.g. 100x4)"
        )
        #expect(
            parseError(["compare", "--hiddens", "100x2,0x3"])
                == "dlboard: error: --hiddens: every layer needs at least 1 unit, got 0 in \"0x3\"")
        #expect(parseError(["compare", "--hiddens", "100x2,100x4,50x4"]) == nil)
    }

    @Test func zeroWidthHiddenLayer() {
        #expect(
            parseError(["train", "--hidden", "0"])
                == "dlboard: error: --hidden: every layer needs at least 1 unit, got 0")
        #expect(parseError(["train", "--hidden", "100,abc"])?.contains("--hidden") == true)
    }

    @Test func unknownOptimizer() throws {
        let m = try #require(parseError(["train", "--optimizer", "adamw"]))
        #expect(m.hasPrefix("dlboard: error: "))
        #expect(m.contains("'adamw'") && m.contains("--optimizer"))
        #expect(!m.contains("\n"))
    }

    @Test func otherBadValues() {
        #expect(parseError(["train", "--init", "-3"])?.contains("--init") == true)
        #expect(parseError(["train", "--batch", "0"]) == "dlboard: error: --batch: must be at least 1, got 0")
        #expect(
            parseError(["train", "--validation", "1"]) == "dlboard: error: --validation: must be in [0, 1), got 1.0")
        #expect(parseError(["train", "--lr", "nan"])?.contains("--lr") == true)
    }

    @Test func negativeValuesReachValidation() {
        // They used to be taken for flags: "Missing value for '--validation'".
        #expect(
            parseError(["train", "--validation", "-0.1"]) == "dlboard: error: --validation: must be in [0, 1), got -0.1"
        )
        #expect(parseError(["train", "--batch", "-5"]) == "dlboard: error: --batch: must be at least 1, got -5")
        #expect(
            parseError(["train", "--hidden", "-5"])
                == "dlboard: error: --hidden: every layer needs at least 1 unit, got -5")
        #expect(
            parseError(["compare", "--lrs", "-1,0.1"])
                == "dlboard: error: --lrs: learning rates must be finite and > 0, got -1")
        #expect(parseError(["preset", "random-search", "--lr-range", "-2,-1"]) == nil)
        #expect(
            parseError(["preset", "random-search", "--wd-range", "-4,-8"])?.hasPrefix(
                "dlboard: error: --wd-range: give two exponents") == true)
        #expect(
            parseError(["preset", "batchnorm-grid", "--test-size", "-3"])
                == "dlboard: error: --test-size: must be at least 1, got -3")
    }

    /// Every --help page, root and subcommands, as users see it.
    static var helpPages: [(String, String)] {
        [("dlboard", DLBoard.helpMessage(columns: 80))]
            + DLBoard.configuration.subcommands.map { c in
                (c.configuration.commandName ?? "\(c)", DLBoard.helpMessage(for: c, columns: 80))
            }
    }

    @Test func helpPagesShowNoSwiftDescriptions() {
        #expect(Self.helpPages.count >= 8)
        for (name, page) in Self.helpPages {
            // Swift's own descriptions of a value: a struct's fields, optionals, module-qualified
            // names, array literals.
            for leak in [
                "(values: [", "Optional(", "CommaList", "HiddenLayers", "InitializerArgument", "NN.", "dlboard.",
                "Array<", "[\"", "DatasetName",
            ] {
                #expect(!page.contains(leak), "\(name) --help shows \(leak): \(page)")
            }
        }
        let preset = Self.helpPages.first { $0.0 == "preset" }!.1
        #expect(preset.contains("(default: -6,-2)") && preset.contains("(default: -8,-4)"), "\(preset)")
        let bench = Self.helpPages.first { $0.0 == "bench" }!.1.replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "  ", with: "")
        #expect(
            bench.contains("(default: 1,2)") && bench.contains("sgd,momentum,nesterov,adagrad,rmsprop,adam)"),
            "\(bench)")
    }

    @Test func validArgumentsParse() {
        #expect(
            parseError(["train", "--optimizer", "Adam", "--init", "0.01", "--hidden", "50,50", "--batchnorm"]) == nil)
    }
}

/// The same failures through the real executable: exit status, one stderr line, no crash.
@Suite(.serialized) struct BinaryErrorTests {
    func expectOneLineFailure(
        _ arguments: [String], mentioning needle: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let r = try BinaryRunner.run(arguments)
        #expect(!r.crashed, "dlboard crashed: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.status != 0, sourceLocation: sourceLocation)
        #expect(r.stderrLines.count == 1, "stderr: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.hasPrefix("dlboard: error: "), "stderr: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(needle), "stderr should name \(needle): \(r.stderr)", sourceLocation: sourceLocation)
    }

    @Test func badFlags() throws {
        try expectOneLineFailure(["train", "--lr", "0"], mentioning: "--lr")
        try expectOneLineFailure(["train", "--dropout", "1.5"], mentioning: "--dropout")
        try expectOneLineFailure(["train", "--hidden", "0"], mentioning: "--hidden")
        try expectOneLineFailure(["train", "--optimizer", "adamw"], mentioning: "adamw")
        try expectOneLineFailure(["train", "--no-such-flag"], mentioning: "--no-such-flag")
    }

    @Test func missingDataFolder() throws {
        try expectOneLineFailure(["train", "--data", "/nonexistent/mnist"], mentioning: "/nonexistent/mnist")
    }

    @Test func truncatedGzip() throws {
        let fx = CLIFixtures()
        defer { fx.remove() }
        fx.writeMNIST(train: 3000)
        let path = fx.path("train-images-idx3-ubyte.gz")
        let full = try Data(contentsOf: URL(fileURLWithPath: path))
        try full.prefix(full.count / 2).write(to: URL(fileURLWithPath: path))
        try expectOneLineFailure(["train", "--data", fx.directory], mentioning: path)
    }

    @Test func wrongMagic() throws {
        let fx = CLIFixtures()
        defer { fx.remove() }
        fx.writeMNIST()
        // Labels where images belong.
        try FileManager.default.removeItem(atPath: fx.path("t10k-images-idx3-ubyte.gz"))
        try FileManager.default.copyItem(
            atPath: fx.path("t10k-labels-idx1-ubyte.gz"), toPath: fx.path("t10k-images-idx3-ubyte.gz"))
        try expectOneLineFailure(
            ["train", "--data", fx.directory], mentioning: "t10k-images-idx3-ubyte.gz: wrong magic number")
    }

    @Test func imageLabelCountMismatch() throws {
        let fx = CLIFixtures()
        defer { fx.remove() }
        fx.writeMNIST(train: 40, trainLabels: 39)
        try expectOneLineFailure(["train", "--data", fx.directory], mentioning: "has 40 images but")
    }

    @Test func unwritableMetricsPathFailsBeforeTraining() throws {
        try expectOneLineFailure(["train", "--metrics-out", "/nonexistent/dir/m.jsonl"], mentioning: "--metrics-out")
    }

    @Test func trainSizeLargerThanTheData() throws {
        let fx = CLIFixtures()
        defer { fx.remove() }
        fx.writeMNIST(train: 40)
        try expectOneLineFailure(["train", "--data", fx.directory, "--train-size", "41"], mentioning: "--train-size")
    }

    @Test func emptyTrainingSplit() throws {
        // --validation keeps ≥ 1 image, so 1 image left none for training (a trap in BatchSampler).
        for command in [
            ["train", "--epochs", "1"], ["compare", "--optimizers", "sgd,adam", "--headless"], ["dashboard"],
        ] {
            try expectOneLineFailure(
                command + ["--train-size", "1", "--validation", "0.5"], mentioning: "leaves none to train on")
        }
        try expectOneLineFailure(
            ["preset", "random-search", "--train-size", "1", "--headless"], mentioning: "leaves none to train on")
    }

    /// Uncompressed MNIST-format files of `side`×`side` images (train and test may differ).
    func writeImages(
        _ fx: CLIFixtures, train: Int, test: Int, side: Int, testSide: Int? = nil,
        names: [String] = [
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
        ]
    ) {
        func images(_ n: Int, _ s: Int) -> Data {
            CLIFixtures.idx(
                magic: 0x803, dims: [n, s, s],
                data: (0..<(n * s * s)).map { i in UInt8((i / s % s) / 2 == (i / (s * s)) % 10 ? 200 : 10) })
        }
        func labels(_ n: Int) -> Data { CLIFixtures.idx(magic: 0x801, dims: [n], data: (0..<n).map { UInt8($0 % 10) }) }
        for (name, data) in zip(
            names, [images(train, side), labels(train), images(test, testSide ?? side), labels(test)])
        {
            FileManager.default.createFile(atPath: fx.path(name), contents: data)
        }
    }

    @Test func imagesOfAnotherSizeTrain() throws {
        let fx = CLIFixtures()
        defer { fx.remove() }
        writeImages(fx, train: 300, test: 50, side: 10)
        let r = try BinaryRunner.run([
            "train", "--data", fx.directory, "--epochs", "1", "--batch", "50", "--hidden", "20",
        ])
        #expect(r.status == 0 && !r.crashed, "\(r.stderr)")
        #expect(r.stdout.contains("network 100-20-10 ReLU"), "\(r.stdout)")
        let b = try BinaryRunner.run(
            [
                "bench", "--data", fx.directory, "--steps", "2", "--warmup", "0", "--repeats", "1", "--threads", "1",
                // The bench measures the machine's GEMM bound first: under ThreadSanitizer on a loaded
                // machine that alone can pass the default two minutes. This test is about the image size,
                // so no statistics cases either (at least 4×1,000 steps; `BenchReportTests` checks them).
                "--optimizers", "sgd", "--no-variants", "--no-frames", "--no-statistics",
            ], timeout: 600)
        #expect(b.status == 0 && !b.crashed, "status \(b.status): \(b.stderr)")
        #expect(b.stdout.contains("dlboard bench: 100-100-100-100-100-100-10"), "\(b.stdout)")
    }

    @Test func trainAndTestImagesOfDifferentSizes() throws {
        let fx = CLIFixtures()
        defer { fx.remove() }
        writeImages(fx, train: 300, test: 50, side: 10, testSide: 12)
        try expectOneLineFailure(
            ["train", "--data", fx.directory],
            mentioning:
                "\(fx.path("train-images-idx3-ubyte")) has 10×10 images but \(fx.path("t10k-images-idx3-ubyte")) has 12×12"
        )
    }

    @Test func mirrorNamingWithADot() throws {
        let fx = CLIFixtures()
        defer { fx.remove() }
        writeImages(
            fx, train: 200, test: 50, side: 28,
            names: [
                "train-images.idx3-ubyte", "train-labels.idx1-ubyte", "t10k-images.idx3-ubyte",
                "t10k-labels.idx1-ubyte",
            ])
        let r = try BinaryRunner.run([
            "train", "--data", fx.directory, "--epochs", "1", "--batch", "50", "--hidden", "20",
        ])
        #expect(r.status == 0 && r.stdout.contains("(200 train / 50 test)"), "\(r.stdout) \(r.stderr)")
        try FileManager.default.removeItem(atPath: fx.path("t10k-labels.idx1-ubyte"))
        try expectOneLineFailure(
            ["train", "--data", fx.directory],
            mentioning:
                "looked for t10k-labels-idx1-ubyte.gz, t10k-labels-idx1-ubyte, t10k-labels.idx1-ubyte.gz, t10k-labels.idx1-ubyte"
        )
    }

    @Test func headerWhoseSizesOverflow() throws {
        let fx = CLIFixtures()
        defer { fx.remove() }
        fx.writeMNIST()
        let path = fx.path("train-images-idx3-ubyte")
        try FileManager.default.removeItem(atPath: path + ".gz")
        FileManager.default.createFile(
            atPath: path, contents: Data([0, 0, 8, 3] + [UInt8](repeating: 0xFF, count: 12)))
        try expectOneLineFailure(
            ["train", "--data", fx.directory],
            mentioning: "\(path): header declares 4294967295×4294967295×4294967295 bytes")
    }

    @Test func hugeLayersAndBatches() throws {
        try expectOneLineFailure(["train", "--hidden", "10000000"], mentioning: "this configuration needs about")
        try expectOneLineFailure(["dashboard", "--hidden", "10000000"], mentioning: "this configuration needs about")
        try expectOneLineFailure(
            ["compare", "--optimizers", "sgd,adam", "--headless", "--hidden", "100000", "--batch", "10000000"],
            mentioning: "these 2 runs need about")
        // A batch larger than the training set is clamped to it, and said.
        let r = try BinaryRunner.run([
            "train", "--batch", "10000000", "--train-size", "300", "--hidden", "10", "--epochs", "1",
        ])
        #expect(r.status == 0 && !r.crashed, "\(r.stderr)")
        #expect(r.stderr == "dlboard: batch 10000000 is more than the 300 training images; each batch takes 300\n")
        #expect(r.stdout.contains("batch 300 · 1 steps/epoch"), "\(r.stdout)")
    }

    @Test func presetSizesBeyondTheData() throws {
        try expectOneLineFailure(
            ["preset", "optimizer-race", "--headless", "--test-size", "99999999"],
            mentioning: "--test-size: 99999999 is more than the 10000 test images")
        let fx = CLIFixtures()
        defer { fx.remove() }
        fx.writeMNIST(train: 200, test: 20)
        // The user gave no --train-size: the message says it is the preset's default.
        try expectOneLineFailure(
            ["preset", "overfit-weight-decay", "--headless", "--data", fx.directory],
            mentioning:
                "preset overfit-weight-decay trains on 300 images by default, but \(fx.directory) has only 200; give --train-size 200 or less"
        )
        try expectOneLineFailure(
            ["preset", "overfit-weight-decay", "--headless", "--data", fx.directory, "--train-size", "201"],
            mentioning: "--train-size: 201 is more than the 200 training images")
    }
}
