import Foundation
import Testing

/// `dlboard trial --restore` onto other training images of the same count, through the built
/// binary: refused in one line naming the checkpoint and the flags that choose the data.
@Suite struct TrialRestoreDataTests {
    /// A checkpoint of 400 training images (500 with a 0.2 validation split), restored on the first
    /// 400 images without the split: the same count, other images.
    @Test func aRestoreOntoOtherTrainingImagesIsOneLine() throws {
        let fx = CLIFixtures()
        fx.writeMNIST(train: 500, test: 100)
        defer { fx.remove() }
        let ck = fx.path("ck")
        let flags = ["trial", "--data", fx.directory, "--hidden", "50"]
        let r0 = try BinaryRunner.run(
            flags + [
                "--validation", "0.2", "--epochs", "1", "--checkpoint-dir", ck, "--metrics-out", fx.path("a.jsonl"),
            ])
        #expect(r0.status == 0, "\(r0.stderr)")
        let r = try BinaryRunner.run(
            flags + ["--train-size", "400", "--epochs", "2", "--restore", ck, "--metrics-out", fx.path("b.jsonl")])
        #expect(!r.crashed && r.status == 1, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(r.stderrLines.count == 1, "\(r.stderr)")
        #expect(
            r.stderr.hasPrefix(
                "dlboard: error: --restore \(ck): checkpoint '\(ck)/dlboard.ckpt' was trained on other training images (checksum "
            ), "\(r.stderr)")
        #expect(r.stderr.contains("give the same --data/--train-size/--validation"), "\(r.stderr)")
    }
}
