import Foundation
import NN
import TUI

/// Everything the dashboard shows, owned by the main thread. `apply(_:)` folds in what the
/// training thread published; `handle(_:)` turns a key into state changes and session commands.
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
    var markers: [ChartMarker] = []
    var status: SessionOutput.Status?
    var activations: [ActivationStatistics] = []
    var overlay: Overlay = .none
    var logY = false
    /// The E1 inset: the current optimizer and lr walking down the book's bowl.
    var showsPathInset = false
    var smoothingIndex = 3
    /// The curves as they were when the view was frozen (nil: live).
    var frozen: (losses: [ChartPoint], train: [ChartPoint], test: [ChartPoint], markers: [ChartMarker])?
    /// A short notice shown in the status bar (e.g. why a key did nothing).
    var notice: String?
    /// A lasting problem shown first in the status bar (the run record could not be written).
    var warning: String?
    /// Shown in the header after "dlboard" (a replay's file and pace).
    var banner: String?
    /// The ratio Dropout gets when switched on.
    var dropoutWhenOn: Float = 0.2

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
    static let weightDecays: [Float] = [0, 1e-4, 1e-3, 1e-2, 0.1]
    static let initializers: [Initializer] = [.std(0.01), .xavier, .he]

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
        for e in out.events { markers.append(ChartMarker(x: Double(e.step), label: e.label)) }
        if let s = out.status { status = s }
        if !out.title.isEmpty { title = out.title }
        if !out.activations.isEmpty { activations = out.activations }
    }

    // MARK: Keys

    /// Handles a key; returns the commands for the session.
    mutating func handle(_ key: Key) -> [SessionCommand] {
        notice = nil
        switch overlay {
        case .confirmInitializer(let initializer):
            overlay = .none
            if key == .character("y") || key == .enter || key == .character("i") { return [.reinitialize(initializer)] }
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
        guard let status else { return action == .quit ? quit() : [] }
        let config = status.config
        switch action {
        case .nextOptimizer, .previousOptimizer:
            let all = OptimizerKind.allCases
            let i = all.firstIndex(of: config.optimizer) ?? 0
            let next = all[(i + (action == .nextOptimizer ? 1 : all.count - 1)) % all.count]
            return [.setOptimizer(next)]
        case .learningRateUp, .learningRateDown:
            let factor = Float(10).squareRoot()
            let lr = config.effectiveLearningRate
            let new = action == .learningRateUp ? lr * factor : lr / factor
            guard new.isFinite && new > 1e-8 && new < 1e4 else {
                notice = "learning rate limit"
                return []
            }
            return [.setLearningRate(Self.roundedRate(new))]
        case .nextInitializer:
            let i = Self.initializers.firstIndex(of: config.network.initializer) ?? -1
            overlay = .confirmInitializer(Self.initializers[(i + 1) % Self.initializers.count])
            return []
        case .nextActivation:
            let all = Activation.allCases
            let i = all.firstIndex(of: config.network.activation) ?? 0
            return [.setActivation(all[(i + 1) % all.count])]
        case .toggleBatchNorm:
            return [.setBatchNorm(!config.network.batchNorm)]
        case .toggleDropout:
            if config.network.dropout > 0 {
                dropoutWhenOn = config.network.dropout
                return [.setDropout(0)]
            }
            return [.setDropout(dropoutWhenOn)]
        case .dropoutDown, .dropoutUp:
            let current = config.network.dropout > 0 ? config.network.dropout : 0
            let next = ((current + (action == .dropoutUp ? 0.05 : -0.05)) * 20).rounded() / 20
            let clamped = min(0.9, max(0, next))
            if clamped > 0 { dropoutWhenOn = clamped }
            return clamped == current ? [] : [.setDropout(clamped)]
        case .nextWeightDecay:
            let i = Self.weightDecays.firstIndex(of: config.network.weightDecay) ?? 0
            return [.setWeightDecay(Self.weightDecays[(i + 1) % Self.weightDecays.count])]
        case .togglePause:
            if status.diverged {
                notice = "diverged: lower the learning rate (-) and restart (r)"
                return []
            }
            return status.paused ? [.resume] : [.pause]
        case .singleStep:
            guard status.paused else {
                notice = "n steps once while paused (space pauses)"
                return []
            }
            return [.stepOnce]
        case .restart:
            return [.restart]
        case .nextSmoothing:
            smoothingIndex = (smoothingIndex + 1) % Self.smoothingWeights.count
        case .toggleLogY:
            logY.toggle()
        case .togglePathInset:
            showsPathInset.toggle()
        case .toggleFreeze:
            frozen = frozen == nil ? (losses, trainAccuracy, testAccuracy, markers) : nil
        case .help:
            overlay = .help
        case .quit:
            return quit()
        case .closeOverlay:
            overlay = .none
        }
        return []
    }

    /// `q` is the screen's quit question (`QuitConfirmation`), which sees the key first and passes
    /// it on only while a popup of the pane is open, which `handle` closes; nothing here quits.
    private mutating func quit() -> [SessionCommand] { [] }

    /// √10 steps from the book's 1e-2/1e-3 land on 0.0316…; keep two significant digits.
    static func roundedRate(_ v: Float) -> Float {
        let e = Foundation.floor(Foundation.log10(Double(v)))
        let scale = Foundation.pow(10, e - 1)
        return Float((Double(v) / scale).rounded() * scale)
    }
}
