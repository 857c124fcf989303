import Foundation
import NN
import Testing

@testable import dlboard

/// The Dropout form and the input Dropout from the command line to the record and back: `train`
/// says them, the header carries them, `replay` and `export` read them, the Dropout keys keep the
/// form, the status bar says it.
@Suite(.serialized) struct DropoutFormRecordTests {
    @Test func trainRecordsReplaysAndExportsTheDropoutForm() throws {
        let fx = CLIFixtures()
        defer { fx.remove() }
        fx.writeMNIST(train: 200, test: 50)
        let log = fx.path("d.jsonl")
        let r = try BinaryRunner.run([
            "train", "--data", fx.directory, "--hidden", "16", "--epochs", "2", "--batch", "20", "--dropout", "0.2",
            "--dropout-style", "inverted", "--input-dropout", "0.2", "--metrics-out", log,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.stdout.contains("network 784-16-10 ReLU, init He, Dropout 0.2, input Dropout 0.2, inverted Dropout ·"),
            "\(r.stdout)")
        let header = try #require(
            try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").first.map {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
            })
        let network = (header["config"] as? [String: Any])?["network"] as? [String: Any]
        #expect(network?["dropoutStyle"] as? String == "inverted" && network?["inputDropout"] as? Double == 0.2)

        let record = try RunRecordReader.read(path: log)
        #expect(record.runs[0].config.network.dropoutStyle == .inverted)
        #expect(record.runs[0].config.network.inputDropout == 0.2)
        let replay = try BinaryRunner.run(["replay", "--headless", log])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(
            replay.stdout.contains("784-16-10 ReLU, init He, dropout 0.2, input dropout 0.2, inverted dropout ·"),
            "\(replay.stdout)")
        let csv = fx.path("d.csv")
        let export = try BinaryRunner.run(["export", log, "--csv", csv])
        #expect(export.status == 0, "\(export.stderr)")
        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        #expect(rows.dropFirst().filter { $0.contains(",step,") }.count == 20, "every step exported")

        // The book's form, the default, goes unsaid and is written as "book".
        let plain = fx.path("p.jsonl")
        let p = try BinaryRunner.run([
            "train", "--data", fx.directory, "--hidden", "16", "--epochs", "1", "--batch", "20", "--dropout", "0.2",
            "--metrics-out", plain,
        ])
        #expect(p.status == 0 && p.stdout.contains("Dropout 0.2 ·") && !p.stdout.contains("inverted"), "\(p.stdout)")
        #expect(try RunRecordReader.read(path: plain).runs[0].config.network.dropoutStyle == .book)
    }

    /// `d`, `[` and `]` switch Dropout on and step it in the run's form: the layers they make are
    /// inverted when the run is.
    @Test func theDropoutKeysKeepTheForm() throws {
        var config = SessionTests.config
        config.network.dropoutStyle = .inverted
        var driver = RunDriver(
            id: 0, trainer: Trainer(config: config, data: SessionTests.dataset()), title: "", paused: true,
            histogramInterval: 1)
        driver.apply(.toggleDropout(onRatio: 0.2))
        driver.apply(.stepDropout(by: 1))
        #expect(driver.takeOutput().events.map(\.kind) == [.dropout, .dropout])
        #expect(driver.trainer.network.config.dropout == 0.25)
        #expect(driver.trainer.network.dropouts.allSatisfy { $0.style == .inverted && $0.ratio == 0.25 })
        #expect(driver.trainer.config.network.dropoutStyle == .inverted)
    }

    /// The status bar names the inverted form beside the ratio and an input Dropout on its own; the
    /// book's form goes unsaid, as before.
    @Test func theStatusBarSaysTheForm() {
        var c = TrainingConfig()
        #expect(OptimizerStatusTests.bar(c).contains("│ dropout off │"))
        c.network.dropout = 0.2
        #expect(OptimizerStatusTests.bar(c).contains("│ dropout 0.2 │"))
        c.network.dropoutStyle = .inverted
        #expect(OptimizerStatusTests.bar(c).contains("│ dropout 0.2 inverted │"))
        c.network.inputDropout = 0.2
        // Wider than 80 columns: at 80 it gives way to the higher-ranked parts, after the speed.
        var pane = PaneState(datasetName: "MNIST")
        pane.status = .init(
            config: c, step: 0, stepsPerEpoch: 600, epochTarget: 20, stepTarget: 12_000, paused: true,
            diverged: false, finished: false, samplesPerSecond: 0, lastLoss: 0.3)
        let bar = PaneView(state: pane, glyphs: .braille).render(width: 160, height: 24).line(22)
        #expect(
            bar.contains("│ dropout 0.2 inverted │ wd 0 │ batch 100 │ 0 samples/s │ input dropout 0.2 inverted"),
            "\(bar)")
        c.network.dropout = 0
        #expect(OptimizerStatusTests.bar(c).contains("│ dropout off │"), "no form without the hidden Dropout")
    }
}
