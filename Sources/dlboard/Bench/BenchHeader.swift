import Foundation
import NN

/// What `dlboard bench` measures before its cases, so its numbers can be read: the CPU, the BLAS
/// kernel and who chose it, the core's measured FMA peak, and each GEMM shape of a step alone in
/// GFLOP/s against that peak (where the step's products are slow, not just how slow in total).
struct BenchHeader: Codable {
    struct CPU: Codable, Equatable {
        /// /proc/cpuinfo's "model name" ("unknown" if unreadable).
        var model: String
        /// The widest vector set a kernel can use: "AVX-512", "AVX2", "AVX" or "SSE".
        var isa: String
        /// Notable extensions present, by their /proc/cpuinfo names.
        var extensions: [String]
        var cores: Int

        static let notable = [
            "avx512_bf16", "avx512_fp16", "avx512_vnni", "avx_vnni", "amx_tile", "amx_bf16", "amx_int8",
        ]

        init(cpuinfo: String?, cores: Int) {
            let flags = BLASKernel.cpuFlags(cpuinfo: cpuinfo)
            model = BLASKernel.cpuModel(cpuinfo: cpuinfo) ?? "unknown"
            isa = BLASKernel.isa(flags: flags).displayName
            extensions = Self.notable.filter(flags.contains)
            self.cores = cores
        }

        var line: String {
            "\(model) · \(isa)" + (extensions.isEmpty ? "" : " (\(extensions.joined(separator: ", ")))")
                + " · \(cores) core(s)"
        }
    }

    /// One distinct product shape of a step, timed alone on one BLAS thread.
    struct ShapeRate: Codable {
        var shape: String
        var m: Int
        var n: Int
        var k: Int
        var transposeA: Bool
        var transposeB: Bool
        /// The Affine layers (1 = first) and products ("X·W", "Xᵀ·dY", "dY·Wᵀ") it serves, one entry per use.
        var layers: [Int]
        var products: [String]
        var usesPerStep: Int
        var mflop: Double
        var microseconds: Double
        var gflops: Double
        var fractionOfPeak: Double
    }

    var cpu: CPU
    var kernel: KernelVerdict
    var fmaPeak: FMAPeak
    var shapes: [ShapeRate]
    /// Σ uses × time alone: what the step's products cost when each runs in a loop of its own, next
    /// to the bound, where they run in turn as in a step.
    var shapesSumMsPerStep: Double

    /// Measures on one BLAS thread (the peak is one core's); the caller restores its own count.
    static func measure(network: NetworkConfig, batch: Int) -> BenchHeader {
        let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let kernel = KernelVerdict.current()
        BLASThreads.set(1)
        let peak = FMAPeak.measure()
        var shapes: [ShapeRate] = []
        for (shape, roles) in GEMMBound.distinctShapes(of: network, batch: batch) {
            // About as many calls per round for every shape, whatever its size: ~1 ms a round.
            let repeats = max(10, min(2000, Int(1e8 / max(shape.flops, 1))))
            let seconds = GEMMBound.measureSeconds(of: shape, repeats: repeats, rounds: 10)
            let gflops = shape.flops / seconds / 1e9
            shapes.append(
                ShapeRate(
                    shape: shape.description, m: shape.m, n: shape.n, k: shape.k, transposeA: shape.transposeA,
                    transposeB: shape.transposeB, layers: roles.map(\.layer), products: roles.map(\.product.rawValue),
                    usesPerStep: roles.count, mflop: shape.flops / 1e6, microseconds: seconds * 1e6, gflops: gflops,
                    fractionOfPeak: gflops / peak.gflops))
        }
        let sum = shapes.reduce(0) { $0 + Double($1.usesPerStep) * $1.microseconds } / 1e3
        return BenchHeader(
            cpu: CPU(cpuinfo: cpuinfo, cores: ProcessInfo.processInfo.activeProcessorCount), kernel: kernel,
            fmaPeak: peak, shapes: shapes, shapesSumMsPerStep: sum)
    }

    /// The header as printed above the cases.
    var lines: [String] {
        var out = ["CPU: \(cpu.line)", "BLAS kernel: \(kernel.summary)"]
        if let w = kernel.warning { out.append("warning: \(w)") }
        out.append(
            String(format: "FMA peak, one core: %.1f GFLOP/s", fmaPeak.gflops)
                + " (\(fmaPeak.instructions), \(fmaPeak.accumulators) accumulators, best of \(fmaPeak.rounds) rounds: "
                + String(format: "%.1f–%.1f)", fmaPeak.gflopsRange[0], fmaPeak.gflopsRange[1]))
        out.append("GEMM shapes of a step, each alone, 1 BLAS thread (best of 10 rounds of ~1 ms):")
        out.append("  shape                 uses  products (layer)                 µs/call   GFLOP/s  of peak")
        for s in shapes {
            let uses = zip(s.products, s.layers).map { "\($0) \($1)" }
            let used = uses.count > 3 ? "\(uses[0]) … \(uses[uses.count - 1])" : uses.joined(separator: ", ")
            out.append(
                "  " + s.shape.padding(toLength: 20, withPad: " ", startingAt: 0)
                    + String(format: " %5d  ", s.usesPerStep) + used.padding(toLength: 30, withPad: " ", startingAt: 0)
                    + String(format: " %9.2f %9.1f %7.2f", s.microseconds, s.gflops, s.fractionOfPeak))
        }
        out.append(String(format: "  the step's products, each alone: %.3f ms/step", shapesSumMsPerStep))
        return out
    }
}
