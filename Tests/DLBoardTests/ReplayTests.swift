import Foundation
import NN
import Testing

@testable import dlboard

/// Run records and their replay: a recorded session, played back, gives the dashboard exactly the
/// curves, markers and configurations it had live; a crash's torn last line is skipped.
@Suite struct ReplayTests {
    typealias Spec = TrainingSession.RunSpec

    static func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "dlboard-replay-\(UUID().uuidString)-\(name)"
    }

    /// Runs a two-run session with switches and a fork, feeding a live `DashboardState` and a
    /// `SessionRecorder` from the same snapshots, as the dashboard loop does. Returns the live state.
    static func recordSession(to path: String) throws -> DashboardState {
        try recordSessionWithLayers(to: path).state
    }

    /// The same, with the per-layer samples the session published for each run (every 4th step and
    /// each evaluation's), by run id.
    static func recordSessionWithLayers(
        to path: String
    ) throws -> (state: DashboardState, layers: [Int: [SessionOutput.LayerSample]]) {
        var adam = SessionTests.config
        adam.optimizer = .adam
        adam.learningRate = nil
        let specs = [Spec(config: SessionTests.config, title: "SGD"), Spec(config: adam, title: "Adam")]
        let dataset = SessionTests.dataset()
        let session = TrainingSession(
            runs: specs, dataset: dataset, publishInterval: 0.001, layerStatisticsInterval: 4)
        let log = try MetricsLog(path: path)
        var layers: [Int: [SessionOutput.LayerSample]] = [:]
        let recorder = SessionRecorder(log: log, dataset: dataset, dataDirectory: "(test)", logEvery: 1, specs: specs)
        var live = DashboardState(datasetName: dataset.name, sessionName: "compare")
        func pump(until done: (DashboardState) -> Bool) {
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                let snapshot = session.drainAll()
                _ = live.apply(snapshot)
                recorder.record(snapshot)
                for (id, out) in snapshot.runs { layers[id, default: []] += out.layerSamples }
                if done(live) { return }
                usleep(2000)
            }
            Issue.record("timed out")
        }
        func step(_ run: Int, _ n: Int) {
            for _ in 0..<n { session.send(.stepOnce, to: run) }
        }
        func at(_ id: Int, _ step: Int) -> (DashboardState) -> Bool {
            { s in s.panes.first { $0.id == id }?.state.status?.step == step }
        }
        session.start(paused: true)
        step(0, 7)
        step(1, 7)
        pump(until: { at(0, 7)($0) && at(1, 7)($0) })
        session.send(.setLearningRate(0.05), to: 0)
        session.send(.setBatchNorm(true), to: 1)
        session.send(.setDropout(0.2), to: 1)
        session.send(.setSchedule(.exponential(rate: 0.5)), to: 1)
        step(0, 6)
        step(1, 6)
        pump(until: { at(0, 13)($0) && at(1, 13)($0) })
        session.send(.fork(as: 2), to: 0)
        pump(until: { $0.panes.count == 3 })
        let forkID = live.panes[1].id
        session.send(.setOptimizer(.momentum), to: forkID)
        session.send(.setWeightDecay(0.01), to: forkID)
        session.send(.setNormalization(.layer), to: forkID)
        session.send(.reinitialize(.xavier), to: 1)
        for id in [0, forkID, 1] { session.send(.resume, to: id) }
        pump(until: { s in s.panes.allSatisfy { $0.state.status?.finished == true } })
        session.stop()
        let last = session.drainAll()
        _ = live.apply(last)
        recorder.record(last)
        for (id, out) in last.runs { layers[id, default: []] += out.layerSamples }
        recorder.finish(seconds: 1, stopReason: nil)
        return (live, layers)
    }

    static func expectSameCurves(_ replayed: DashboardState, _ live: DashboardState) {
        #expect(replayed.panes.count == live.panes.count)
        for (r, l) in zip(replayed.panes, live.panes) {
            #expect(r.state.losses == l.state.losses, "loss curve of \(l.state.title)")
            #expect(r.state.trainAccuracy == l.state.trainAccuracy)
            #expect(r.state.testAccuracy == l.state.testAccuracy)
            #expect(r.state.markers == l.state.markers, "switch and fork markers of \(l.state.title)")
            #expect(
                r.state.status?.config == l.state.status?.config, "configuration after the switches of \(l.state.title)"
            )
            #expect(r.state.status?.step == l.state.status?.step)
            #expect(r.origin == l.origin)
        }
        #expect(replayed.titles == live.titles)
    }

    @Test func replayReproducesTheLiveCurvesMarkersAndConfigs() throws {
        let path = Self.temporaryPath("session.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let live = try Self.recordSession(to: path)
        #expect(live.panes.count == 3)
        #expect(live.panes[1].origin == "fork @13")
        #expect(live.panes[1].state.status?.config.optimizer == .momentum)
        #expect(live.panes[1].state.losses.count == 30, "the fork's pane has its parent's 13 steps and its own 17")

        let record = try RunRecordReader.read(path: path)
        #expect(record.warnings.isEmpty)
        #expect(record.runs.count == 3)
        #expect(record.runs[2].parent == 0 && record.runs[2].forkStep == 13)
        #expect(record.runs.allSatisfy { $0.hasSummary })
        let lr = record.runs[0].events.first { $0.event.kind == .learningRate }?.event
        #expect(
            lr?.from == "0.1" && lr?.to == "0.05" && lr?.step == 7,
            "event records say what changed, from → to, and when")
        #expect(record.runs[0].histograms.count == 3 * 2, "a histogram per hidden layer at each of the 3 evaluations")
        // Adam's run switched to exp:0.5 at step 7: its evaluations say the rate their step took.
        let schedule = record.runs[1].events.first { $0.event.kind == .schedule }?.event
        #expect(schedule?.from == "constant" && schedule?.to == "exp:0.5" && schedule?.step == 7)
        let perEpoch = record.runs[1].stepsPerEpoch
        #expect(
            record.runs[1].evaluations.map(\.evaluation.learningRate)
                == record.runs[1].evaluations.map {
                    $0.evaluation.step <= 7
                        ? 0.001 : 0.001 * Float(pow(0.5, Double(($0.evaluation.step - 1) / perEpoch + 1)))
                })

        // Everything at once…
        var player = ReplayPlayer(records: [record])
        var instant = DashboardState(datasetName: "", sessionName: "replay")
        _ = instant.apply(player.advance(to: .infinity))
        #expect(player.isFinished)
        Self.expectSameCurves(instant, live)

        // …and in small steps of the recorded clock.
        player = ReplayPlayer(records: [record])
        var paced = DashboardState(datasetName: "", sessionName: "replay")
        var t = 0.0
        var snapshots = 0
        while !player.isFinished {
            t += player.duration / 50 + 1e-6
            _ = paced.apply(player.advance(to: t))
            snapshots += 1
        }
        #expect(snapshots > 10)
        Self.expectSameCurves(paced, live)

        // A loaded machine writes the fork's header and its "forked" event a few ms apart: the
        // pane must still take its parent's curves.
        var delayed = record
        let k = try #require(delayed.runs[2].events.firstIndex { $0.event.kind == .forked })
        delayed.runs[2].events[k].t = delayed.runs[2].headerTime + 0.004
        player = ReplayPlayer(records: [delayed])
        var stepwise = DashboardState(datasetName: "", sessionName: "replay")
        t = 0
        while !player.isFinished {
            t += 0.001
            _ = stepwise.apply(player.advance(to: t))
        }
        #expect(stepwise.panes.map(\.origin) == live.panes.map(\.origin))
        #expect(stepwise.panes[1].state.losses == live.panes[1].state.losses)
    }

    /// A loss switch and a Leaky ReLU of its own slope replay into the configuration the run had live,
    /// and the record's header carries the loss it started with.
    @Test func theLossAndTheNewActivationsReplay() throws {
        let path = Self.temporaryPath("loss.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var config = SessionTests.config
        config.network.activation = .softplus
        let specs = [Spec(config: config, title: "SoftPlus")]
        let dataset = SessionTests.dataset()
        let session = TrainingSession(runs: specs, dataset: dataset, publishInterval: 0.001)
        let recorder = SessionRecorder(
            log: try MetricsLog(path: path), dataset: dataset, dataDirectory: "(test)", logEvery: 1, specs: specs)
        var live = DashboardState(datasetName: dataset.name)
        func pump(until done: (DashboardState) -> Bool) {
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                let snapshot = session.drainAll()
                _ = live.apply(snapshot)
                recorder.record(snapshot)
                if done(live) { return }
                usleep(2000)
            }
            Issue.record("timed out")
        }
        session.start(paused: true)
        for _ in 0..<3 { session.send(.stepOnce, to: 0) }
        session.send(.setLoss(.meanSquaredError), to: 0)
        for _ in 0..<3 { session.send(.stepOnce, to: 0) }
        session.send(.setActivation(.leakyReLU(slope: 0.2)), to: 0)
        session.send(.stepOnce, to: 0)
        pump { $0.focused?.status?.step == 7 && ($0.focused?.published?.appliedCommands ?? 0) >= 2 }
        session.stop()
        let last = session.drainAll()
        _ = live.apply(last)
        recorder.record(last)
        recorder.finish(seconds: 1, stopReason: nil)
        let liveConfig = try #require(live.focused?.status?.config)
        #expect(liveConfig.network.loss == .meanSquaredError && liveConfig.network.activation == .leakyReLU(slope: 0.2))

        let record = try RunRecordReader.read(path: path)
        #expect(
            record.runs[0].config.network.loss == .crossEntropy && record.runs[0].config.network.activation == .softplus
        )
        #expect(
            record.runs[0].events.map { [$0.event.kind.rawValue, $0.event.from ?? "-", $0.event.to ?? "-"] } == [
                ["loss", "cross-entropy", "mse"], ["activation", "softplus", "leaky-relu:0.2"],
            ])
        var player = ReplayPlayer(records: [record])
        var replayed = DashboardState(datasetName: "", sessionName: "replay")
        _ = replayed.apply(player.advance(to: .infinity))
        #expect(replayed.focused?.status?.config == liveConfig)
        #expect(replayed.focused?.markers.map(\.label) == ["→ MSE", "→ Leaky ReLU 0.2"])
    }

    /// Standardized inputs and an augmentation switched off and on again replay into the
    /// configuration the run had live; the header carries both, an older header without them reads
    /// as the book's /255 and no augmentation.
    @Test func inputScalingAndAugmentationReplay() throws {
        let path = Self.temporaryPath("augment.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var config = SessionTests.config
        config.inputs = .standardize
        config.augmentation = Augmentation(shift: 1, noise: 0.1)
        let specs = [Spec(config: config, title: "augmented")]
        let dataset = SessionTests.dataset()
        let session = TrainingSession(runs: specs, dataset: dataset, publishInterval: 0.001)
        let recorder = SessionRecorder(
            log: try MetricsLog(path: path), dataset: dataset, dataDirectory: "(test)", logEvery: 1, specs: specs)
        var live = DashboardState(datasetName: dataset.name)
        session.start(paused: true)
        for _ in 0..<3 { session.send(.stepOnce, to: 0) }
        session.send(.setAugmentation(.none), to: 0)
        for _ in 0..<2 { session.send(.stepOnce, to: 0) }
        session.send(.setAugmentation(Augmentation(rotate: 5)), to: 0)
        session.send(.stepOnce, to: 0)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let snapshot = session.drainAll()
            _ = live.apply(snapshot)
            recorder.record(snapshot)
            if live.focused?.status?.step == 6 && (live.focused?.published?.appliedCommands ?? 0) >= 2 { break }
            usleep(2000)
        }
        session.stop()
        let last = session.drainAll()
        _ = live.apply(last)
        recorder.record(last)
        recorder.finish(seconds: 1, stopReason: nil)
        let liveConfig = try #require(live.focused?.status?.config)
        #expect(liveConfig.inputs == .standardize && liveConfig.augmentation == Augmentation(rotate: 5))

        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("\"inputs\":\"standardize\"") && text.contains("\"augment\":\"shift:1+noise:0.1\""))
        let record = try RunRecordReader.read(path: path)
        #expect(record.runs[0].config == config)
        #expect(
            record.runs[0].events.map { [$0.event.kind.rawValue, $0.event.from ?? "-", $0.event.to ?? "-"] } == [
                ["augmentation", "shift:1+noise:0.1", "none"], ["augmentation", "none", "rotate:5"],
            ])
        var player = ReplayPlayer(records: [record])
        var replayed = DashboardState(datasetName: "", sessionName: "replay")
        _ = replayed.apply(player.advance(to: .infinity))
        #expect(replayed.focused?.status?.config == liveConfig)
        #expect(replayed.focused?.markers.map(\.label) == ["−aug", "+aug rotate:5"])

        // A header written before these settings existed: no "inputs", no "augment".
        let old = text.replacingOccurrences(of: ",\"inputs\":\"standardize\"", with: "")
            .replacingOccurrences(of: "\"augment\":\"shift:1+noise:0.1\",", with: "")
        #expect(old != text)
        try old.write(toFile: path, atomically: true, encoding: .utf8)
        let older = try RunRecordReader.read(path: path)
        #expect(older.runs[0].config.inputs == .unit && older.runs[0].config.augmentation == .none)
    }

    /// A replay quits as every screen does: q asks, and with the help open q closes the help first
    /// (the replay's own q handling once quit at once from there).
    @Test func replayQuitsOnlyWhenAsked() throws {
        let path = Self.temporaryPath("quit.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try Self.recordSession(to: path)
        var s = QuitConfirmation(ReplayScreen(records: [try RunRecordReader.read(path: path)], speed: nil))
        _ = s.handle(.escape)
        #expect(!s.shouldQuit && !s.asking, "Esc alone does not quit")
        _ = s.handle(.character("?"))
        #expect(s.showsOverlay)
        _ = s.handle(.character("q"))
        #expect(!s.shouldQuit && !s.asking && !s.showsOverlay, "q closes the help, does not quit")
        _ = s.handle(.character("q"))
        #expect(s.asking && !s.shouldQuit, "then q asks")
        _ = s.handle(.character("q"))
        #expect(s.shouldQuit, "q q quits")
    }

    @Test func severalFilesPlaySideBySide() throws {
        let path = Self.temporaryPath("two.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let live = try Self.recordSession(to: path)
        let record = try RunRecordReader.read(path: path)
        var screen = ReplayScreen(records: [record, record], speed: nil)
        #expect(screen.state.panes.count == 6, "every run of both files")
        // The second file's fork sits next to the second file's first run, with its curves.
        #expect(screen.state.panes[4].origin == "fork @13")
        #expect(screen.state.panes[4].state.losses == live.panes[1].state.losses)
        #expect(screen.state.banner?.contains("end of record") == true)
        _ = screen.handle(.character("b"))
        #expect(screen.state.notice?.contains("cannot be steered") == true)
        var asking = QuitConfirmation(screen)
        _ = asking.handle(.character("q"))
        _ = asking.handle(.character("q"))
        #expect(asking.shouldQuit, "q q quits (see replayQuitsOnlyWhenAsked)")
        var paced = ReplayScreen(records: [record], speed: 100)
        _ = paced.tick(now: 0)
        _ = paced.tick(now: 10)
        #expect(paced.state.panes.count == 3 && paced.player.isFinished)
        // Before any step of its own, a fork's status is at the fork step.
        var early = ReplayPlayer(records: [record])
        let start = try #require(early.runs.first { $0.parent != nil }).startTime
        let first = early.advance(to: start)
        #expect(first.runs[2]?.status?.step == 13)
        _ = paced.handle(.character("r"))
        #expect(paced.state.panes.isEmpty && !paced.player.isFinished, "r starts the replay again")
    }

    @Test func aTornLastLineIsSkippedAndTheRestIsRead() throws {
        let path = Self.temporaryPath("torn.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try Self.recordSession(to: path)
        let whole = try RunRecordReader.read(path: path)
        let h = try #require(FileHandle(forWritingAtPath: path))
        h.seekToEndOfFile()
        h.write(Data(#"{"type":"step","run":0,"step":31,"ep"#.utf8))
        h.closeFile()
        let torn = try RunRecordReader.read(path: path)
        #expect(torn.runs.map(\.steps.count) == whole.runs.map(\.steps.count))
        #expect(torn.warnings.count == 1)
        #expect(torn.warnings.first?.contains("torn last line") == true)
    }

    @Test func unreadableFilesAreOneLineErrorsNamingTheFile() throws {
        let missing = Self.temporaryPath("missing.jsonl")
        #expect(throws: RunRecordReader.ReadError.self) { try RunRecordReader.read(path: missing) }
        do { _ = try RunRecordReader.read(path: missing) } catch {
            #expect(error.description == "\(missing): no such file")
        }
        let garbage = Self.temporaryPath("garbage.jsonl")
        defer { try? FileManager.default.removeItem(atPath: garbage) }
        _ = FileManager.default.createFile(atPath: garbage, contents: Data("hello\nworld\n".utf8))
        do {
            _ = try RunRecordReader.read(path: garbage)
            Issue.record("garbage was read")
        } catch {
            #expect(error.description.hasPrefix(garbage + ": not a readable run record"))
        }
        // A damaged line in the middle is skipped and counted.
        let damaged = Self.temporaryPath("damaged.jsonl")
        defer { try? FileManager.default.removeItem(atPath: damaged) }
        _ = try Self.recordSession(to: damaged)
        var lines = try String(contentsOfFile: damaged, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        lines[5] = "\u{0}\u{0}garbage"
        try lines.joined(separator: "\n").write(toFile: damaged, atomically: true, encoding: .utf8)
        let r = try RunRecordReader.read(path: damaged)
        #expect(r.warnings == ["\(damaged): skipped 1 unreadable line(s), the first at line 6"])
    }
}
