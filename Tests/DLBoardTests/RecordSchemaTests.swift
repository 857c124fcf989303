import Foundation
import NN
import Testing

@testable import dlboard

/// The run-record schema: every record type written through `MetricsLog` reads back as the very
/// same value (Doubles bit for bit, Floats, UInt64 seeds, strings with quotes and control
/// characters), under today's field names; values of a later version are left out, not errors.
@Suite struct RecordSchemaTests {
    static func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "dlboard-schema-\(UUID().uuidString)-\(name)"
    }

    static func lines(_ path: String) -> [Data] {
        let text = FileManager.default.contents(atPath: path) ?? Data()
        return text.split(separator: 0x0A).map { Data($0) }
    }

    static var config: TrainingConfig {
        var c = TrainingConfig(
            network: NetworkConfig(inputSize: 16, hidden: [20, 7], outputSize: 4), optimizer: .adam,
            learningRate: Float(0.0071601844), batchSize: 20, epochs: 3, seed: 12_345_678_901_234_567_890)
        c.network.batchNorm = true
        c.network.dropout = 0.2
        c.network.weightDecay = 6.4467517e-06
        c.network.initializer = Initializer(argument: "0.01")!
        c.network.activation = .tanh
        c.optimizerParameters = OptimizerParameters(
            momentum: 0.5, beta1: 0.85, beta2: 0.99, rho: 0.9, epsilon: Float(1e-8).nextUp)
        c.schedule = .step(every: 3, factor: 0.7)
        return c
    }

    static let statistics = ActivationStatistics(
        layer: "Tanh1", activation: .tanh, bins: [401, 378, 0, 9], excludesZeros: true,
        range: Float(-0.9999)...Float(1.2799991369247437), underflow: 3, overflow: 52, count: 843,
        mean: 0.18229973316192627, standardDeviation: 0.28205958008766174, zeroFraction: 0.507099986076355,
        saturatedFraction: 0.25, minimum: -1, maximum: 2.030001163482666)

    /// A hidden layer's statistics with a histogram of each kind, BatchNorm, ReLU shares; and an
    /// all-zero output layer (W without spread: infinite ratios), an overflowed norm, no shares.
    static let layers: [LayerStatistics] = [
        LayerStatistics(
            layer: "Affine1",
            backwardSignal: .init(
                count: 2000, meanAbsolute: 0.0012_345_678, standardDeviation: 0.0031_622_776, norm: 0.14142136,
                histogram: Histogram(bins: [1, 0, 7, 1_990, 2], range: Float(-0.03)...Float(0.03), nonFinite: 0)),
            weight: .init(
                count: 160, meanAbsolute: 0.28205958, standardDeviation: 0.35355338, norm: 4.4721360,
                histogram: Histogram(
                    bins: [3, 50, 54, 50, 3], range: Float(-1.2799991)...Float(1.2799991), nonFinite: 1)),
            weightGradient: .init(
                count: 160, meanAbsolute: 1e-5, standardDeviation: 2.5e-5, norm: 3.1e-4, histogram: nil),
            update: .init(count: 160, meanAbsolute: 1e-7, standardDeviation: 2.5e-7, norm: 3.1e-6, histogram: nil),
            deadUnitFraction: 0.1, zeroFraction: 0.507099986076355, units: 20, distinctUnits: 19,
            batchNorm: BatchNormStatistics(
                batchMean: -0.25, runningMean: 0.1 + 0.2, batchVariance: 1.5, runningVariance: 0.0625, meanGap: 0.75)),
        LayerStatistics(
            layer: "Affine2",
            backwardSignal: .init(
                count: 80, meanAbsolute: 0.05, standardDeviation: 0.07, norm: .infinity,
                histogram: Histogram(bins: [40, 40], range: Float(-1)...Float(1), nonFinite: 3)),
            weight: .init(
                count: 28, meanAbsolute: 0, standardDeviation: 0, norm: 0,
                histogram: Histogram(bins: [0, 28, 0], range: Float(-1)...Float(1), nonFinite: 0)),
            weightGradient: .init(count: 28, meanAbsolute: 0.01, standardDeviation: 0.02, norm: 0.1, histogram: nil),
            update: .init(count: 28, meanAbsolute: 0.001, standardDeviation: 0.002, norm: 0.01, histogram: nil),
            deadUnitFraction: nil, zeroFraction: nil, units: 4, distinctUnits: 1),
    ]

    /// One value of every record type, with awkward values: doubles that print long, present and
    /// absent optionals, every event kind and stop reason, text needing escapes.
    static func everyRecord() -> [any RecordLine & Equatable] {
        let text = "quote \" backslash \\ tab \t newline \n esc \u{1B}[2J del \u{7F} ⑂ → ü"
        var records: [any RecordLine & Equatable] = [
            ConfigRecord(
                t: 0.001, created: "2026-12-01T10:00:00Z", argv: ["dlboard", "--title", text], dataset: "MNIST",
                datasetChecksum: "4a3e3db6", dataDirectory: "/data/mnist ü", trainSize: 1000, validationSize: 200,
                testSize: 10_000, config: config),
            ConfigRecord(
                run: 1, title: "fork of run 1 @3 \(text)", parent: 0, forkStep: 3, t: 12.307, created: nil, argv: [],
                dataset: "", datasetChecksum: nil, dataDirectory: "", trainSize: 0, validationSize: 0, testSize: 0,
                config: TrainingConfig()),
            StepRecord(step: 1, epoch: 1, t: 0.295, loss: 0.1 + 0.2),
            StepRecord(run: 1, step: 2, epoch: 1, t: 1e-3, loss: 1e-300),
            StepRecord(step: 3, epoch: 1, t: 9_999_999_999.999, loss: Double(Float(2.1737313))),
            EvalRecord(
                t: 0.3,
                evaluation: .init(
                    step: 5, epoch: 1, meanLoss: 2.1554093837738035, trainAccuracy: 0.438, testAccuracy: nil,
                    validationAccuracy: 0.97,
                    trainSeconds: 0.004020349999336759, samplesPerSecond: 124_367.28147611166,
                    learningRate: 0.0081)),
            EvalRecord(
                run: 1, t: 0.321,
                evaluation: .init(
                    step: 10, epoch: 2, trainAccuracy: 1, testAccuracy: 0.517, validationAccuracy: nil,
                    trainSeconds: 0, samplesPerSecond: 0)),
            HistogramRecord(step: 5, t: 0.3, layer: 1, statistics: statistics),
            HistogramRecord(run: 1, step: 10, t: 0.321, layer: 2, statistics: statistics),
            LayerRecord(step: 5, t: 0.3, layer: 1, statistics: layers[0], verdict: "lr too low"),
            LayerRecord(run: 1, step: 5, t: 0.3, layer: 2, statistics: layers[1], verdict: nil),
        ]
        for (i, kind) in EventKind.allCases.enumerated() {
            records.append(
                EventRecord(
                    run: i % 2 == 0 ? nil : 1, t: 0.4 + Double(i),
                    event: .init(
                        step: 6 + i, label: "\(kind.rawValue) \(text)", kind: kind, from: i % 3 == 0 ? nil : "0.01",
                        to: i % 4 == 0 ? nil : "0.032")))
        }
        for reason in StopReason.allCases.map(Optional.some) + [nil] {
            records.append(
                SummaryRecord(
                    run: reason == nil ? nil : 1, t: 28.38, steps: 30, epochs: reason == nil ? nil : 3,
                    seconds: 28.13582159500038,
                    testAccuracy: 0.7349, validationAccuracy: reason == .diverged ? nil : 0.5, stopped: reason))
        }
        records.append(
            TrialRecord(run: 1, round: 2, learningRate: Double(Float(0.0071601844)), weightDecay: 6.446751740440959e-06)
        )
        records.append(
            TrialRecord(
                run: 2, round: 1, learningRate: 0.01, weightDecay: 0,
                values: [
                    .learningRate: .number(0.01), .beta: .number(0.95), .layers: .integer(3), .batchSize: .choice("64"),
                    .activation: .choice("tanh"), .units: .integer(1),
                ]))
        records.append(ReportRecord(line: text))
        records.append(
            RungRecord(
                rung: 1, budget: 1, t: 3.25,
                ranked: [.init(run: 2, score: 0.751), .init(run: 0, score: 0.1 + 0.2), .init(run: 1, score: nil)],
                promoted: [2], cutoff: 0.751, kept: [1]))
        records.append(
            RungRecord(
                rung: 2, budget: 3, t: 9.5, ranked: [.init(run: 2, score: 1)], promoted: [], cutoff: nil, kept: []))
        records.append(
            HalvingRecord(
                t: 12.5, trials: 27, eta: 3, budgets: [1, 3, 9], budgetSpent: 63, fullBudget: 243, keptBudget: 24,
                bestRun: 26, bestValidation: 0.929, randomTrials: 7, randomBudget: 63, randomBestRun: 33,
                randomBestValidation: 0.1 + 0.2, regretMissed: 0, regretKept: 3))
        records.append(
            HalvingRecord(
                t: 1, trials: 3, eta: 2, budgets: [1], budgetSpent: 0, fullBudget: 3, keptBudget: 0, bestRun: nil,
                bestValidation: nil, randomTrials: 0, randomBudget: nil, randomBestRun: nil,
                randomBestValidation: nil, regretMissed: nil, regretKept: nil))
        records.append(
            ExploitRecord(
                member: 3, step: 80, generation: 10, donor: 1, score: 0.8125, donorScore: 0.9, learningRateFrom: 0.0625,
                learningRateTo: Double(Float(0.0625 * 1.2)), learningRateFactor: 1.2, weightDecayFrom: 1e-5,
                weightDecayTo: 3.3e-4, weightDecayFactor: nil, digest: "00ff00ff00ff00ff",
                donorDigest: "00ff00ff00ff00ff", learningRateClamped: true))
        records.append(
            ExploitRecord(
                member: 0, step: 8, generation: 1, donor: 2, score: .nan, donorScore: 0.5, learningRateFrom: 1,
                learningRateTo: 0.8, learningRateFactor: 0.8, weightDecayFrom: 0, weightDecayTo: 0,
                weightDecayFactor: 0.8, digest: "", donorDigest: "1"))
        return records
    }

    static func same<A: Equatable>(_ a: A, _ b: Any?) -> Bool { (b as? A) == a }

    @Test func everyRecordTypeReadsBackEqualThroughTheLog() throws {
        let path = Self.temporaryPath("every.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let records = Self.everyRecord()
        let log = try MetricsLog(path: path)
        for r in records { log.write(r) }
        log.close()
        #expect(log.failure == nil)

        let lines = Self.lines(path)
        #expect(lines.count == records.count)
        var types: Set<RecordType> = []
        for (line, written) in zip(lines, records) {
            let text = String(decoding: line, as: UTF8.self)
            #expect(text.utf8.starts(with: RecordEncoder.linePrefix), "type first: \(text)")
            let decoded = try JSONDecoder().decode(DecodedRecord.self, from: line)
            let equal = Self.same(written, decoded.record)
            #expect(equal, "read back: \(text)")
            #expect(type(of: written).type == decoded.record.map { type(of: $0).type }, "\(text)")
            types.insert(type(of: written).type)
        }
        #expect(types == Set(RecordType.allCases), "every record type is written and read")

        // The reader sorts them into runs, values as written.
        let record = try RunRecordReader.read(path: path)
        #expect(record.warnings.isEmpty, "\(record.warnings)")
        #expect(record.runs.map(\.id) == [0, 1])
        let header = records[0] as! ConfigRecord
        let run = record.runs[0]
        #expect(run.config == header.config && run.config.seed == 12_345_678_901_234_567_890)
        #expect(run.datasetName == "MNIST" && run.datasetChecksum == "4a3e3db6" && run.trainSize == 1000)
        #expect(run.startDate == ISO8601DateFormatter().date(from: "2026-12-01T10:00:00Z")?.addingTimeInterval(-0.001))
        #expect(
            record.runs[1].parent == 0 && record.runs[1].forkStep == 3
                && record.runs[1].title?.hasPrefix("fork") == true)
        #expect(
            record.runs.flatMap(\.steps)
                == records.compactMap { $0 as? StepRecord }.sorted { ($0.run ?? 0) < ($1.run ?? 0) })
        #expect(
            record.runs.flatMap(\.evaluations)
                == records.compactMap { $0 as? EvalRecord }.sorted { ($0.run ?? 0) < ($1.run ?? 0) })
        #expect(
            record.runs.flatMap(\.events)
                == records.compactMap { $0 as? EventRecord }.sorted { ($0.run ?? 0) < ($1.run ?? 0) })
        #expect(
            record.runs.flatMap(\.histograms)
                == records.compactMap { $0 as? HistogramRecord }.sorted { ($0.run ?? 0) < ($1.run ?? 0) })
        #expect(
            record.runs.flatMap(\.layers)
                == records.compactMap { $0 as? LayerRecord }.sorted { ($0.run ?? 0) < ($1.run ?? 0) })
        // A run's last summary is the one that counts.
        #expect(run.hasSummary && run.stopped == nil)
        #expect(record.runs[1].hasSummary && record.runs[1].stopped == StopReason.allCases.last)
    }

    /// Today's field names, record by record (what other tools reading the JSON Lines rely on).
    @Test func theFieldNamesAreTheFormats() throws {
        let expected: [RecordType: Set<String>] = [
            .config: [
                "type", "version", "run", "title", "parent", "fork_step", "t", "created", "argv", "seed", "dataset",
                "dataset_crc32", "data", "train_size", "validation_size", "test_size", "config",
            ],
            .step: ["type", "run", "step", "epoch", "t", "loss"],
            .eval: [
                "type", "run", "epoch", "step", "t", "loss", "train_acc", "test_acc", "val_acc", "train_seconds",
                "samples_per_s", "lr",
            ],
            .hist: [
                "type", "run", "step", "t", "layer", "activation", "lo", "hi", "bins", "under", "over", "count",
                "zero_frac", "sat_frac", "layer_name", "excludes_zeros", "mean", "std", "min", "max",
            ],
            .layer: [
                "type", "run", "step", "t", "layer", "layer_name", "verdict", "signal_mean_abs", "signal_std",
                "signal_norm", "signal_count", "signal_lo", "signal_hi", "signal_bins", "signal_nonfinite",
                "w_mean_abs",
                "w_std", "w_norm", "w_count", "w_lo", "w_hi", "w_bins", "w_nonfinite", "grad_mean_abs", "grad_std",
                "grad_norm", "update_mean_abs", "update_std", "update_norm", "grad_ratio", "update_ratio", "dead_frac",
                "zero_frac", "units", "distinct", "bn_batch_mean", "bn_running_mean", "bn_batch_var", "bn_running_var",
                "bn_mean_gap",
            ],
            .event: ["type", "run", "step", "t", "kind", "from", "to", "what"],
            .summary: ["type", "run", "t", "steps", "epochs", "seconds", "test_acc", "val_acc", "stopped"],
            .trial: ["type", "run", "round", "lr", "weight_decay", "values"],
            .report: ["type", "line"],
            .rung: ["type", "rung", "budget", "t", "ranked", "promoted", "cutoff", "kept"],
            .halving: [
                "type", "t", "trials", "eta", "budgets", "budget_spent", "full_budget", "kept_budget", "best_run",
                "best_val_acc", "random_trials", "random_budget", "random_best_run", "random_best_val_acc",
                "regret_missed", "regret_kept",
            ],
            .exploit: [
                "type", "member", "step", "generation", "donor", "score", "donor_score", "lr_from", "lr_to",
                "lr_factor",
                "wd_from", "wd_to", "wd_factor", "digest", "donor_digest", "lr_clamped", "wd_clamped",
            ],
        ]
        var seen: [RecordType: Set<String>] = [:]
        for r in Self.everyRecord() {
            let line = try RecordEncoder.line(r)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let type = try #require((object["type"] as? String).flatMap(RecordType.init(rawValue:)))
            seen[type, default: []].formUnion(object.keys)
        }
        #expect(seen == expected)
    }

    /// JSON has no NaN or infinity: the writer says null, the reader gives NaN for a step's loss
    /// (the diverged step the chart shows as a gap) and nil for an evaluation's mean loss.
    @Test func numbersThatAreNotFiniteAreNull() throws {
        let step = try RecordEncoder.line(StepRecord(step: 3, epoch: 1, t: 0.3, loss: .infinity))
        #expect(step == #"{"type":"step","step":3,"epoch":1,"t":0.3,"loss":null}"#)
        let back = try JSONDecoder().decode(DecodedRecord.self, from: Data(step.utf8))
        guard case .step(let s) = back else {
            Issue.record("not a step: \(back)")
            return
        }
        #expect(s.loss.isNaN && s.step == 3)
        let eval = EvalRecord(
            t: 1,
            evaluation: .init(
                step: 5, epoch: 1, meanLoss: .nan, trainAccuracy: 0.5, testAccuracy: nil, validationAccuracy: nil,
                trainSeconds: 0,
                samplesPerSecond: 0))
        let line = try RecordEncoder.line(eval)
        // A mean loss that is not a number (a diverged epoch) is not known: left out, as when no
        // step was taken.
        #expect(!line.contains(#""loss""#) && line.contains(#""test_acc":null,"val_acc":null"#))
        guard case .eval(let e) = try JSONDecoder().decode(DecodedRecord.self, from: Data(line.utf8)) else {
            Issue.record("not an eval: \(line)")
            return
        }
        #expect(e.loss == nil && e.evaluation == eval.evaluation)
        // A layer whose W has no spread: its ratios are infinite, null in the line, +infinity back
        // (as is a norm that overflowed Float).
        let zeros = Self.layers[1]
        #expect(zeros.gradientToData == .infinity && zeros.updateToData == .infinity)
        let layerLine = try RecordEncoder.line(LayerRecord(step: 5, t: 1, layer: 2, statistics: zeros, verdict: nil))
        #expect(
            layerLine.contains(#""grad_ratio":null,"update_ratio":null"#) && layerLine.contains(#""signal_norm":null"#))
        #expect(
            !layerLine.contains("dead_frac") && !layerLine.contains("bn_"), "no ReLU shares, no BatchNorm: left out")
        guard case .layer(let l) = try JSONDecoder().decode(DecodedRecord.self, from: Data(layerLine.utf8)) else {
            Issue.record("not a layer: \(layerLine)")
            return
        }
        #expect(l.statistics == zeros && l.statistics.updateToData == .infinity)
        #expect(l.statistics.backwardSignal.norm == .infinity)
        let trial = try RecordEncoder.line(TrialRecord(run: 0, round: 1, learningRate: .nan, weightDecay: -.infinity))
        #expect(trial == #"{"type":"trial","run":0,"round":1,"lr":null,"weight_decay":null}"#)
    }

    /// A later version's event kind, stop reason or record type is left out; the rest reads.
    @Test func valuesOfALaterVersionAreLeftOut() throws {
        var all = RecordInputTests.lines()
        all.insert(["type": "event", "step": 6, "t": 0.35, "kind": "warp", "from": "a", "to": "b", "what": "⇝"], at: 3)
        all.insert(["type": "checkpoint", "step": 6, "t": 0.35, "path": "x"], at: 3)
        all[all.count - 1]["stopped"] = "meteor"
        let record = try RunRecordReader.parse(RecordInputTests.text(all), path: "later.jsonl")
        #expect(record.warnings.isEmpty, "\(record.warnings)")
        let valid = try RunRecordReader.parse(RecordInputTests.text(RecordInputTests.lines()), path: "ok.jsonl")
        #expect(record.runs[0].events == valid.runs[0].events, "the unknown event is not a marker")
        #expect(record.runs[0].steps == valid.runs[0].steps && record.runs[0].sequence == valid.runs[0].sequence)
        #expect(record.runs[0].hasSummary && record.runs[0].stopped == nil, "the run ended; why is not known")
        // A kind is required: an event without one is damaged.
        var damaged = RecordInputTests.lines()
        damaged[2]["kind"] = nil
        let r = try RunRecordReader.parse(RecordInputTests.text(damaged), path: "d.jsonl")
        #expect(r.warnings == ["d.jsonl: skipped 1 unreadable line(s), the first at line 3"])
    }

    /// The log's writers stamp `t` and fill the records as the reader gives them back.
    @Test func theLogWritersWriteTheSchemasRecords() throws {
        let path = Self.temporaryPath("writers.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let dataset = SessionTests.dataset()
        let log = try MetricsLog(path: path)
        log.writeConfig(Self.config, dataset: dataset, checksum: "0badf00d", dataDirectory: "(test)")
        log.writeConfig(
            TrainingConfig(), dataset: dataset, checksum: "0badf00d", dataDirectory: "(test)", run: 1, title: "fork",
            parent: 0, forkStep: 4)
        log.writeStep(step: 4, epoch: 1, loss: 0.1 + 0.2)
        let evaluation = SessionOutput.Evaluation(
            step: 10, epoch: 1, meanLoss: 2.1554093837738035, trainAccuracy: 0.438, testAccuracy: 0.35,
            validationAccuracy: nil,
            trainSeconds: 0.004020349999336759, samplesPerSecond: 124_367.28147611166,
            learningRate: Float(0.0081).nextDown)
        log.writeEval(evaluation)
        log.writeHistograms([Self.statistics, Self.statistics], step: 10)
        let sample = SessionOutput.LayerSample(step: 10, layers: Self.layers)
        log.writeLayers(sample)
        let event = SessionOutput.Event(step: 4, label: "⑂ forked", kind: .forked, from: "0")
        log.writeEvent(event, run: 1)
        log.writeSummary(
            steps: 10, epochs: 1, seconds: 1.5, testAccuracy: 0.35, validationAccuracy: nil, stopReason: .stdoutClosed)
        log.close()

        let record = try RunRecordReader.read(path: path)
        #expect(record.warnings.isEmpty, "\(record.warnings)")
        let run = record.runs[0]
        #expect(run.config == Self.config && run.datasetChecksum == "0badf00d" && run.trainSize == 200)
        #expect(record.runs[1].parent == 0 && record.runs[1].forkStep == 4)
        #expect(run.steps.map(\.loss) == [0.1 + 0.2] && run.steps.map(\.step) == [4])
        #expect(
            run.evaluations.map(\.evaluation) == [evaluation] && run.evaluations.map(\.loss) == [2.1554093837738035])
        #expect(run.histograms.map(\.statistics) == [Self.statistics, Self.statistics])
        #expect(run.histograms.map(\.layer) == [1, 2])
        #expect(run.layerSamples == [sample] && run.layers.map(\.layer) == [1, 2])
        #expect(run.layers.map(\.verdict) == LayerVerdict.assess(Self.layers).map(\.name))
        #expect(run.layers[0].t == run.layers[1].t, "a sample's layers share one time")
        #expect(record.runs[1].events.map(\.event) == [event])
        #expect(run.stopped == .stdoutClosed)
        let times = run.steps.map(\.t) + run.evaluations.map(\.t) + run.histograms.map(\.t)
        #expect(times.allSatisfy { $0 >= 0 && $0 < 60 && ($0 * 1000).rounded() / 1000 == $0 }, "ms since opened")
    }
}
