import Foundation
import Testing

/// `--inputs`, `--augment` and their `compare` lists end to end: one run per value, titled by it,
/// the record's config carrying it (and leaving the book's values out).
@Suite(.serialized) struct AugmentationCommandTests {
    @Test(
        arguments: [
            (
                ["--inputs-list", "unit,raw,standardize"], ["inputs /255", "inputs 0…255", "inputs standardized"],
                "inputs", [nil, "raw", "standardize"]
            ),
            (
                ["--augments", "none,shift:2,shift:1+rotate:10+noise:0.1"],
                ["no augmentation", "shift ±2", "shift ±1 rotate ±10° noise 0.1"], "augment",
                [nil, "shift:2", "shift:1+rotate:10+noise:0.1"]
            ),
        ] as [([String], [String], String, [String?])])
    func comparesTheScalingsAndAugmentations(
        _ flags: [String], _ titles: [String], _ key: String, _ recorded: [String?]
    ) throws {
        let fx = CLIFixtures()
        defer { fx.remove() }
        fx.writeMNIST(train: 100, test: 20)
        let log = fx.path("c.jsonl")
        let r = try BinaryRunner.run(
            ["compare", "--headless", "--data", fx.directory, "--hidden", "16", "--epochs", "1", "--batch", "20"]
                + flags + ["--metrics-out", log])
        #expect(r.status == 0, "\(r.stderr)")
        for (i, title) in titles.enumerated() { #expect(r.stdout.contains("run \(i + 1): \(title)"), "\(r.stdout)") }
        let configs = try CompareCommandTests.records(log).filter { $0["type"] as? String == "config" }
        #expect(configs.compactMap { $0["config"] as? [String: Any] }.map { $0[key] as? String } == recorded)
    }

    @Test func trainSaysItsInputsAndAugmentation() throws {
        let fx = CLIFixtures()
        defer { fx.remove() }
        fx.writeMNIST(train: 100, test: 20)
        let r = try BinaryRunner.run([
            "train", "--data", fx.directory, "--hidden", "16", "--epochs", "1", "--batch", "20", "--inputs",
            "standardize", "--augment", "shift:2,rotate:10,noise:0.1",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.stdout.contains("ReLU, init He, inputs standardized, augment shift ±2 rotate ±10° noise 0.1 · "),
            "\(r.stdout)")
        let plain = try BinaryRunner.run(["train", "--data", fx.directory, "--hidden", "16", "--epochs", "1"])
        #expect(plain.status == 0 && !plain.stdout.contains("inputs") && !plain.stdout.contains("augment"))
    }

    @Test func badValuesAreOneLineErrors() throws {
        for (args, message) in [
            (["train", "--augment", "flip:1"], "--augment"),
            (["train", "--augment", "shift:-1"], "--augment: shift must be in 0…100 pixels, got -1"),
            (["train", "--augment", "noise:2"], "--augment: noise must be in 0…1, got 2"),
            (["train", "--inputs", "zscore"], "zscore"),
            (["compare", "--augments", "none,rotate:400"], "--augments: rotate must be in 0…180 degrees, got 400"),
            (
                ["compare", "--inputs-list", "unit,raw", "--augments", "none,shift:1"],
                "got --inputs-list and --augments"
            ),
        ] {
            let r = try BinaryRunner.run(args)
            #expect(r.status != 0 && !r.crashed)
            #expect(r.stderrLines.count == 1 && r.stderr.hasPrefix("dlboard: error:"), "\(args): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
        }
    }
}
