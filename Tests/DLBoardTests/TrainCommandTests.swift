import Foundation
import NN
import Testing

/// `dlboard train` end to end on a small made-up dataset: the epoch lines and the JSONL log.
@Suite(.serialized) struct TrainCommandTests {
    @Test func trainsAndWritesMetrics() throws {
        let fx = CLIFixtures()
        defer { fx.remove() }
        fx.writeMNIST(train: 200, test: 100)
        let log = fx.path("m.jsonl")
        let r = try BinaryRunner.run([
            "train", "--data", fx.directory, "--optimizer", "adam", "--hidden", "32,32",
            "--epochs", "3", "--batch", "20", "--validation", "0.2", "--metrics-out", log,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.contains { $0.contains("784-32-32-10") && $0.contains("Adam lr 0.001") })
        let epochLines = lines.filter { $0.trimmingCharacters(in: .whitespaces).first?.isNumber == true }
        #expect(epochLines.count == 3)
        #expect(lines.last?.hasPrefix("done: 3 epochs, 24 steps") == true, "160 train images / 20 = 8 steps per epoch")

        let records = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        #expect(records.first?["type"] as? String == "config")
        #expect(records.first?["train_size"] as? Int == 160 && records.first?["validation_size"] as? Int == 40)
        let config = records.first?["config"] as? [String: Any]
        #expect(config?["optimizer"] as? String == "adam")
        #expect(records.filter { $0["type"] as? String == "step" }.count == 24)
        let evals = records.filter { $0["type"] as? String == "eval" }
        #expect(evals.count == 3)
        #expect(evals.allSatisfy { $0["val_acc"] is Double && $0["test_acc"] is Double })
        #expect(records.last?["type"] as? String == "summary")
        // The task is easy: the band's row gives the label away.
        #expect((evals.last?["test_acc"] as? Double ?? 0) > 0.5)
    }

    /// --loss mse with a Leaky ReLU of slope 0.1: said in the heading, recorded in the config, and the
    /// step losses are MSE's (½Σ(y − t)² ≤ 1 a sample), not cross-entropy's ln 10 ≈ 2.3 at the start.
    @Test func trainsWithMeanSquaredErrorAndLeakyReLU() throws {
        let fx = CLIFixtures()
        defer { fx.remove() }
        fx.writeMNIST(train: 200, test: 50)
        let log = fx.path("m.jsonl")
        let r = try BinaryRunner.run([
            "train", "--data", fx.directory, "--loss", "mse", "--activation", "leaky-relu:0.1", "--hidden", "16",
            "--epochs", "2", "--batch", "20", "--lr", "0.1", "--metrics-out", log,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("network 784-16-10 Leaky ReLU 0.1, init He, loss MSE ·"), "\(r.stdout)")
        let records = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        let network = (records.first?["config"] as? [String: Any])?["network"] as? [String: Any]
        #expect(network?["loss"] as? String == "mse" && network?["activation"] as? String == "leaky-relu:0.1")
        let losses = records.filter { $0["type"] as? String == "step" }.compactMap { $0["loss"] as? Double }
        #expect(losses.count == 20 && losses.allSatisfy { $0 > 0 && $0 <= 1 }, "\(losses)")
    }

    @Test func divergenceIsReportedNotCrashed() throws {
        let fx = CLIFixtures()
        defer { fx.remove() }
        fx.writeMNIST(train: 200, test: 50)
        let r = try BinaryRunner.run([
            "train", "--data", fx.directory, "--lr", "1e30", "--hidden", "16", "--epochs", "2", "--batch", "20",
        ])
        #expect(!r.crashed)
        #expect(r.stdout.contains("diverged at step"), "\(r.stdout)")
        #expect(r.stdout.contains("lower learning rate"))
    }

    /// One rule for train accuracy: `dlboard train` and the dashboard (here its headless form, stdout
    /// being a pipe) measure the same images — the first 10,000 of a 12,000-image training set — so
    /// the same run records the same train accuracy in both.
    @Test func trainAndTheDashboardRecordTheSameTrainAccuracy() throws {
        let dir = NSTemporaryDirectory() + "dlboard-rule-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let flags = ["--train-size", "12000", "--hidden", "16", "--epochs", "2", "--seed", "3", "--optimizer", "adam"]
        func trainAccuracies(_ command: String) throws -> [Double] {
            let log = "\(dir)/\(command).jsonl"
            let r = try BinaryRunner.run([command] + flags + ["--metrics-out", log], timeout: 300)
            #expect(r.status == 0, "\(command): \(r.stderr)")
            return try CompareCommandTests.records(log).filter { $0["type"] as? String == "eval" }.compactMap {
                $0["train_acc"] as? Double
            }
        }
        let train = try trainAccuracies("train")
        let dashboard = try trainAccuracies("dashboard")
        #expect(train.count == 2)
        #expect(train == dashboard, "train \(train) vs dashboard \(dashboard)")
        // 10,000 of 12,000 images: a multiple of 1/10,000 (the whole set would give twelfths too).
        for a in train { #expect(abs(a * 10_000 - (a * 10_000).rounded()) < 1e-6, "\(a)") }
    }

    /// A kernel forced narrower than the CPU (the Haswell workaround some machines set globally)
    /// halves every samples/s figure `train` prints: its header says so, as `bench`'s does.
    @Test func aForcedNarrowKernelIsWarnedAbout() throws {
        let fx = CLIFixtures()
        defer { fx.remove() }
        fx.writeMNIST(train: 100, test: 20)
        let args = ["train", "--data", fx.directory, "--hidden", "8", "--epochs", "1", "--batch", "20"]
        let forced = try BinaryRunner.run(args, environment: ["OPENBLAS_CORETYPE": "Haswell"])
        #expect(forced.status == 0, "\(forced.stderr)")
        let warning = forced.stdout.split(separator: "\n").first { $0.hasPrefix("warning: ") }
        let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        if BLASKernel.isa(flags: BLASKernel.cpuFlags(cpuinfo: cpuinfo)) == .avx512 {
            #expect(warning?.contains("OPENBLAS_CORETYPE=Haswell") == true, "\(forced.stdout)")
            #expect(warning?.contains("half") == true, "\(forced.stdout)")
        } else {
            #expect(warning == nil, "AVX2 is all this CPU has: \(forced.stdout)")
        }
    }

    /// OpenBLAS falls back to its SSE3 `Prescott` kernel on CPUs it does not know; dlboard restarts
    /// itself with a kernel the CPU supports (about 4× faster here).
    @Test func aModernCPUGetsAModernBLASKernel() throws {
        let fx = CLIFixtures()
        defer { fx.remove() }
        fx.writeMNIST(train: 100, test: 20)
        let r = try BinaryRunner.run([
            "train", "--data", fx.directory, "--hidden", "8", "--epochs", "1", "--batch", "20",
        ])
        #expect(r.status == 0)
        let kernel = r.stdout.split(separator: "\n").first { $0.contains("kernel ") }.map {
            String($0.split(separator: " ").last ?? "")
        }
        #expect(kernel != nil, "the header names the BLAS kernel")
        let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        if flags.contains(" avx2") && flags.contains(" fma")
            && ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil
        {
            #expect(kernel != "Prescott", "got \(kernel ?? "?") on a CPU with AVX2")
        }
    }
}
