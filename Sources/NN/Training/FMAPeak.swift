import CKernels
import Foundation

/// The measured FMA peak of one core: GFLOP/s of a loop of independent vector FMAs in registers
/// (`dlboard_fma_loop`, AVX-512, AVX2 or SSE by the CPU), the ceiling any single-threaded sgemm
/// works under. Measured rather than computed from a nominal clock: a VM's clock, turbo and the
/// AVX-512 frequency licence all move it.
public struct FMAPeak: Sendable, Codable, Equatable {
    /// The best round's GFLOP/s (the machine is noisy; the peak is a best case).
    public var gflops: Double
    /// The slowest and fastest rounds.
    public var gflopsRange: [Double]
    /// 512, 256 or 128.
    public var vectorBits: Int
    public var instructions: String
    public var accumulators: Int
    public var rounds: Int

    /// Best of `rounds` rounds of about `roundSeconds` each (short: on a shared machine a round the
    /// scheduler leaves alone is likelier), after calibration rounds that also
    /// warm the core up (a 512-bit unit may be powered down until it is used).
    public static func measure(rounds: Int = 40, roundSeconds: Double = 0.001) -> FMAPeak {
        func timed(_ iterations: Int) -> (flops: Double, seconds: Double) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let flops = dlboard_fma_loop(iterations)
            return (flops, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        var iterations = 10_000
        while true {
            let (_, s) = timed(iterations)
            if s >= roundSeconds || iterations > 1 << 30 { break }
            iterations *= s > roundSeconds / 64 ? 2 : 16
        }
        var rates: [Double] = []
        for _ in 0..<max(1, rounds) {
            let (flops, s) = timed(iterations)
            rates.append(flops / max(s, 1e-9) / 1e9)
        }
        let bits = Int(dlboard_fma_width())
        return FMAPeak(
            gflops: rates.max()!, gflopsRange: [rates.min()!, rates.max()!], vectorBits: bits,
            instructions: bits == 512 ? "AVX-512F vfmadd" : bits == 256 ? "AVX2 vfmadd" : "SSE2 mulps + addps",
            accumulators: Int(DLBOARD_FMA_ACCUMULATORS), rounds: max(1, rounds))
    }
}
