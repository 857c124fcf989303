import Foundation
import NN
import TUI

/// The measurements of `dlboard bench`: training speed of the book's network 784-100×5-10 (ReLU,
/// He, batch 100) for each optimizer and the BatchNorm / LayerNorm / Dropout / weight-decay variants (and, under
/// SGD, Leaky ReLU, SoftPlus, identity, the MSE loss, inverted Dropout, an input Dropout, the
/// augmentation preset's shift/rotate/noise and standardized inputs), at each
/// BLAS thread count, against the GEMM bound measured right before each repetition; the frame
/// render time of the dashboard; the peak RSS. Above them the `BenchHeader`: CPU, BLAS kernel and
/// who chose it, the core's FMA peak, each GEMM shape's GFLOP/s. Printed as a table, or as one JSON
/// object with all of it.
struct Benchmark {
    var steps: Int
    var warmup: Int
    var repeats: Int
    var threads: [Int]
    var optimizers: [OptimizerKind]
    var variants: Bool
    var frames: Bool
    /// Also measure per-layer statistics at the dashboard's rate against the same case off.
    var statistics: Bool = true
    var json: Bool
    var data: String?

    struct Case: Codable {
        var optimizer: String
        var variant: String
        var threads: Int
        var samplesPerSecond: Double
        var msPerStep: Double
        var gemmBoundMsPerStep: Double
        var fractionOfBound: Double
        var samplesPerSecondRange: [Double]
    }

    struct Frame: Codable {
        var view: String
        var width: Int
        var height: Int
        var msPerFrame: Double
    }

    /// The GEMM bound at one BLAS thread count, measured once before that count's cases (each
    /// case's fraction uses bounds measured right before its own repetitions).
    struct Bound: Codable {
        var threads: Int
        var msPerStep: Double
        var gflops: Double
        var samplesPerSecond: Double
        /// The bound's GFLOP/s over the FMA peak of the cores it may use.
        var fractionOfPeak: Double
    }

    struct Report: Codable {
        var network: String
        var batch: Int
        /// The core name alone, as before the header existed (scripts read it).
        var blasKernel: String
        var kernel: KernelVerdict
        var cpu: BenchHeader.CPU
        var fmaPeak: FMAPeak
        var shapes: [BenchHeader.ShapeRate]
        var shapesSumMsPerStep: Double
        var gemmFlopsPerSample: Double
        var gemmBoundGflops: [String: Double]
        var bounds: [Bound]
        var cases: [Case]
        var frames: [Frame]
        var statistics: [StatisticsCase]
        var peakRSSMegabytes: Double
    }

    func run() throws {
        let book = TrainingConfig(
            network: NetworkConfig(hidden: Array(repeating: 100, count: 5), activation: .relu, initializer: .he),
            batchSize: 100)
        let (dataset, directory, fitted) = try DataLocator.load(
            data: data, dataset: nil, trainSize: nil, validation: 0, seed: 0,
            configs: [book])
        let name = dataset.name
        // The input follows the images of --data; the batch is clamped to a training set smaller than 100.
        let network = fitted[0].network
        let batch = fitted[0].batchSize
        let flops = GEMMBound.flopsPerSample(of: network, batch: batch)
        func say(_ s: String) {
            if !json {
                print(s)
                fflush(nil)
            }
        }
        say(
            "dlboard bench: \(network.shapeDescription) ReLU He, batch \(batch), \(name) from \(directory); BLAS kernel \(BLASThreads.coreName)"
        )
        let header = BenchHeader.measure(network: network, batch: batch)
        header.lines.forEach(say)
        // Also where a --json reader's terminal shows it: a figure taken on the wrong kernel is
        // worse than none.
        if json, let w = header.kernel.warning { Console.error("dlboard bench: warning: \(w)") }
        say(
            "\(warmup) warm-up + \(steps) timed steps per case, median of \(repeats); GEMM: \(String(format: "%.2f", flops / 1e6)) MFLOP per sample"
        )

        var cases: [(String, (inout TrainingConfig) -> Void)] = []
        for o in optimizers { cases.append((o.rawValue + "|plain", { $0.optimizer = o })) }
        if variants {
            for o in [OptimizerKind.sgd, .adam] {
                cases.append(
                    (
                        o.rawValue + "|batchnorm",
                        {
                            $0.optimizer = o
                            $0.network.batchNorm = true
                        }
                    ))
                cases.append(
                    (
                        o.rawValue + "|layernorm",
                        {
                            $0.optimizer = o
                            $0.network.normalization = .layer
                        }
                    ))
                cases.append(
                    (
                        o.rawValue + "|dropout 0.2",
                        {
                            $0.optimizer = o
                            $0.network.dropout = 0.2
                        }
                    ))
                cases.append(
                    (
                        o.rawValue + "|weight decay 0.1",
                        {
                            $0.optimizer = o
                            $0.network.weightDecay = 0.1
                        }
                    ))
            }
            // The other activations and the MSE loss, under SGD only: they change element-wise work,
            // which the optimizer does not touch.
            for a in Activation.allCases where ![.relu, .sigmoid, .tanh].contains(a) {
                cases.append(("sgd|\(a.argument)", { $0.network.activation = a }))
            }
            cases.append(("sgd|mse", { $0.network.loss = .meanSquaredError }))
            // The other Dropout form and Dropout on the 784 inputs, under SGD only for the same reason.
            cases.append(
                (
                    "sgd|dropout 0.2 inv",
                    {
                        $0.network.dropout = 0.2
                        $0.network.dropoutStyle = .inverted
                    }
                ))
            cases.append(("sgd|input dropout 0.2", { $0.network.inputDropout = 0.2 }))
            // Augmentation and input scaling change only the batch gather, which no optimizer touches.
            cases.append(("sgd|augment", { $0.augmentation = Preset.augmentationUsed }))
            cases.append(("sgd|shift:2+noise:0.1", { $0.augmentation = Augmentation(shift: 2, noise: 0.1) }))
            cases.append(("sgd|standardize", { $0.inputs = .standardize }))
        }
        var results: [Case] = []
        var boundGflops: [String: Double] = [:]
        var bounds: [Bound] = []
        for t in threads {
            BLASThreads.set(t)
            // The bound is re-measured right before every timed repetition and each repetition's
            // step time is divided by its own bound: on a noisy VM the machine's speed drifts, and a
            // bound taken minutes earlier would make the fraction meaningless. Rounds of 4 steps'
            // products (~1 ms), many of them, like the FMA peak and the shapes: on a shared machine
            // the best of short rounds is one the scheduler left alone; a long round rarely is.
            let overall = GEMMBound.measureStepSeconds(config: network, batch: batch, repeats: 4, rounds: 250)
            boundGflops["\(t)"] = flops * Double(batch) / overall / 1e9
            bounds.append(
                Bound(
                    threads: t, msPerStep: overall * 1e3, gflops: flops * Double(batch) / overall / 1e9,
                    samplesPerSecond: Double(batch) / overall,
                    fractionOfPeak: flops * Double(batch) / overall / 1e9
                        / (header.fmaPeak.gflops * Double(min(t, header.cpu.cores)))))
            say(
                String(
                    format:
                        "\n%d BLAS thread(s): GEMM bound %.3f ms/step (%.1f GFLOP/s, %.2f of the FMA peak) = %.0f samples/s",
                    t, overall * 1e3, bounds.last!.gflops, bounds.last!.fractionOfPeak, Double(batch) / overall))
            say("optimizer  variant             samples/s   (range)             ms/step  of GEMM bound")
            for (key, set) in cases {
                var config = TrainingConfig(
                    network: network, optimizer: .sgd, batchSize: batch, epochs: 1, seed: 0, sampling: .shuffledEpochs)
                set(&config)
                let parts = key.split(separator: "|").map(String.init)
                var rates: [Double] = []
                var fractions: [Double] = []
                var bounds: [Double] = []
                for _ in 0..<repeats {
                    let bound = GEMMBound.measureStepSeconds(config: network, batch: batch, repeats: 4, rounds: 25)
                    let trainer = Trainer(config: config, data: dataset)
                    for _ in 0..<warmup { trainer.step() }
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    for _ in 0..<steps { trainer.step() }
                    let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
                    rates.append(Double(steps * batch) / seconds)
                    fractions.append(bound / (seconds / Double(steps)))
                    bounds.append(bound)
                }
                let median = rates.sorted()[rates.count / 2]
                let fraction = fractions.sorted()[fractions.count / 2]
                let ms = Double(batch) / median * 1e3
                let c = Case(
                    optimizer: parts[0], variant: parts[1], threads: t, samplesPerSecond: median, msPerStep: ms,
                    gemmBoundMsPerStep: bounds.sorted()[bounds.count / 2] * 1e3, fractionOfBound: fraction,
                    samplesPerSecondRange: [rates.min()!, rates.max()!])
                results.append(c)
                let range = String(format: "(%.0f–%.0f)", rates.min()!, rates.max()!)
                say(
                    parts[0].padding(toLength: 10, withPad: " ", startingAt: 0) + " "
                        + parts[1].padding(toLength: 18, withPad: " ", startingAt: 0)
                        + String(format: " %10.0f   ", median)
                        + range.padding(toLength: 19, withPad: " ", startingAt: 0)
                        + String(format: " %7.3f  %5.2f", ms, c.fractionOfBound))
            }
        }
        BLASThreads.set(1)
        let statisticsCases =
            statistics
            ? Self.statisticsCases(
                network: network, batch: batch, data: dataset, steps: steps, warmup: warmup, repeats: repeats, say: say)
            : []
        var frameTimes: [Frame] = []
        if frames {
            say("\nframe render (into the in-memory buffer, as the dashboard does before curses):")
            for (view, w, h) in [
                ("dashboard", 80, 24), ("dashboard", 200, 50), ("compare-4", 200, 50), ("layers", 200, 50),
                ("layers-4", 200, 50),
            ] {
                let ms = Self.frameMilliseconds(view: view, width: w, height: h)
                frameTimes.append(Frame(view: view, width: w, height: h, msPerFrame: ms))
                say(
                    "  " + view.padding(toLength: 10, withPad: " ", startingAt: 0)
                        + String(format: " %3d×%-3d %7.3f ms/frame", w, h, ms))
            }
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let rss = Double(usage.ru_maxrss) / 1024
        say(String(format: "\npeak RSS %.0f MB (MNIST loaded, every case above run)", rss))
        if json {
            let report = Report(
                network: network.shapeDescription, batch: batch, blasKernel: BLASThreads.coreName,
                kernel: header.kernel, cpu: header.cpu, fmaPeak: header.fmaPeak, shapes: header.shapes,
                shapesSumMsPerStep: header.shapesSumMsPerStep, gemmFlopsPerSample: flops,
                gemmBoundGflops: boundGflops, bounds: bounds, cases: results, frames: frameTimes,
                statistics: statisticsCases, peakRSSMegabytes: rss)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        }
    }

    /// Median time to render one frame of a busy screen: 12,000 loss points, 40 evaluations, markers
    /// and five histograms per run (the "layers" views: 240 per-layer samples of six layers).
    static func frameMilliseconds(view: String, width: Int, height: Int, frames: Int = 60) -> Double {
        var g = SeededGenerator(seed: 3)
        func pane(_ k: Int) -> PaneState {
            var s = PaneState(datasetName: "MNIST")
            for step in 1...12_000 {
                s.losses.append(
                    ChartPoint(
                        x: Double(step),
                        y: (2.3 * exp(-Double(step) / 900) + 0.05) * (0.7 + 0.6 * Double(g.nextUniform()))))
            }
            for e in 1...40 {
                s.trainAccuracy.append(ChartPoint(x: Double(e), y: 1 - 0.3 / Double(e)))
                s.testAccuracy.append(ChartPoint(x: Double(e), y: 0.98 - 0.3 / Double(e)))
            }
            s.markers = [ChartMarker(x: 3000, label: "→ Adam"), ChartMarker(x: 6000, label: "+BN")]
            var c = TrainingConfig()
            c.optimizer = OptimizerKind.allCases[k % OptimizerKind.allCases.count]
            s.status = .init(
                config: c, step: 12_000, stepsPerEpoch: 600, epochTarget: 40, stepTarget: 24_000, paused: false,
                diverged: false, finished: false, samplesPerSecond: 150_000, lastLoss: 0.05)
            let net = Network(
                config: NetworkConfig(inputSize: 20, hidden: Array(repeating: 100, count: 5)), seed: UInt64(k))
            let x = Matrix(rows: 100, cols: 20)
            for i in 0..<x.count { x.pointer[i] = g.nextNormal() }
            _ = net.predict(x, mode: .train)
            s.activations = net.displayActivationStatistics()
            if view.hasPrefix("layers") {
                // The layers view (L) after 12,000 steps sampled every 50: one real SGD step's
                // statistics, with update:data wandering over three decades.
                net.gradient(x, labels: (0..<100).map { Int32($0 % 10) })
                let before = net.affines.map { $0.weight.value.copy() }
                SGD(learningRate: 0.1).update(net.parameters)
                let layers = net.layerStatistics(weightsBefore: before)
                s.showsLayers = true
                for step in stride(from: 50, through: 12_000, by: 50) {
                    var sample = SessionOutput.LayerSample(step: step, layers: layers)
                    for i in sample.layers.indices {
                        sample.layers[i].update.standardDeviation *= Float(pow(10, 1.5 * sin(Double(step) / 900)))
                    }
                    s.apply(SessionOutput(layerSamples: [sample]))
                }
            }
            return s
        }
        var state = DashboardState(datasetName: "MNIST", sessionName: "bench")
        for k in 0..<(view.hasSuffix("-4") ? 4 : 1) { state.panes.append(.init(id: k, state: pane(k))) }
        var times: [Double] = []
        for _ in 0..<frames {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let buffer = DashboardView(state: state, glyphs: .braille).render(width: width, height: height)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            precondition(buffer.width == width)
        }
        return times.sorted()[times.count / 2]
    }
}

extension Benchmark {
    /// One interval of per-layer statistics (`Trainer.statisticsInterval`), timed against the same
    /// case with statistics off.
    struct StatisticsCase: Codable {
        /// Collect on every `interval`-th step; 0 = off.
        var interval: Int
        var samplesPerSecond: Double
        var samplesPerSecondRange: [Double]
        /// This interval's speed over off's: the median, over every turn of every repetition, of
        /// off's time for its block of 50 steps over this interval's time for its block in the same
        /// turn (1 for off itself); the range is that of the repetitions' own medians. Adjacent
        /// blocks see the same machine, so the bursts of a shared VM, which move the totals by
        /// ±10 %, mostly cancel.
        var ratioToOff: Double
        var ratioToOffRange: [Double]
        /// The median over repetitions of the GEMM bound measured right before the repetition over
        /// this interval's step time in it.
        var fractionOfBound: Double
    }

    /// Off, the dashboard's rate (every 50th step, as `RunDriver` collects), then every 10th and
    /// every step for context.
    static let statisticsIntervals = [0, RunDriver.defaultLayerStatisticsInterval, 10, 1]

    /// SGD on the plain network (the cheapest step, so the largest share for the statistics), one
    /// trainer per interval, all driven in the same repetition in blocks of 50 steps taken in turn
    /// (who goes first rotates), so a drift of the machine's speed falls on every interval alike.
    /// Every block holds the same collections (exactly one at interval 50). The timed steps per
    /// case and repetition are `steps` rounded up to whole blocks, at least 20 blocks: a 1 %
    /// difference needs many turns to show through the noise.
    static func statisticsCases(
        network: NetworkConfig, batch: Int, data: Dataset, steps: Int, warmup: Int, repeats: Int,
        say: (String) -> Void
    ) -> [StatisticsCase] {
        let block = 50
        let blocks = max(20, (steps + block - 1) / block)
        let config = TrainingConfig(
            network: network, optimizer: .sgd, batchSize: batch, epochs: 1, seed: 0, sampling: .shuffledEpochs)
        say(
            "\nper-layer statistics, SGD plain, 1 BLAS thread, \(blocks)×\(block) timed steps per case in turns of \(block), \(repeats) repetition(s):"
        )
        say("collecting           samples/s   (range)             of off  (range)          of GEMM bound")
        let intervals = statisticsIntervals
        var rates = [[Double]](repeating: [], count: intervals.count)
        // Per interval: off's block time over this one's, every turn; and each repetition's median.
        var turnRatios = [[Double]](repeating: [], count: intervals.count)
        var repeatRatios = [[Double]](repeating: [], count: intervals.count)
        var fractions = [[Double]](repeating: [], count: intervals.count)
        func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
        for round in 0..<repeats {
            let bound = GEMMBound.measureStepSeconds(config: network, batch: batch, repeats: 4, rounds: 25)
            let trainers = intervals.map { interval in
                let t = Trainer(config: config, data: data)
                t.statisticsInterval = interval
                return t
            }
            for t in trainers { for _ in 0..<warmup { t.step() } }
            // Warm-up steps count, so the timed blocks start on a multiple of the interval.
            for t in trainers where t.steps % block != 0 {
                for _ in 0..<(block - t.steps % block) { t.step() }
            }
            var seconds = [Double](repeating: 0, count: intervals.count)
            var ratios = [[Double]](repeating: [], count: intervals.count)
            var turn = [Double](repeating: 0, count: intervals.count)
            for b in 0..<blocks {
                for k in intervals.indices {
                    let i = (k + b + round) % intervals.count
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    for _ in 0..<block { trainers[i].step() }
                    turn[i] = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
                }
                for i in intervals.indices {
                    seconds[i] += turn[i]
                    ratios[i].append(turn[0] / turn[i])
                }
            }
            for i in intervals.indices {
                rates[i].append(Double(blocks * block * batch) / seconds[i])
                fractions[i].append(bound / (seconds[i] / Double(blocks * block)))
                turnRatios[i] += ratios[i]
                repeatRatios[i].append(median(ratios[i]))
            }
        }
        return intervals.indices.map { i in
            let c = StatisticsCase(
                interval: intervals[i], samplesPerSecond: median(rates[i]),
                samplesPerSecondRange: [rates[i].min()!, rates[i].max()!], ratioToOff: median(turnRatios[i]),
                ratioToOffRange: [repeatRatios[i].min()!, repeatRatios[i].max()!],
                fractionOfBound: median(fractions[i]))
            let label = intervals[i] == 0 ? "off" : intervals[i] == 1 ? "every step" : "every \(intervals[i]) steps"
            let range = String(format: "(%.0f–%.0f)", c.samplesPerSecondRange[0], c.samplesPerSecondRange[1])
            say(
                label.padding(toLength: 18, withPad: " ", startingAt: 0)
                    + String(format: " %11.0f   ", c.samplesPerSecond)
                    + range.padding(toLength: 19, withPad: " ", startingAt: 0)
                    + String(
                        format: " %5.3f  (%.3f–%.3f)  %5.2f", c.ratioToOff, c.ratioToOffRange[0], c.ratioToOffRange[1],
                        c.fractionOfBound))
            return c
        }
    }
}
