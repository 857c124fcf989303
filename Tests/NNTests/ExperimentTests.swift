import Foundation
import Testing

@testable import NN

/// The book's no-training experiments: activation histograms (E3) and optimizer paths (E1).
@Suite struct ActivationExperimentTests {
    func run(_ scale: Float, _ a: Activation) -> [ActivationStatistics] {
        ActivationExperiment.run(scale: scale, activation: a, seed: 1)
    }

    @Test func sigmoidHistogramsAsInTheBook() {
        let scales = Dictionary(uniqueKeysWithValues: ActivationExperiment.scales().map { ($0.name, $0.scale) })
        #expect(abs(scales["Xavier"]! - 0.1) < 1e-6 && abs(scales["He"]! - 0.1414) < 1e-4)
        let std1 = run(1, .sigmoid)
        let tiny = run(0.01, .sigmoid)
        let xavier = run(scales["Xavier"]!, .sigmoid)
        #expect(std1.count == 5 && std1.allSatisfy { $0.count == 100_000 })
        // std 1: outputs pile up at 0 and 1 (vanishing gradients).
        #expect(std1.allSatisfy { $0.saturatedFraction > 0.3 }, "\(std1.map(\.saturatedFraction))")
        #expect(std1[4].bins.first! + std1[4].bins.last! > std1[4].bins[10...19].reduce(0, +))
        // std 0.01: everything sits at 0.5 (no expressive power).
        #expect(
            tiny.allSatisfy { abs($0.mean - 0.5) < 0.01 && $0.standardDeviation < 0.03 },
            "\(tiny.map(\.standardDeviation))")
        #expect(tiny.dropFirst().allSatisfy { $0.verdict == .collapsed })
        // Xavier: spread out, layer after layer.
        #expect(
            xavier.allSatisfy { $0.verdict == .healthy && $0.saturatedFraction < 0.05 && $0.standardDeviation > 0.05 })
    }

    @Test func reluNeedsHe() {
        let he = run((2 / Float(100)).squareRoot(), .relu)
        let tiny = run(0.01, .relu)
        #expect(he.allSatisfy { $0.verdict == .healthy })
        // He keeps the scale from layer to layer; std 0.01 shrinks it ×~0.07 per layer.
        #expect(he[4].standardDeviation / he[0].standardDeviation > 0.5)
        #expect(tiny[4].standardDeviation < 1e-4 && tiny[4].verdict == .collapsed)
    }

    @Test func zerosAndAConstantLeaveOneDistinctUnit() {
        let rows = ActivationExperiment.rows()
        #expect(rows.map(\.name) == ["std 1", "std 0.01", "Xavier", "He", "zeros", "all 0.1"], "the book's first")
        for a in Activation.allCases {
            for row in rows {
                let layers = ActivationExperiment.run(weights: row.weights, activation: a, seed: 1)
                let distinct = layers.map(\.distinctUnits)
                if case .constant = row.weights {
                    #expect(distinct == [1, 1, 1, 1, 1], "\(row.name) \(a): every unit the same")
                } else {
                    // Random weights: (nearly) all distinct. Two dead ReLU units are both all-zero,
                    // hence one; collapsed sigmoid units (std 0.01, deep) differ by less than the
                    // rounding margin — never near the symmetric tenth.
                    #expect(distinct.allSatisfy { $0 >= 90 }, "\(row.name) \(a): \(distinct)")
                    #expect(distinct[0] == 100, "\(row.name) \(a): \(distinct)")
                }
                #expect(layers.allSatisfy { $0.units == 100 })
            }
        }
        // All 0.1 with sigmoid: the first layer spreads like Xavier's (same scale), yet it is one unit.
        let constant = ActivationExperiment.run(weights: .constant(0.1), activation: .sigmoid, seed: 1)
        let xavier = run(0.1, .sigmoid)
        #expect(abs(constant[0].statistics.standardDeviation - xavier[0].standardDeviation) < 0.03)
        // The book's rows draw exactly what they drew before.
        #expect(
            ActivationExperiment.run(weights: .scale(0.1), activation: .tanh, seed: 1).map(\.statistics)
                == run(0.1, .tanh))
    }

    @Test func oneSeedOneResult() {
        #expect(run(1, .tanh).map(\.bins) == run(1, .tanh).map(\.bins))
        #expect(ActivationExperiment.run(scale: 1, activation: .tanh, seed: 2).map(\.bins) != run(1, .tanh).map(\.bins))
    }
}

@Suite struct OptimizerPathsTests {
    @Test func sgdStepsByHand() {
        let p = OptimizerPaths.path(.sgd, learningRate: 0.95, steps: 3)
        // x ← x − 0.95·x/10 = 0.905·x ; y ← y − 0.95·2y = −0.9·y
        #expect(p[0] == (-7, 2))
        #expect(abs(p[1].x - (-6.335)) < 1e-5 && abs(p[1].y - (-1.8)) < 1e-5)
        #expect(abs(p[2].x - (-5.733175)) < 1e-5 && abs(p[2].y - 1.62) < 1e-5)
    }

    @Test func momentumStepsByHand() {
        let p = OptimizerPaths.path(.momentum, learningRate: 0.1, steps: 3)
        // v ← 0.9v − 0.1·g ; first v = (0.07, −0.4), then v = (0.9·0.07 − 0.1·(−0.693), 0.9·(−0.4) − 0.1·3.2)
        #expect(abs(p[1].x - (-6.93)) < 1e-5 && abs(p[1].y - 1.6) < 1e-5)
        #expect(abs(p[2].x - (-6.93 + 0.063 + 0.0693)) < 1e-5 && abs(p[2].y - (1.6 - 0.36 - 0.32)) < 1e-5)
    }

    @Test func theBooksFourPaths() {
        for (kind, lr) in OptimizerPaths.bookRates {
            let p = OptimizerPaths.path(kind, learningRate: lr)
            #expect(p.count == 30 && p[0] == OptimizerPaths.start)
            let last = p[29]
            #expect(OptimizerPaths.f(last.x, last.y) < OptimizerPaths.f(-7, 2) / 4, "\(kind) gets well down the bowl")
        }
        // SGD zig-zags across the narrow y direction: y changes sign at every step.
        let sgd = OptimizerPaths.path(.sgd, learningRate: 0.95)
        #expect(zip(sgd, sgd.dropFirst()).allSatisfy { $0.y * $1.y < 0 })
        // AdaGrad's step shrinks as squared gradients accumulate: no sign flips in y after the start.
        let ada = OptimizerPaths.path(.adagrad, learningRate: 1.5)
        #expect(zip(ada.dropFirst(5), ada.dropFirst(6)).filter { $0.y * $1.y < 0 }.count <= 1)
    }
}

@Suite struct BLASKernelTests {
    @Test func kernelFromCPUFlags() {
        let info =
            "processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16\n"
        let flags = BLASKernel.cpuFlags(cpuinfo: info)
        #expect(flags.contains("avx512_bf16") && flags.contains("fpu"))
        #expect(BLASKernel.preferredCoreType(flags: flags) == "Cooperlake")
        #expect(BLASKernel.preferredCoreType(flags: flags.subtracting(["avx512_bf16"])) == "SkylakeX")
        #expect(BLASKernel.preferredCoreType(flags: ["avx", "avx2", "fma"]) == "Haswell")
        #expect(BLASKernel.preferredCoreType(flags: ["sse2", "avx"]) == nil, "no override without AVX2")
        #expect(BLASKernel.cpuFlags(cpuinfo: nil).isEmpty && BLASKernel.cpuFlags(cpuinfo: "garbage").isEmpty)
    }
}

/// The C kernels (picked per instruction set at load time) compute exactly what the scalar formulas
/// of the book compute, bit for bit, including the tails that do not fill a vector.
@Suite struct KernelExactnessTests {
    func parameter(_ n: Int, seed: UInt64) -> Parameter {
        var g = SeededGenerator(seed: seed)
        let p = Parameter(name: "W1", value: Matrix(rows: 1, cols: n), isDecayed: true)
        for i in 0..<n {
            p.value.pointer[i] = g.nextNormal()
            p.gradient.pointer[i] = g.nextNormal() * 0.1
        }
        return p
    }

    @Test(arguments: [OptimizerKind.adam, .adagrad, .rmsprop])
    func updatesMatchTheScalarFormulaExactly(_ kind: OptimizerKind) {
        let n = 1003
        let p = parameter(n, seed: 9)
        var w = Array(UnsafeBufferPointer(start: p.value.pointer, count: n))
        let grad = Array(UnsafeBufferPointer(start: p.gradient.pointer, count: n))
        var s1 = [Float](repeating: 0, count: n)
        var s2 = [Float](repeating: 0, count: n)
        let opt = kind.make(learningRate: 0.01)
        for t in 1...3 {
            opt.update([p])
            for i in 0..<n {
                let gi = grad[i]
                switch kind {
                case .adam:
                    let lrT = Float(
                        Double(Float(0.01)) * (1 - pow(Double(Float(0.999)), Double(t))).squareRoot()
                            / (1 - pow(Double(Float(0.9)), Double(t))))
                    s1[i] = s1[i] + (1 - 0.9) * (gi - s1[i])
                    s2[i] = s2[i] + (1 - 0.999) * (gi * gi - s2[i])
                    w[i] = w[i] - lrT * s1[i] / (s2[i].squareRoot() + 1e-7)
                case .adagrad:
                    s1[i] = s1[i] + gi * gi
                    w[i] = w[i] - 0.01 * gi / (s1[i].squareRoot() + 1e-7)
                default:
                    s1[i] = 0.99 * s1[i] + (1 - 0.99) * gi * gi
                    w[i] = w[i] - 0.01 * gi / (s1[i].squareRoot() + 1e-7)
                }
            }
        }
        let got = Array(UnsafeBufferPointer(start: p.value.pointer, count: n))
        #expect(
            got == w,
            "\(kind): first difference at \(zip(got, w).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? -1)"
        )
    }

    @Test func pixelsBecomeByteOver255Exactly() {
        let bytes = (0..<1000).map { UInt8($0 % 256) }
        let images = LabeledImages(pixels: bytes, labels: [0], features: 1000)
        let x = Matrix(rows: 0, cols: 0)
        var labels: [Int32] = []
        images.gather([0], into: x, labels: &labels)
        #expect((0..<1000).allSatisfy { x.pointer[$0] == Float(bytes[$0]) / 255 })
    }
}

@Suite struct GEMMBoundTests {
    @Test func theStepsProductsByHand() {
        let net = NetworkConfig(hidden: Array(repeating: 100, count: 5))
        let shapes = GEMMBound.shapes(of: net, batch: 100)
        // 6 Affine layers: forward and weight gradient each, input gradient for all but the first.
        #expect(shapes.count == 6 + 6 + 5)
        #expect(shapes[0] == .init(m: 100, n: 100, k: 784, transposeA: false, transposeB: false), "X·W1")
        #expect(shapes[1] == .init(m: 784, n: 100, k: 100, transposeA: true, transposeB: false), "Xᵀ·dY1")
        // dY2·W2ᵀ, run as dY2 · (W2's transposed copy): no transposed operand left for sgemm.
        #expect(shapes[4] == .init(m: 100, n: 100, k: 100, transposeA: false, transposeB: false), "dY·Wᵀ2")
        // Per sample: 2·(784·100 + 4·100·100 + 100·10) twice (forward, weight gradients) plus
        // 2·(4·100·100 + 100·10) for the input gradients = 559,600 FLOP.
        #expect(GEMMBound.flopsPerSample(of: net, batch: 100) == 559_600)
        #expect(
            GEMMBound.measureStepSeconds(
                config: NetworkConfig(inputSize: 8, hidden: [4], outputSize: 2), batch: 4, repeats: 2, rounds: 2) > 0)
    }
}

/// The verdicts on the book's extreme cases (E3): what a reader of chapter 6 expects each one to say.
@Suite struct BookVerdictTests {
    func run(_ scale: Float, _ a: Activation) -> [ActivationStatistics] {
        ActivationExperiment.run(scale: scale, activation: a, seed: 1)
    }

    @Test func reluWithStandardDeviationOneExplodes() {
        let std1 = run(1, .relu)
        let verdicts = ActivationStatistics.verdicts(std1)
        #expect(std1[4].mean > 1000, "the mean grows to thousands: \(std1.map(\.mean))")
        #expect(verdicts.dropFirst().allSatisfy { $0 == .exploding }, "\(verdicts) for means \(std1.map(\.mean))")
        #expect(std1[4].verdict == .exploding, "so large that it says so on its own numbers too")
    }

    @Test func sigmoidWithStandardDeviationOneIsSaturatedInEveryLayer() {
        let std1 = run(1, .sigmoid)
        #expect(
            ActivationStatistics.verdicts(std1).allSatisfy { $0 == .saturated }, "\(std1.map(\.saturatedFraction))")
        let tanh = run(1, .tanh)
        #expect(ActivationStatistics.verdicts(tanh).allSatisfy { $0 == .saturated }, "\(tanh.map(\.saturatedFraction))")
    }

    @Test func theBookInitializersAreHealthyAndTinyWeightsCollapse() {
        let he = run((2 / Float(100)).squareRoot(), .relu)
        let xavier = run((1 / Float(100)).squareRoot(), .sigmoid)
        let xavierTanh = run((1 / Float(100)).squareRoot(), .tanh)
        #expect(ActivationStatistics.verdicts(he).allSatisfy { $0 == .healthy }, "\(he.map(\.mean))")
        #expect(ActivationStatistics.verdicts(xavier).allSatisfy { $0 == .healthy })
        #expect(ActivationStatistics.verdicts(xavierTanh).allSatisfy { $0 == .healthy })
        let tiny = ActivationStatistics.verdicts(run(0.01, .relu))
        #expect(tiny.dropFirst().allSatisfy { $0 == .collapsed }, "\(tiny)")
    }

    /// Just under half saturated used to read "healthy" (a 50 % cut-off): a quarter is enough.
    @Test func aQuarterSaturatedIsNotHealthy() {
        let values: [Float] = (0..<100).map { $0 < 49 ? ($0 % 2 == 0 ? 0.001 : 0.999) : 0.3 + Float($0) / 500 }
        let s = values.withUnsafeBufferPointer {
            ActivationStatistics(
                layer: "L", activation: .sigmoid, values: $0, bins: 10, range: Activation.sigmoid.histogramRange)
        }
        #expect(s.saturatedFraction > 0.25 && s.saturatedFraction < 0.5)
        #expect(s.verdict == .saturated)
    }
}
