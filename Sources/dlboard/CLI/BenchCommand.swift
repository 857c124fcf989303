import ArgumentParser
import Foundation
import NN
import TUI

/// `dlboard bench`: training speed of the book's network 784-100×5-10 (ReLU, He, batch 100) on MNIST
/// for each optimizer and the BatchNorm / LayerNorm / Dropout / weight-decay variants, at 1 and 2 BLAS threads,
/// against the GEMM bound measured in the same run; and the dashboard's frame render time.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure training speed against the GEMM bound, and the dashboard's frame time."
    )

    @Option(parsing: .unconditional, help: "Timed steps per case (after the warm-up).")
    var steps: Int = 300

    @Option(parsing: .unconditional, help: "Untimed steps first, per case.")
    var warmup: Int = 50

    @Option(parsing: .unconditional, help: "Timed repetitions per case; the median is reported.")
    var repeats: Int = 3

    @Option(parsing: .unconditional, help: "BLAS thread counts to measure, e.g. 1,2.")
    var threads: CommaList<Int> = CommaList([1, 2])

    @Option(help: "Optimizers for the plain network.")
    var optimizers: CommaList<OptimizerKind> = CommaList(OptimizerKind.allCases)

    @Flag(help: "Skip the BatchNorm / LayerNorm / Dropout / weight-decay variants.")
    var noVariants = false

    @Flag(help: "Skip the frame render measurement.")
    var noFrames = false

    @Flag(help: "Skip per-layer statistics at the dashboard's rate against statistics off.")
    var noStatistics = false

    @Flag(help: "One JSON object on stdout instead of the table.")
    var json = false

    @Option(help: "Folder with the four MNIST-format IDX files (default: the bundled assets/mnist).")
    var data: String?

    func validate() throws {
        if steps < 1 { throw ValidationError("--steps: must be at least 1, got \(steps)") }
        if warmup < 0 { throw ValidationError("--warmup: must be ≥ 0, got \(warmup)") }
        if repeats < 1 { throw ValidationError("--repeats: must be at least 1, got \(repeats)") }
        for t in threads.values where !(1...64).contains(t) {
            throw ValidationError("--threads: must be in 1…64, got \(t)")
        }
    }

    func run() throws {
        try Benchmark(
            steps: steps, warmup: warmup, repeats: repeats, threads: threads.values, optimizers: optimizers.values,
            variants: !noVariants, frames: !noFrames, statistics: !noStatistics, json: json, data: data
        ).run()
    }
}
