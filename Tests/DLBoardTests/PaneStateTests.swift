import NN
import TUI
import Testing

@testable import dlboard

/// Keys → state changes and session commands, without a terminal.
@Suite struct PaneStateTests {
    static func state(optimizer: OptimizerKind = .sgd, lr: Float? = nil, paused: Bool = false) -> PaneState {
        var s = PaneState(datasetName: "MNIST")
        s.status = .init(
            config: TrainingConfig(optimizer: optimizer, learningRate: lr), step: 10, stepsPerEpoch: 600,
            epochTarget: 20, stepTarget: 12000, paused: paused, diverged: false, finished: false,
            samplesPerSecond: 1000, lastLoss: 1)
        return s
    }

    @Test func optimizerCyclesBothWays() {
        var s = Self.state()
        #expect(s.handle(.character("o")) == [.cycleOptimizer(by: 1)])
        #expect(s.status?.config.optimizer == .momentum, "shown at once, before the trainer publishes")
        #expect(s.handle(.character("O")) == [.cycleOptimizer(by: -1)])
        #expect(s.handle(.character("O")) == [.cycleOptimizer(by: -1)])
        #expect(s.status?.config.optimizer == .adam, "SGD → Momentum → SGD → Adam (the cycle wraps)")
        #expect(s.status?.config.effectiveLearningRate == 0.001, "a new optimizer starts at its default lr")
    }

    /// Every press counts: the second key resolves against what the first one changed.
    @Test func twoPressesInOneFrameMakeTwoChanges() {
        var s = Self.state()
        #expect(s.handle(.character("b")) == [.cycleNormalization])
        #expect(s.status?.config.network.batchNorm == true)
        #expect(s.handle(.character("b")) == [.cycleNormalization])
        #expect(s.status?.config.network.normalization == .layer, "b b goes on from BatchNorm to LayerNorm")
        #expect(s.handle(.character("b")) == [.cycleNormalization])
        #expect(s.status?.config.network.normalization == Normalization.none, "b b b leaves no normalization")
        _ = s.handle(.character("o"))
        _ = s.handle(.character("o"))
        #expect(s.status?.config.optimizer == .nesterov, "o o moves two optimizers on")
        _ = s.handle(.character("w"))
        _ = s.handle(.character("w"))
        #expect(s.status?.config.network.weightDecay == 1e-3)
        _ = s.handle(.character("a"))
        _ = s.handle(.character("a"))
        #expect(s.status?.config.network.activation == .tanh)
        _ = s.handle(.character(" "))
        #expect(s.handle(.character("n")) == [.stepOnce], "space n: the step sees the pause just asked for")
        #expect(s.handle(.character(" ")) == [.resume])
        #expect(s.status?.paused == false)
    }

    @Test func learningRateStepsBySquareRootOfTen() {
        var s = Self.state(lr: 0.01)
        #expect(s.handle(.character("+")) == [.stepLearningRate(up: true)])
        #expect(s.status?.config.effectiveLearningRate == 0.032)
        #expect(s.handle(.character("=")) == [.stepLearningRate(up: true)])
        #expect(s.status?.config.effectiveLearningRate == 0.1, "+ + from 0.01 gives 0.1")
        #expect(s.handle(.character("-")) == [.stepLearningRate(up: false)])
        #expect(s.status?.config.effectiveLearningRate == 0.032)
    }

    @Test func theLearningRateLimitCountsThePressesBeforeIt() {
        var s = Self.state(lr: 1000)
        #expect(s.handle(.character("+")) == [.stepLearningRate(up: true)], "1000 → 3200")
        #expect(s.notice == nil)
        #expect(s.handle(.character("+")) == [], "3200 × √10 is past the limit")
        #expect(s.notice == "learning rate limit")
        #expect(s.status?.config.effectiveLearningRate == 3200)
    }

    @Test func initializerAsksFirst() {
        var s = Self.state()
        #expect(s.handle(.character("i")) == [])
        #expect(s.overlay == .confirmInitializer(.std(0.01)), "He → next is std 0.01")
        #expect(s.handle(.character("n")) == [])
        #expect(s.overlay == .none)
        _ = s.handle(.character("i"))
        #expect(s.handle(.character("y")) == [.reinitialize(.std(0.01))])
        #expect(s.status?.config.network.initializer == .std(0.01))
        _ = s.handle(.character("i"))
        #expect(s.overlay == .confirmInitializer(.xavier), "the next popup offers the one after the chosen")
        _ = s.handle(.character("y"))
        _ = s.handle(.character("i"))
        #expect(s.overlay == .confirmInitializer(.zeros), "all zeros (the symmetry trap) is in the cycle")
        #expect(s.handle(.character("y")) == [.reinitialize(.zeros)])
        _ = s.handle(.character("i"))
        #expect(s.overlay == .confirmInitializer(.he))
    }

    @Test func dropoutToggleAndRatio() {
        var s = Self.state()
        #expect(s.handle(.character("]")) == [.stepDropout(by: 1)], "ratio keys act on the current (off) ratio")
        #expect(s.status?.config.network.dropout == 0.05)
        #expect(s.handle(.character("[")) == [.stepDropout(by: -1)])
        #expect(s.handle(.character("[")) == [], "already off")
        #expect(s.handle(.character("d")) == [.toggleDropout(onRatio: 0.05)], "on at the last ratio used")
        #expect(s.handle(.character("]")) == [.stepDropout(by: 1)])
        #expect(s.status?.config.network.dropout == 0.1)
        #expect(s.handle(.character("d")) == [.toggleDropout(onRatio: 0.1)])
        #expect(s.status?.config.network.dropout == 0)
        #expect(s.handle(.character("d")) == [.toggleDropout(onRatio: 0.1)])
        #expect(s.status?.config.network.dropout == 0.1)
        var fresh = Self.state()
        #expect(fresh.handle(.character("d")) == [.toggleDropout(onRatio: 0.2)], "0.2 the first time")
        #expect(fresh.status?.config.network.dropout == 0.2)
    }

    /// A status published before the run took the pane's commands does not undo what the screen
    /// shows; one that has applied them all replaces the prediction.
    @Test func thePredictionHoldsUntilTheRunHasAppliedTheCommands() {
        var s = Self.state()
        let before = s.status!
        _ = s.handle(.character("b"))
        _ = s.handle(.character("o"))
        #expect(s.markers.map(\.label) == ["+BN", "→ Momentum"], "marked at once too")
        var stale = before
        stale.step = 11
        s.apply(SessionOutput(status: stale))
        #expect(s.status?.step == 11, "progress is news")
        #expect(s.status?.config.network.batchNorm == true, "the setting stays predicted")
        #expect(s.markers.map(\.label) == ["+BN", "→ Momentum"])
        var first = stale
        first.appliedCommands = 1
        first.config.network.batchNorm = true
        s.apply(SessionOutput(events: [.init(step: 11, label: "+BN", kind: .normalization)], status: first))
        #expect(s.markers.map(\.label) == ["+BN", "→ Momentum"], "the run's marker replaces the predicted one")
        #expect(s.markers.first?.x == 11 && s.status?.config.optimizer == .momentum)
        var both = first
        both.appliedCommands = 2
        both.config.optimizer = .momentum
        both.config.network.dropout = 0.5  // whatever the run says wins once it has caught up
        s.apply(SessionOutput(events: [.init(step: 12, label: "→ Momentum", kind: .optimizer)], status: both))
        #expect(s.status == both)
        #expect(s.markers.map(\.label) == ["+BN", "→ Momentum"] && s.markers.map(\.x) == [11, 12])
    }

    @Test func pauseStepAndQuit() {
        var s = Self.state()
        #expect(s.handle(.character("n")) == [], "single step only while paused")
        #expect(s.notice != nil)
        #expect(s.handle(.character(" ")) == [.pause])
        var p = Self.state(paused: true)
        #expect(p.handle(.character("n")) == [.stepOnce])
        // The quit question is the screen's (`QuitConfirmation`, see DashboardScreenTests).
        #expect(p.handle(.character("q")) == [] && p.overlay == .none)
    }

    @Test func viewKeysChangeOnlyTheView() {
        var s = Self.state()
        s.losses = [ChartPoint(x: 1, y: 2)]
        #expect(s.handle(.character("l")) == [] && s.logY)
        #expect(s.handle(.character("s")) == [] && s.smoothing == 0.95)
        #expect(s.handle(.character("f")) == [] && s.frozen != nil)
        s.apply(SessionOutput(losses: [(2, 1.5)]))
        #expect(s.frozen?.losses.count == 1 && s.losses.count == 2, "frozen view stays, data goes on")
        #expect(s.handle(.character("?")) == [] && s.overlay == .help)
        #expect(s.handle(.escape) == [] && s.overlay == .none)
    }

    @Test func everyBindingIsInTheHelpAndDistinct() {
        var seen = Set<Key>()
        for b in KeyMap.bindings {
            #expect(!b.help.isEmpty)
            for k in b.keys { #expect(seen.insert(k).inserted, "\(k) bound twice") }
        }
        for action in [
            Action.nextOptimizer, .cycleNormalization, .toggleDropout, .nextWeightDecay, .togglePause,
            .singleStep, .restart, .nextSmoothing, .toggleLogY, .toggleFreeze, .help, .quit, .nextActivation,
            .toggleLayers,
        ] {
            #expect(KeyMap.bindings.contains { $0.action == action })
        }
    }
}

/// A long session's loss history stays bounded: old steps are merged in pairs, recent ones exact.
@Suite struct LossHistoryTests {
    @Test func oldPointsAreMergedRecentOnesKept() {
        var points = (1...10).map { ChartPoint(x: Double($0), y: Double($0 * 10)) }
        PaneState.compact(&points)
        // The oldest 4 (half of 10, rounded down to pairs) become 2; the rest stay as they were.
        #expect(points.map(\.x) == [1.5, 3.5, 5, 6, 7, 8, 9, 10])
        #expect(points.map(\.y) == [15, 35, 50, 60, 70, 80, 90, 100])
    }

    @Test func aSessionNeverHoldsMoreThanTheCap() {
        var state = PaneState(datasetName: "MNIST")
        var out = SessionOutput()
        var step = 0
        for _ in 0..<60 {
            out.losses = (0..<10_000).map { _ in
                step += 1
                return (step, Float(1))
            }
            state.apply(out)
        }
        #expect(state.losses.count <= PaneState.maxLossPoints)
        #expect(state.losses.last?.x == 600_000, "the newest step is exact")
        #expect(zip(state.losses, state.losses.dropFirst()).allSatisfy { $0.x < $1.x }, "still in step order")
    }

    /// What a 4-run comparison keeps after half an hour at ~400 steps a second per run: no more than
    /// at the cap, whatever the length (storage included, not just the count).
    @Test func fourPanesStayBoundedOverALongSession() {
        var state = DashboardState(datasetName: "MNIST")
        var step = 0
        for _ in 0..<72 {
            var snapshot = TrainingSession.Snapshot()
            snapshot.order = [0, 1, 2, 3]
            let losses = (0..<10_000).map { _ in
                step += 1
                return (step, Float(1))
            }
            for id in 0..<4 { snapshot.runs[id] = SessionOutput(losses: losses) }
            _ = state.apply(snapshot)
        }
        #expect(state.panes.count == 4)
        for pane in state.panes {
            #expect(pane.state.losses.count <= PaneState.maxLossPoints)
            #expect(
                pane.state.losses.capacity * MemoryLayout<ChartPoint>.stride <= 1_600_000,
                "storage bounded too: ≤ 1.6 MB a pane")
            #expect(pane.state.losses.last?.x == 720_000)
        }
    }
}

/// The experiment screens quit as the dashboard does: Esc closes popups and never quits, q asks.
@Suite struct QuitConfirmationTests {
    func quitsOnlyWhenAsked<S: InteractiveScreen>(_ screen: S, sourceLocation: SourceLocation = #_sourceLocation) {
        var s = QuitConfirmation(screen)
        _ = s.handle(.escape)
        #expect(!s.shouldQuit && !s.asking, "Esc alone does not quit", sourceLocation: sourceLocation)
        #expect(s.handle(.character("q")) && s.asking && !s.shouldQuit, "q asks first", sourceLocation: sourceLocation)
        let asked = s.render(width: 100, height: 30, glyphs: .braille).text
        #expect(
            asked.contains("Quit dlboard?") && asked.contains("q quit   Esc cancel"), sourceLocation: sourceLocation)
        _ = s.handle(.character("x"))
        #expect(s.asking && !s.shouldQuit, "another key leaves the question open", sourceLocation: sourceLocation)
        _ = s.handle(.character("k"))
        #expect(s.asking, "k answers only the dashboard's question", sourceLocation: sourceLocation)
        _ = s.handle(.escape)
        #expect(!s.asking && !s.shouldQuit, "Esc cancels", sourceLocation: sourceLocation)
        #expect(
            !s.render(width: 100, height: 30, glyphs: .braille).text.contains("Quit dlboard?"),
            sourceLocation: sourceLocation)
        _ = s.handle(.character("?"))
        #expect(s.showsOverlay && !s.asking, sourceLocation: sourceLocation)
        _ = s.handle(.character("q"))
        #expect(
            !s.showsOverlay && !s.asking && !s.shouldQuit, "q closes the help first, as on the dashboard",
            sourceLocation: sourceLocation)
        _ = s.handle(.character("q"))
        _ = s.handle(.character("q"))
        #expect(s.shouldQuit, "q q quits", sourceLocation: sourceLocation)
    }

    @Test func optimizerPathsAsksBeforeQuitting() { quitsOnlyWhenAsked(OptimizerPathsScreen()) }

    @Test func activationHistogramsAsksBeforeQuitting() { quitsOnlyWhenAsked(ActivationHistogramsScreen(seed: 0)) }

    @Test func theScreensHelpNamesEscAndTheQuitQuestion() {
        for keys in [OptimizerPathsScreen.keys, ActivationHistogramsScreen.keys, RandomSearchScreen.keys] {
            #expect(keys.contains { $0.0 == "Esc" && $0.1 == "close this help" })
            #expect(keys.contains { $0.0 == "q" && $0.1 == "quit (asks first)" })
        }
    }
}
