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
        #expect(parseError(["train", "--lr", "0"]) == "dlboard: error: --lr: learning rate must be a positive number, got 0.0")
    }

    @Test func dropoutAboveOne() {
        #expect(parseError(["train", "--dropout", "1.5"]) == "dlboard: error: --dropout: ratio must be in [0, 1), got 1.5")
    }

    @Test func zeroWidthHiddenLayer() {
        #expect(parseError(["train", "--hidden", "0"]) == "dlboard: error: --hidden: every layer needs at least 1 unit, got 0")
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
        #expect(parseError(["train", "--validation", "1"]) == "dlboard: error: --validation: fraction must be in [0, 1), got 1.0")
        #expect(parseError(["train", "--lr", "nan"])?.contains("--lr") == true)
    }

    @Test func validArgumentsParse() {
        #expect(parseError(["train", "--optimizer", "Adam", "--init", "0.01", "--hidden", "50,50", "--batchnorm"]) == nil)
    }
}

/// The same failures through the real executable: exit status, one stderr line, no crash.
@Suite(.serialized) struct BinaryErrorTests {
    func expectOneLineFailure(_ arguments: [String], mentioning needle: String,
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
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
        let fx = CLIFixtures(); defer { fx.remove() }
        fx.writeMNIST(train: 3000)
        let path = fx.path("train-images-idx3-ubyte.gz")
        let full = try Data(contentsOf: URL(fileURLWithPath: path))
        try full.prefix(full.count / 2).write(to: URL(fileURLWithPath: path))
        try expectOneLineFailure(["train", "--data", fx.directory], mentioning: path)
    }

    @Test func wrongMagic() throws {
        let fx = CLIFixtures(); defer { fx.remove() }
        fx.writeMNIST()
        // Labels where images belong.
        try FileManager.default.removeItem(atPath: fx.path("t10k-images-idx3-ubyte.gz"))
        try FileManager.default.copyItem(atPath: fx.path("t10k-labels-idx1-ubyte.gz"), toPath: fx.path("t10k-images-idx3-ubyte.gz"))
        try expectOneLineFailure(["train", "--data", fx.directory], mentioning: "t10k-images-idx3-ubyte.gz: wrong magic number")
    }

    @Test func imageLabelCountMismatch() throws {
        let fx = CLIFixtures(); defer { fx.remove() }
        fx.writeMNIST(train: 40, trainLabels: 39)
        try expectOneLineFailure(["train", "--data", fx.directory], mentioning: "has 40 images but")
    }

    @Test func unwritableMetricsPathFailsBeforeTraining() throws {
        try expectOneLineFailure(["train", "--metrics-out", "/nonexistent/dir/m.jsonl"], mentioning: "--metrics-out")
    }

    @Test func trainSizeLargerThanTheData() throws {
        let fx = CLIFixtures(); defer { fx.remove() }
        fx.writeMNIST(train: 40)
        try expectOneLineFailure(["train", "--data", fx.directory, "--train-size", "41"], mentioning: "--train-size")
    }
}
