import Foundation
import NN
import TUI

/// Everything the dashboard shows, owned by the main thread. `apply(_:)` folds in what the
/// training thread published; `handle(_:)` turns a key into state changes and session commands.
///
/// A key that changes a setting shows its effect at once: the pane predicts the change in the status
/// it shows (`send(_:)`), and the next key resolves against that prediction, as the training thread
/// will resolve the command against the live trainer. Every command `handle(_:)` returns must reach
/// the session: the pane keeps its prediction until a published status has applied them all.
struct PaneState {
    enum Overlay: Equatable {
        case none
        case help
        case confirmInitializer(Initializer)
    }

    var datasetName: String
    /// What the session calls this run (a preset's run name).
    var title = ""
    var losses: [ChartPoint] = []
    var trainAccuracy: [ChartPoint] = []
    var testAccuracy: [ChartPoint] = []
    var validationAccuracy: [ChartPoint] = []
    /// The switch markers: the run's events, then the markers of commands it has not yet applied.
    var markers: [ChartMarker] = []
    /// The status shown: the last published one, with the settings of commands the run has not yet
    /// applied predicted on top (see `send(_:)`).
    var status: SessionOutput.Status?
    /// The status as the training thread last published it.
    private(set) var published: SessionOutput.Status?
    /// Commands predicted and sent to the run; a published status that has applied as many
    /// (`Status.appliedCommands`) replaces the prediction.
    private(set) var sentCommands = 0
    /// The markers predicted for the commands sent, oldest first, one entry per command (nil: it
    /// makes no marker), until a published status has applied them; the last of `markers` are these.
    private var predictedMarkers: [ChartMarker?] = []
    private var shownPredictedMarkers = 0
    var activations: [ActivationStatistics] = []
    /// The latest per-layer statistics (hidden layers, then the output layer); nil until the run
    /// has published a step that collected them.
    var layerSample: SessionOutput.LayerSample?
    /// log10(update:data) per layer over steps, bounded: the layers view's strips.
    var layerHistory = LayerRatioHistory()
    /// The layers view (gradients, weights and update:data per layer) instead of the charts.
    var showsLayers = false
    var overlay: Overlay = .none
    var logY = false
    /// What the charts' x-axis counts; the curves are stored by step (losses, markers) and by epoch
    /// (accuracies), and `axisMap` puts them on the others.
    var xAxis = XAxis.steps
    /// Epochs and training seconds at the steps the run published: bounded, see `AxisMap`.
    var axisMap = AxisMap()
    /// The E1 inset: the current optimizer and lr walking down the book's bowl.
    var showsPathInset = false
    var smoothingIndex = 3
    /// The curves as they were when the view was frozen (nil: live).
    var frozen: (losses: [ChartPoint], train: [ChartPoint], test: [ChartPoint], markers: [ChartMarker])?
    /// The layers view as it was when the view was frozen (nil: live).
    var frozenLayers: (sample: SessionOutput.LayerSample?, history: LayerRatioHistory)?
    /// A short notice shown in the status bar (e.g. why a key did nothing).
    var notice: String?
    /// A lasting problem shown first in the status bar (the run record could not be written).
    var warning: String?
    /// Shown in the header after "dlboard" (a replay's file and pace).
    var banner: String?
    /// The ratio Dropout gets when switched on.
    var dropoutWhenOn: Float = 0.2
    /// What `g` switches augmentation on to: the run's own once seen on, `shift:2` before.
    var augmentationWhenOn = Augmentation.defaultOn

    static let smoothingWeights: [Double] = [0, 0.6, 0.8, 0.9, 0.95, 0.99]

    /// A run left training for hours would keep 16 bytes per step per pane for ever. Past this many
    /// points the oldest half is merged in pairs (mean step, mean loss): recent steps stay exact,
    /// old ones lose resolution no screen column could show anyway (the widest chart has ~800 dot
    /// columns: 50,000 points are still 60 a column). The cap is reached within minutes, so memory
    /// stops growing early in a long session: ≤ 1.6 MB of storage a pane. 200,000 took 15–30
    /// minutes to reach, and a 4-run comparison grew all that time (scripts/memory_growth.sh).
    static let maxLossPoints = 50_000

    static func compact(_ points: inout [ChartPoint]) {
        let old = points.count / 2 / 2 * 2
        var merged: [ChartPoint] = []
        merged.reserveCapacity(old / 2 + points.count - old)
        var i = 0
        while i < old {
            let a = points[i]
            let b = points[i + 1]
            // A NaN loss (divergence) must stay visible as such, not average away.
            merged.append(ChartPoint(x: (a.x + b.x) / 2, y: a.y.isFinite && b.y.isFinite ? (a.y + b.y) / 2 : .nan))
            i += 2
        }
        merged.append(contentsOf: points[old...])
        points = merged
    }
    /// What `i` cycles through; all zeros (the symmetry trap) sits before He so that from the
    /// default He the first press still offers std 0.01.
    static let initializers: [Initializer] = [.std(0.01), .xavier, .zeros, .he]

    var smoothing: Double { Self.smoothingWeights[smoothingIndex] }

    init(datasetName: String) { self.datasetName = datasetName }

    // MARK: From the training thread

    mutating func apply(_ out: SessionOutput) {
        for (step, loss) in out.losses { losses.append(ChartPoint(x: Double(step), y: Double(loss))) }
        if losses.count > Self.maxLossPoints { Self.compact(&losses) }
        for e in out.evaluations {
            trainAccuracy.append(ChartPoint(x: Double(e.epoch), y: e.trainAccuracy))
            if let t = e.testAccuracy { testAccuracy.append(ChartPoint(x: Double(e.epoch), y: t)) }
            if let v = e.validationAccuracy { validationAccuracy.append(ChartPoint(x: Double(e.epoch), y: v)) }
        }
        markers.removeLast(min(shownPredictedMarkers, markers.count))
        for e in out.events { markers.append(ChartMarker(x: Double(e.step), label: e.label)) }
        if let s = out.status {
            published = s
            axisMap.append(step: s.step, epochs: s.epochProgress, seconds: s.trainingSeconds)
            // The commands the run has applied now have their real markers among the events.
            predictedMarkers = Array(predictedMarkers.suffix(max(0, sentCommands - s.appliedCommands)))
            if let shown = status, s.appliedCommands < sentCommands {
                // Published before the run took the latest commands: the progress is news, the
                // settings are not yet.
                var merged = s
                merged.config = shown.config
                merged.paused = shown.paused
                merged.diverged = shown.diverged
                merged.finished = shown.finished
                status = merged
            } else {
                status = s
            }
        }
        showPredictedMarkers()
        if !out.title.isEmpty { title = out.title }
        if !out.activations.isEmpty { activations = out.activations }
        for sample in out.layerSamples { layerHistory.append(sample) }
        if let last = out.layerSamples.last { layerSample = last }
    }

    private mutating func showPredictedMarkers() {
        let shown = predictedMarkers.compactMap { $0 }
        markers += shown
        shownPredictedMarkers = shown.count
    }

    // MARK: Forks

    /// The pane of a fork of this run made now, shown (and sent keys) before the fork has published
    /// anything: this pane's curves, markers and shown settings, predictions included — the run
    /// applies the commands sent before the fork first, so the fork starts with their settings (and
    /// their markers, here plain ones: the fork will not report them as applied by it). The
    /// fork counts its commands from 0 (`RunDriver.fork`), and so does this pane. The fork point is
    /// marked where it is shown, until the fork's own marker comes.
    func forkPlaceholder() -> PaneState {
        var pane = self
        pane.markers.append(ChartMarker(x: Double(status?.step ?? 0), label: SessionOutput.Event.forkedLabel))
        pane.published = nil
        pane.sentCommands = 0
        pane.predictedMarkers = []
        pane.shownPredictedMarkers = 0
        pane.overlay = .none
        pane.frozen = nil
        pane.frozenLayers = nil
        pane.notice = nil
        return pane
    }

    /// Starts this fork's history over as `parent`'s up to `step`, where the fork really was made,
    /// so the history is continuous; the settings and markers predicted for commands already sent to
    /// the fork stay on top. The parent's markers at that step are the fork's up to the parent's
    /// own "fork →" marker (a switch the parent made just before, while paused); that one and its
    /// predictions are the parent's.
    mutating func inheritHistory(from parent: PaneState, upTo step: Int) {
        let upTo = Double(step)
        // The accuracies are stored by epoch: those of the epochs done by `step`, in samples as the
        // parent's batch sizes went (its axis map), or at its steps an epoch before it has one.
        let perEpoch = Double(max(1, parent.status?.stepsPerEpoch ?? 1))
        let mapped = (parent.axisMap.anchors.last?.step ?? 0) >= upTo
        let epochsDone =
            mapped ? parent.axisMap.fromSteps([ChartPoint(x: upTo, y: 0)], to: .epochs)[0].x : upTo / perEpoch
        let done = { (p: ChartPoint) in p.x <= epochsDone + 1e-9 }
        losses = parent.losses.filter { $0.x <= upTo }
        trainAccuracy = parent.trainAccuracy.filter(done)
        testAccuracy = parent.testAccuracy.filter(done)
        validationAccuracy = parent.validationAccuracy.filter(done)
        let real = parent.markers.dropLast(min(parent.shownPredictedMarkers, parent.markers.count))
        let forkMarker = real.firstIndex {
            $0.x == upTo && $0.label.hasPrefix(SessionOutput.Event.forkLabelPrefix)
        }
        markers = real[..<(forkMarker ?? real.endIndex)].filter { $0.x <= upTo }
        showPredictedMarkers()
        layerHistory = parent.layerHistory.upTo(step: step)
        axisMap = parent.axisMap.upTo(step: step)
        xAxis = parent.xAxis
        layerSample = parent.layerSample.flatMap { $0.step <= step ? $0 : nil }
        smoothingIndex = parent.smoothingIndex
        logY = parent.logY
        showsLayers = parent.showsLayers
    }

    // MARK: Keys

    /// Handles a key; returns the commands for the session.
    mutating func handle(_ key: Key) -> [SessionCommand] {
        notice = nil
        switch overlay {
        case .confirmInitializer(let initializer):
            overlay = .none
            if key == .character("y") || key == .enter || key == .character("i") {
                return send(.reinitialize(initializer))
            }
            return []
        case .help:
            if key == .escape || key == .character("?") || key == .character("q") {
                overlay = .none
                return []
            }
        case .none:
            break
        }
        guard let action = KeyMap.action(for: key) else { return [] }
        return perform(action)
    }

    mutating func perform(_ action: Action) -> [SessionCommand] {
        guard let status else { return [] }
        switch action {
        case .nextOptimizer, .previousOptimizer:
            return send(.cycleOptimizer(by: action == .nextOptimizer ? 1 : -1))
        case .learningRateUp, .learningRateDown:
            return send(.stepLearningRate(up: action == .learningRateUp))
        case .nextInitializer:
            let i = Self.initializers.firstIndex(of: status.config.network.initializer) ?? -1
            overlay = .confirmInitializer(Self.initializers[(i + 1) % Self.initializers.count])
            return []
        case .nextActivation:
            return send(.cycleActivation(by: 1))
        case .cycleNormalization:
            return send(.cycleNormalization)
        case .toggleDropout:
            let ratio = status.config.network.dropout
            if ratio > 0 { dropoutWhenOn = ratio }
            return send(.toggleDropout(onRatio: dropoutWhenOn))
        case .dropoutDown, .dropoutUp:
            let commands = send(.stepDropout(by: action == .dropoutUp ? 1 : -1))
            if let ratio = self.status?.config.network.dropout, ratio > 0 { dropoutWhenOn = ratio }
            return commands
        case .nextWeightDecay:
            return send(.cycleWeightDecay)
        case .batchSizeUp, .batchSizeDown:
            return send(.stepBatchSize(up: action == .batchSizeUp))
        case .nextLoss:
            return send(.cycleLoss)
        case .nextSchedule:
            return send(.cycleSchedule)
        case .toggleAugmentation:
            let current = status.config.augmentation
            if !current.isNone { augmentationWhenOn = current }
            return send(.toggleAugmentation(onAugmentation: augmentationWhenOn))
        case .togglePause:
            if status.diverged {
                notice = "diverged: lower the learning rate (-) and restart (r)"
                return []
            }
            return send(status.paused ? .resume : .pause)
        case .singleStep:
            guard status.paused else {
                notice = "n steps once while paused (space pauses)"
                return []
            }
            return [.stepOnce]
        case .restart:
            return send(.restart)
        case .nextSmoothing:
            smoothingIndex = (smoothingIndex + 1) % Self.smoothingWeights.count
        case .toggleLogY:
            logY.toggle()
        case .nextXAxis:
            xAxis = xAxis.next
        case .togglePathInset:
            showsPathInset.toggle()
        case .toggleLayers:
            showsLayers.toggle()
        case .toggleFreeze:
            frozen = frozen == nil ? (losses, trainAccuracy, testAccuracy, markers) : nil
            frozenLayers = frozen == nil ? nil : (layerSample, layerHistory)
        case .help:
            overlay = .help
        case .quit:
            // The screen's quit question (`QuitConfirmation`) sees `q` first and passes it on only
            // while a popup of the pane is open, which `handle` has closed: nothing to do here.
            break
        case .closeOverlay:
            overlay = .none
        }
        return []
    }

    /// Predicts what `command` does to this run in the status shown, and returns it to be sent (an
    /// empty list, with a notice if one is due, when it would change nothing). The next key resolves
    /// against the prediction, so two presses in one frame make two changes.
    mutating func send(_ command: SessionCommand) -> [SessionCommand] {
        guard var shown = status else { return [command] }
        guard let resolved = command.resolved(against: shown.config) else {
            notice = command.limitNotice
            return []
        }
        switch resolved {
        case .setOptimizer(let kind):
            shown.config.optimizer = kind
            shown.config.learningRate = nil
        case .setLearningRate(let lr):
            shown.config.learningRate = TrainingConfig.statedLearningRate(lr, for: shown.config.optimizer)
        case .setSchedule(let schedule):
            shown.config.schedule = schedule
        case .reinitialize(let initializer):
            shown.config.network.initializer = initializer
            shown.diverged = false
        case .setActivation(let activation):
            shown.config.network.activation = activation
            shown.diverged = false
        case .setNormalization(let n):
            shown.config.network.normalization = n
        case .setDropout(let ratio):
            shown.config.network.dropout = ratio
        case .setWeightDecay(let decay):
            shown.config.network.weightDecay = decay
        case .setBatchSize(let size):
            shown.config.batchSize = size
        case .setLoss(let loss):
            shown.config.network.loss = loss
        case .setAugmentation(let augmentation):
            shown.config.augmentation = augmentation
        case .pause:
            shown.paused = true
        case .resume:
            // Past the target the run trains on (the new target arrives with the next status).
            shown.finished = false
            if !shown.diverged { shown.paused = false }
        case .restart:
            shown.diverged = false
            shown.finished = false
        case .stepOnce, .fork:
            // The session's own: nothing to predict, and the run does not count them.
            return [command]
        case .cycleOptimizer, .stepLearningRate, .cycleActivation, .cycleNormalization, .toggleDropout, .stepDropout,
            .cycleWeightDecay, .stepBatchSize, .cycleLoss, .cycleSchedule, .toggleAugmentation:
            // `resolved(against:)` turns every relative intent into an absolute command.
            return [command]
        }
        status = shown
        sentCommands += 1
        markers.removeLast(min(shownPredictedMarkers, markers.count))
        predictedMarkers.append(resolved.markerLabel.map { ChartMarker(x: Double(shown.step), label: $0) })
        showPredictedMarkers()
        return [command]
    }
}
