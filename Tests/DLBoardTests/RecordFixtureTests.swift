import Foundation
import NN
import TUI
import Testing

@testable import dlboard

/// Records written by the dlboard before the schema types (its hand-built JSON lines), kept as
/// fixtures: they still replay their curves. `dashboard-fork-v1.jsonl` is a live dashboard session
/// (+BN, → Momentum, lr 0.032, a fork, −BN on the fork, → Nesterov on the parent);
/// `compare-diverged-v1.jsonl` a headless `compare --lrs 0.1,1000` whose second run diverged.
/// `compare-layers-v1.jsonl` is one with the per-layer records: a headless `compare --inits he,0
/// --train-size 1000 --batch 10 --epochs 1 --hidden 8,8 --log-every 10 --metrics-out …`, so layer
/// samples at step 50 (the interval) and 100 (the evaluation), healthy He layers and symmetric zeros.
///
/// What a pane must show is taken from the file itself, read by a plain JSON decoder rather than
/// the record reader: a fork's pane continues its parent's curves and markers up to the fork.
@Suite struct RecordFixtureTests {
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
    }

    /// Any JSON value, numbers as JSONDecoder reads them (the exact Double).
    enum JSON: Decodable {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case array([JSON])
        case object([String: JSON])

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                self = .null
            } else if let b = try? c.decode(Bool.self) {
                self = .bool(b)
            } else if let d = try? c.decode(Double.self) {
                self = .number(d)
            } else if let s = try? c.decode(String.self) {
                self = .string(s)
            } else if let a = try? c.decode([JSON].self) {
                self = .array(a)
            } else {
                self = .object(try c.decode([String: JSON].self))
            }
        }

        subscript(_ key: String) -> JSON? {
            if case .object(let o) = self { return o[key] }
            return nil
        }
        var number: Double? { if case .number(let d) = self { d } else { nil } }
        var int: Int? { number.map { Int($0) } }
        var string: String? { if case .string(let s) = self { s } else { nil } }
    }

    /// A run as the file has it: its header and its lines, in order.
    struct FileRun {
        var id: Int
        var parent: Int?
        var forkStep: Int?
        var perEpoch: Int
        var config: TrainingConfig
        var losses: [ChartPoint] = []
        var train: [ChartPoint] = []
        var test: [ChartPoint] = []
        var markers: [ChartMarker] = []
        var events: [(kind: String, to: String?)] = []
        var stopped: String?
    }

    struct Header: Decodable {
        var config: TrainingConfig
    }

    static func read(_ path: String) throws -> [FileRun] {
        let data = try #require(FileManager.default.contents(atPath: path))
        var runs: [FileRun] = []
        for line in data.split(separator: 0x0A) {
            let o = try JSONDecoder().decode(JSON.self, from: Data(line))
            let id = o["run"]?.int ?? 0
            let at = runs.firstIndex { $0.id == id }
            switch o["type"]?.string {
            case "config":
                let config = try JSONDecoder().decode(Header.self, from: Data(line)).config
                let perEpoch = max(1, (o["train_size"]?.int ?? 0) / config.batchSize)
                runs.append(
                    FileRun(
                        id: id, parent: o["parent"]?.int, forkStep: o["fork_step"]?.int, perEpoch: perEpoch,
                        config: config))
            case "step":
                let loss = o["loss"]?.number ?? .nan
                runs[at!].losses.append(ChartPoint(x: Double(o["step"]!.int!), y: loss))
            case "eval":
                let epoch = Double(o["epoch"]!.int!)
                runs[at!].train.append(ChartPoint(x: epoch, y: o["train_acc"]!.number!))
                if let t = o["test_acc"]?.number { runs[at!].test.append(ChartPoint(x: epoch, y: t)) }
            case "event":
                runs[at!].markers.append(ChartMarker(x: Double(o["step"]!.int!), label: o["what"]!.string!))
                runs[at!].events.append((o["kind"]!.string!, o["to"]?.string))
            case "summary":
                runs[at!].stopped = o["stopped"]?.string
            default:
                break
            }
        }
        return runs
    }

    /// The curves a run's pane shows: a fork's start with its parent's up to the fork step.
    static func expectedPane(_ run: FileRun, in runs: [FileRun]) -> FileRun {
        guard let p = run.parent, let parent = runs.first(where: { $0.id == p }), let at = run.forkStep else {
            return run
        }
        let base = expectedPane(parent, in: runs)
        var pane = run
        let upTo = Double(at)
        let perEpoch = Double(base.perEpoch)
        pane.losses = base.losses.filter { $0.x <= upTo } + run.losses
        pane.train = base.train.filter { $0.x * perEpoch <= upTo } + run.train
        pane.test = base.test.filter { $0.x * perEpoch <= upTo } + run.test
        pane.markers = base.markers.filter { $0.x < upTo } + run.markers
        return pane
    }

    /// Points equal, a NaN loss (a diverged step) equal to a NaN.
    static func same(_ a: [ChartPoint], _ b: [ChartPoint]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.x == $1.x && ($0.y == $1.y || ($0.y.isNaN && $1.y.isNaN)) }
    }

    /// Replays a fixture to its end, in steps of the recorded clock, into the dashboard's state.
    static func replay(_ record: RunRecord) -> DashboardState {
        var player = ReplayPlayer(records: [record])
        var state = DashboardState(datasetName: "", sessionName: "replay")
        var t = 0.0
        while !player.isFinished {
            t += player.duration / 40 + 1e-6
            _ = state.apply(player.advance(to: t))
        }
        return state
    }

    @Test(arguments: ["dashboard-fork-v1.jsonl", "compare-diverged-v1.jsonl"])
    func aRecordOfThePreviousWriterReplaysItsCurves(name: String) throws {
        let path = Self.fixture(name)
        let record = try RunRecordReader.read(path: path)
        #expect(record.warnings.isEmpty, "\(record.warnings)")
        let file = try Self.read(path)
        #expect(record.runs.map(\.id) == file.map(\.id))
        #expect(file.contains { !$0.markers.isEmpty } && file.contains { !$0.train.isEmpty }, "markers, accuracies")
        let state = Self.replay(record)
        #expect(state.panes.count == file.count)
        for (n, run) in file.enumerated() {
            let pane = try #require(state.panes.first { $0.id == n }, "a pane for run \(run.id)").state
            let expected = Self.expectedPane(run, in: file)
            #expect(!expected.losses.isEmpty, "the fixture has a loss curve for run \(run.id)")
            #expect(Self.same(pane.losses, expected.losses), "losses of run \(run.id)")
            #expect(Self.same(pane.trainAccuracy, expected.train), "train accuracy of run \(run.id)")
            #expect(Self.same(pane.testAccuracy, expected.test), "test accuracy of run \(run.id)")
            #expect(pane.markers == expected.markers, "markers of run \(run.id)")
            #expect(pane.status?.step == expected.losses.last.map { Int($0.x) }, "last step of run \(run.id)")
            #expect(record.runs[n].hasSummary)
            #expect(record.runs[n].stopped?.rawValue == run.stopped, "stop reason of run \(run.id)")
            // The configuration the run's own switches leave (its header is the config at its start).
            var config = run.config
            for e in run.events {
                switch e.kind {
                case "optimizer":
                    config.optimizer = OptimizerKind(rawValue: e.to!)!
                    config.learningRate = nil
                case "lr": config.learningRate = Float(e.to!)!
                case "batchnorm": config.network.batchNorm = e.to == "on"
                case "fork", "forked", "diverged": break
                default: Issue.record("the fixture has a \(e.kind) event this test does not follow")
                }
            }
            #expect(pane.status?.config == config, "configuration of run \(run.id)")
            #expect(pane.status?.diverged == run.events.contains { $0.kind == "diverged" })
        }
    }

    /// The layer records as the file has them, read by a plain JSON decoder: per run, (step, layer
    /// name, verdict, update:data or nil for null, units, distinct, the backward signal's bin total).
    struct FileLayer: Equatable {
        var run: Int
        var step: Int
        var name: String
        var verdict: String?
        var updateRatio: Double?
        var units: Int
        var distinct: Int
        var signalCount: Int
    }

    static func layers(_ path: String) throws -> [FileLayer] {
        let data = try #require(FileManager.default.contents(atPath: path))
        return try data.split(separator: 0x0A).compactMap { line in
            let o = try JSONDecoder().decode(JSON.self, from: Data(line))
            guard o["type"]?.string == "layer" else { return nil }
            var total = 0
            if case .array(let bins) = o["signal_bins"] { total = bins.compactMap(\.int).reduce(0, +) }
            return FileLayer(
                run: o["run"]?.int ?? 0, step: o["step"]!.int!, name: o["layer_name"]!.string!,
                verdict: o["verdict"]?.string, updateRatio: o["update_ratio"]?.number, units: o["units"]!.int!,
                distinct: o["distinct"]!.int!, signalCount: total)
        }
    }

    @Test func aRecordWithLayerStatisticsReadsAndReplaysThem() throws {
        let path = Self.fixture("compare-layers-v1.jsonl")
        let record = try RunRecordReader.read(path: path)
        #expect(record.warnings.isEmpty, "\(record.warnings)")
        let file = try Self.layers(path)
        #expect(file.count == 2 * 2 * 3, "2 runs, 2 samples, 3 Affine layers")
        let read = record.runs.flatMap { run in
            run.layers.map { l in
                FileLayer(
                    run: run.id, step: l.step, name: l.statistics.layer, verdict: l.verdict,
                    updateRatio: l.statistics.updateToData.isFinite ? Double(l.statistics.updateToData) : nil,
                    units: l.statistics.units, distinct: l.statistics.distinctUnits,
                    signalCount: l.statistics.backwardSignal.histogram?.bins.reduce(0, +) ?? 0)
            }
        }
        #expect(read == file, "every layer line, its values as the file has them")
        #expect(file.filter { $0.run == 1 && $0.name != "Affine3" }.allSatisfy { $0.distinct == 1 })
        #expect(file.filter { $0.run == 0 }.allSatisfy { $0.distinct == $0.units && $0.verdict == "healthy" })
        #expect(file.filter { $0.run == 1 && $0.name != "Affine3" }.allSatisfy { $0.verdict == "symmetric" })

        // Replayed in steps of the recorded clock, each run's samples arrive whole, at their steps.
        var player = ReplayPlayer(records: [record])
        var samples: [Int: [SessionOutput.LayerSample]] = [:]
        var t = 0.0
        while !player.isFinished {
            t += player.duration / 40 + 1e-6
            for (id, out) in player.advance(to: t).runs { samples[id, default: []] += out.layerSamples }
        }
        for run in record.runs {
            #expect(samples[run.id]?.map(\.step) == [50, 100])
            #expect(
                samples[run.id]?.allSatisfy { $0.layers.map(\.layer) == ["Affine1", "Affine2", "Affine3"] } == true)
            #expect(samples[run.id] == run.layerSamples)
        }
    }

    @Test func theFixturesHoldWhatTheyAreKeptFor() throws {
        let session = try Self.read(Self.fixture("dashboard-fork-v1.jsonl"))
        #expect(session.count == 2 && session[1].parent == 0 && session[1].forkStep == 14)
        let kinds = Set(session.flatMap { $0.events.map(\.kind) })
        #expect(kinds == ["batchnorm", "optimizer", "lr", "fork", "forked"])
        let compare = try Self.read(Self.fixture("compare-diverged-v1.jsonl"))
        #expect(compare.map(\.stopped) == [nil, "diverged"])
        #expect(compare[1].losses.contains { $0.y.isNaN }, "the diverged step's loss is null")
        for name in ["dashboard-fork-v1.jsonl", "compare-diverged-v1.jsonl", "compare-layers-v1.jsonl"] {
            let size = try FileManager.default.attributesOfItem(atPath: Self.fixture(name))[.size] as? Int ?? 0
            #expect(size < 200_000)
        }
    }
}
