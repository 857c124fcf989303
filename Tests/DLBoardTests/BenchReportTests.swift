import Foundation
import NN
import Testing

@testable import dlboard

/// `dlboard bench`'s honest-reporting header: who chose the BLAS kernel, the warning when it is too
/// narrow for the CPU, the CPU itself. Pure inputs → verdict.
@Suite struct KernelVerdictTests {
    /// The flags of this project's machine (Sapphire Rapids class: AVX-512 with BF16 and FP16).
    static let avx512: Set<String> = [
        "fpu", "sse2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl",
        "avx512_bf16", "avx512_fp16",
    ]
    static let avx2: Set<String> = ["fpu", "sse2", "avx", "avx2", "fma"]

    @Test func haswellForcedOnAnAVX512CPUWarns() {
        let v = KernelVerdict(
            environment: ["OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_L2_SIZE": "1048576"], flags: Self.avx512,
            coreName: "Haswell")
        #expect(v.origin == .environment && v.forced)
        #expect(v.kernelISA == "AVX2" && v.cpuISA == "AVX-512")
        #expect(v.coreTypeVariable == "Haswell" && v.l2SizeVariable == "1048576")
        let w = v.warning ?? ""
        #expect(
            w.contains("OPENBLAS_CORETYPE=Haswell") && w.contains("half") && w.contains("env -u OPENBLAS_CORETYPE"),
            "\(w)")
        #expect(w.contains("Cooperlake"), "names the kernel dlboard would pick: \(w)")
        #expect(v.summary.contains("forced by OPENBLAS_CORETYPE=Haswell in your environment"), "\(v.summary)")
        #expect(v.summary.contains("OPENBLAS_L2_SIZE=1048576"), "\(v.summary)")
    }

    @Test func cooperlakeChosenByDLBoardDoesNotWarn() {
        // Exactly what `DLBoard.chooseBLASKernel` puts in the environment before its re-exec.
        let v = KernelVerdict(
            environment: [
                "OPENBLAS_CORETYPE": "Cooperlake",
                KernelVerdict.reexecMarker: KernelVerdict.marker(chosen: "Cooperlake", openBLASPick: "Prescott"),
            ], flags: Self.avx512, coreName: "Cooperlake")
        #expect(v.origin == .dlboard && !v.forced && v.warning == nil)
        #expect(v.openBLASPick == "Prescott")
        #expect(v.summary == "Cooperlake (AVX-512), chosen by dlboard (OpenBLAS picked Prescott)")
    }

    @Test func skylakeXForcedOnAnAVX512CPUDoesNotWarn() {
        let v = KernelVerdict(
            environment: ["OPENBLAS_CORETYPE": "SkylakeX"], flags: Self.avx512, coreName: "SkylakeX")
        #expect(v.origin == .environment && v.forced && v.warning == nil)
        #expect(v.summary.contains("forced by OPENBLAS_CORETYPE=SkylakeX"))
    }

    /// A shell that inherited dlboard's marker, where the user then set another kernel: theirs.
    @Test func aChangedVariableIsTheUsersEvenWithTheMarker() {
        let v = KernelVerdict(
            environment: [
                "OPENBLAS_CORETYPE": "Haswell",
                KernelVerdict.reexecMarker: KernelVerdict.marker(chosen: "Cooperlake", openBLASPick: "Prescott"),
            ], flags: Self.avx512, coreName: "Haswell")
        #expect(v.origin == .environment && v.forced && v.warning != nil && v.openBLASPick == nil)
        // The marker alone, without the variable, says nothing either.
        let stale = KernelVerdict(
            environment: [KernelVerdict.reexecMarker: "Cooperlake:Prescott"], flags: Self.avx512, coreName: "SkylakeX")
        #expect(stale.origin == .openBLAS && !stale.forced && stale.warning == nil)
    }

    @Test func anL2SizeAloneIsForcedButNotWarned() {
        let v = KernelVerdict(environment: ["OPENBLAS_L2_SIZE": "524288"], flags: Self.avx512, coreName: "SkylakeX")
        #expect(v.origin == .openBLAS && v.forced && v.warning == nil)
        #expect(v.summary == "SkylakeX (AVX-512), OpenBLAS's own pick; OPENBLAS_L2_SIZE=524288 in your environment")
    }

    /// OpenBLAS's own narrow pick (a re-exec that did not happen, or an AVX2 kernel for an AVX-512
    /// CPU it does not know) is not the user's doing, but still costs speed: a warning without blame.
    @Test func anUnforcedNarrowKernelWarnsWithoutBlamingTheEnvironment() {
        let v = KernelVerdict(environment: [:], flags: Self.avx512, coreName: "Prescott")
        #expect(v.origin == .openBLAS && !v.forced)
        let w = v.warning ?? ""
        #expect(w.contains("SSE kernel Prescott") && w.contains("OPENBLAS_CORETYPE=Cooperlake"), "\(w)")
        #expect(!w.contains("your environment"), "\(w)")
    }

    @Test func kernelsMatchingTheCPUOrUnknownDoNotWarn() {
        #expect(KernelVerdict(environment: [:], flags: Self.avx2, coreName: "Haswell").warning == nil)
        #expect(KernelVerdict(environment: [:], flags: Self.avx2, coreName: "Zen").warning == nil)
        #expect(KernelVerdict(environment: [:], flags: Self.avx512, coreName: "SapphireRapids").warning == nil)
        // A name this table does not know is not called narrow.
        let unknown = KernelVerdict(environment: [:], flags: Self.avx512, coreName: "NewLake")
        #expect(unknown.warning == nil && unknown.kernelISA == "unknown")
        // An older kernel forced on an AVX2 CPU warns too, with the cost said generally.
        let sse = KernelVerdict(environment: ["OPENBLAS_CORETYPE": "Prescott"], flags: Self.avx2, coreName: "Prescott")
        #expect(sse.warning?.contains("on this AVX2 CPU") == true && sse.warning?.contains("Haswell") == true)
    }

    @Test func instructionSetsOfCoresAndFlags() {
        #expect(BLASKernel.isa(ofCore: "cooperlake") == .avx512 && BLASKernel.isa(ofCore: "SkylakeX") == .avx512)
        #expect(BLASKernel.isa(ofCore: "Haswell") == .avx2 && BLASKernel.isa(ofCore: "Zen") == .avx2)
        #expect(BLASKernel.isa(ofCore: "Sandybridge") == .avx && BLASKernel.isa(ofCore: "Prescott") == .sse)
        #expect(BLASKernel.isa(ofCore: "Unknown") == nil)
        #expect(BLASKernel.isa(flags: Self.avx512) == .avx512 && BLASKernel.isa(flags: Self.avx2) == .avx2)
        #expect(BLASKernel.isa(flags: Self.avx512.subtracting(["avx512bw"])) == .avx2, "SkylakeX needs BW")
        #expect(BLASKernel.isa(flags: ["avx2", "avx"]) == .avx, "no AVX2 kernel without FMA")
        #expect(BLASKernel.isa(flags: []) == .sse)
        // Every fallback dlboard replaces is a known SSE kernel.
        for c in BLASKernel.fallbackCores { #expect(BLASKernel.isa(ofCore: c) == .sse, "\(c)") }
    }

    @Test func theCPUFromProcCpuinfo() {
        let info = """
            processor\t: 0
            vendor_id\t: GenuineIntel
            model\t\t: 143
            model name\t: Intel(R) Xeon(R) Processor
            flags\t\t: fpu sse2 avx avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16 amx_tile
            vmx flags\t: vnmi

            processor\t: 1
            model name\t: Intel(R) Xeon(R) Processor
            """
        let cpu = BenchHeader.CPU(cpuinfo: info, cores: 2)
        #expect(cpu.model == "Intel(R) Xeon(R) Processor")
        #expect(cpu.isa == "AVX-512" && cpu.extensions == ["avx512_bf16", "amx_tile"])
        #expect(cpu.line == "Intel(R) Xeon(R) Processor · AVX-512 (avx512_bf16, amx_tile) · 2 core(s)")
        #expect(BLASKernel.cpuFlags(cpuinfo: info).contains("avx512f"))
        #expect(!BLASKernel.cpuFlags(cpuinfo: info).contains("vnmi"), "the vmx flags line is not the flags")
        let none = BenchHeader.CPU(cpuinfo: nil, cores: 1)
        #expect(none.model == "unknown" && none.isa == "SSE" && none.extensions.isEmpty)
    }

    @Test func theShapesOfAStepWithTheirRoles() {
        let net = NetworkConfig(hidden: Array(repeating: 100, count: 5))
        let roles = GEMMBound.roles(of: net, batch: 100)
        #expect(roles.count == 6 * 2 + 5, "X·W and Xᵀ·dY per layer, dY·Wᵀ but for the first")
        #expect(roles.map(\.shape) == GEMMBound.shapes(of: net, batch: 100))
        let distinct = GEMMBound.distinctShapes(of: net, batch: 100)
        // dY·Wᵀ runs as a plain product of Wᵀ (Affine's copy), so in the hidden layers it is the
        // forward's shape: 7 distinct shapes, not 8.
        #expect(distinct.count == 7 && distinct.reduce(0) { $0 + $1.roles.count } == 17)
        let output = distinct.filter { $0.shape.n == 10 || $0.shape.k == 10 }
        #expect(output.map { $0.roles.map(\.layer) } == [[6], [6], [6]], "the N = 10 output layer's three")
        let hidden = distinct.first { s in
            s.shape.m == 100 && s.shape.n == 100 && s.shape.k == 100 && !s.shape.transposeA && !s.shape.transposeB
        }
        let hiddenRoles: [GEMMBound.Role] = hidden?.roles ?? []
        #expect(hiddenRoles.map(\.layer) == [2, 2, 3, 3, 4, 4, 5, 5])
        #expect(
            hiddenRoles.map(\.product)
                == Array(repeating: [GEMMBound.Product.forward, .inputGradient], count: 4).flatMap { $0 })
    }
}

/// `dlboard bench --json` on a tiny run: every field of the report there, with sane values.
@Suite(.serialized) struct BenchReportTests {
    static var cpuinfo: String { (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "" }

    /// Timing code on one thread, like `BenchCommandTests`: not again under ThreadSanitizer.
    @Test(.longTraining) func theJSONHasEveryFieldWithSaneValues() throws {
        let fx = CLIFixtures()
        defer { fx.remove() }
        fx.writeMNIST(train: 300, test: 20)
        let r = try BinaryRunner.run(
            [
                "bench", "--data", fx.directory, "--steps", "5", "--warmup", "1", "--repeats", "1", "--threads", "1",
                "--optimizers", "sgd", "--no-variants", "--json",
            ], timeout: 600)
        #expect(r.status == 0, "\(r.stderr)")
        let report = try JSONDecoder().decode(Benchmark.Report.self, from: Data(r.stdout.utf8))
        let env = ProcessInfo.processInfo.environment

        // The kernel: the core named twice alike; who chose it follows from this test's environment.
        let k = report.kernel
        #expect(k.coreName == report.blasKernel && !k.coreName.isEmpty && k.coreName != "unknown")
        #expect(k.l2SizeVariable == env["OPENBLAS_L2_SIZE"])
        if env["OPENBLAS_CORETYPE"] != nil {
            #expect(k.origin == .environment && k.forced && k.coreTypeVariable == env["OPENBLAS_CORETYPE"])
        } else {
            #expect(k.origin != .environment && k.forced == (env["OPENBLAS_L2_SIZE"] != nil))
            if k.origin == .dlboard {
                // The variable the re-exec set, and what it replaced.
                #expect(k.coreTypeVariable == k.coreName)
                #expect(k.openBLASPick.map(BLASKernel.fallbackCores.contains) == true)
            } else {
                #expect(k.coreTypeVariable == nil)
            }
        }
        #expect(k.cpuISA == report.cpu.isa && !k.summary.isEmpty)

        #expect(report.cpu.model == (BLASKernel.cpuModel(cpuinfo: Self.cpuinfo) ?? "unknown"))
        #expect(report.cpu.cores >= 1)

        let p = report.fmaPeak
        #expect([128, 256, 512].contains(p.vectorBits) && p.accumulators == 12 && p.rounds >= 1)
        #expect(p.gflops > 0 && p.gflopsRange.count == 2 && p.gflopsRange[0] <= p.gflopsRange[1])
        #expect(p.gflops == p.gflopsRange[1], "the peak is the best round")
        if BLASKernel.isa(flags: BLASKernel.cpuFlags(cpuinfo: Self.cpuinfo)) == .avx512 {
            #expect(p.vectorBits == 512)
        }

        // 7: the hidden dY·Wᵀ runs as a plain product of Wᵀ, the forward's shape.
        #expect(report.shapes.count == 7 && report.shapes.reduce(0) { $0 + $1.usesPerStep } == 17)
        #expect(report.shapes.contains { $0.n == 10 && $0.layers == [6] }, "the output layer's product")
        for s in report.shapes {
            #expect(s.gflops > 0 && s.microseconds > 0, "\(s)")
            #expect(abs(s.gflops - s.mflop * 1e6 / (s.microseconds * 1e-6) / 1e9) < 1e-6 * s.gflops, "\(s)")
            // No upper bound: the peak and the shape are timed at different moments of a shared
            // machine, and a bound on a ratio of times would be a timed assertion.
            #expect(s.fractionOfPeak > 0 && s.fractionOfPeak.isFinite, "\(s)")
            #expect(s.layers.count == s.usesPerStep && s.products.count == s.usesPerStep)
        }
        #expect(report.shapesSumMsPerStep > 0)

        #expect(report.bounds.count == 1 && report.bounds[0].threads == 1)
        let b = report.bounds[0]
        #expect(b.msPerStep > 0 && b.gflops > 0 && b.fractionOfPeak > 0 && b.fractionOfPeak.isFinite)
        #expect(abs(b.gflops - report.gemmBoundGflops["1"]!) < 1e-9)
        #expect(report.gemmFlopsPerSample == 559_600)

        #expect(report.cases.count == 1 && report.cases[0].optimizer == "sgd" && report.cases[0].variant == "plain")
        for c in report.cases {
            #expect(c.samplesPerSecond > 0 && c.fractionOfBound > 0 && c.fractionOfBound.isFinite, "\(c)")
            #expect(c.gemmBoundMsPerStep > 0)
        }
        #expect(report.statistics.map(\.interval) == Benchmark.statisticsIntervals)
        for s in report.statistics {
            #expect(s.samplesPerSecond > 0 && s.fractionOfBound > 0 && s.fractionOfBound.isFinite, "\(s)")
        }
        #expect(report.frames.count == 5 && report.frames.allSatisfy { $0.msPerFrame > 0 })
        #expect(report.peakRSSMegabytes > 1)
    }

    /// A kernel forced through the environment, end to end: named, flagged, and on an AVX-512 CPU
    /// warned about, in the JSON and on stderr.
    @Test(.longTraining) func aForcedAVX2KernelIsReported() throws {
        let flags = BLASKernel.cpuFlags(cpuinfo: Self.cpuinfo)
        // Forcing Haswell on a CPU without AVX2 would not run at all.
        guard BLASKernel.isa(flags: flags) >= .avx2 else { return }
        let fx = CLIFixtures()
        defer { fx.remove() }
        fx.writeMNIST(train: 300, test: 20)
        let r = try BinaryRunner.run(
            [
                "bench", "--data", fx.directory, "--steps", "2", "--warmup", "0", "--repeats", "1", "--threads", "1",
                "--optimizers", "sgd", "--no-variants", "--no-frames", "--no-statistics", "--json",
            ], environment: ["OPENBLAS_CORETYPE": "Haswell"], timeout: 600)
        #expect(r.status == 0, "\(r.stderr)")
        let report = try JSONDecoder().decode(Benchmark.Report.self, from: Data(r.stdout.utf8))
        #expect(report.kernel.coreName == "Haswell" && report.kernel.origin == .environment && report.kernel.forced)
        if BLASKernel.isa(flags: flags) == .avx512 {
            #expect(report.kernel.warning?.contains("OPENBLAS_CORETYPE=Haswell") == true)
            #expect(r.stderr.contains("dlboard bench: warning: OPENBLAS_CORETYPE=Haswell"), "\(r.stderr)")
        } else {
            #expect(report.kernel.warning == nil)
        }
    }
}
