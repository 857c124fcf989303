import Foundation
import NN
import TUI

/// The screen state of a session with one or more runs: a `PaneState` per pane, which pane has
/// the focus, and how the runs are shown (side by side, overlaid, or as a difference).
///
/// The single-run keys go to the focused pane's state, and its commands to that pane's run; the
/// comparison keys (tab, v, x, F, P) are handled here. With one run it is the plain dashboard.
struct DashboardState {
    enum Layout: Equatable {
        /// One pane per run.
        case panes
        /// All runs on one loss chart and one accuracy chart.
        case overlay
        /// The focused run minus the first.
        case difference
    }

    struct Pane {
        var id: Int
        var state: PaneState
        /// Where the run came from when it did not start with the session, e.g. "fork @1200".
        var origin: String?
    }

    var datasetName: String
    /// The session's name in the header, e.g. "compare" or "preset optimizer-race".
    var sessionName: String
    var panes: [Pane] = []
    var focus = 0
    var layout: Layout = .panes
    var notice: String?
    /// A lasting problem shown first in the status bar (the run record could not be written).
    var warning: String?
    /// Replaces the session name in the header (a replay's file and pace).
    var banner: String?
    /// Forks beyond this many panes are refused here already (the session refuses them too):
    /// `sideBySide`, or more when a replay or a preset starts with more runs.
    var maxPanes = DashboardState.sideBySide
    /// More runs than fit as panes, drawn as small multiples of this many runs per cell (e.g. the
    /// BatchNorm grid's BN / no-BN pairs); nil: one pane per run.
    var groupSize: Int?

    init(datasetName: String, sessionName: String = "") {
        self.datasetName = datasetName
        self.sessionName = sessionName
    }

    var focused: PaneState? { panes.indices.contains(focus) ? panes[focus].state : nil }
    /// The focused pane's help or "re-initialize?" is open: `q` closes it rather than asking to quit.
    var showsPopup: Bool { focused.map { $0.overlay != .none } ?? false }
    var isComparison: Bool { panes.count > 1 }

    /// Pane colours, fixed per position: the legend of the overlay view and the pane borders agree.
    static let colors: [Color] = [
        .palette(39), .palette(208), .palette(34), .palette(171), .palette(226), .palette(45),
    ]
    static func color(_ i: Int) -> Color { colors[i % colors.count] }

    /// The most runs drawn side by side, one pane each, and so the most a session may fork up to;
    /// more runs (a preset's grid, `--headless` comparisons, a replay of several records) are drawn
    /// as small multiples or trained without a screen. The one definition of that limit.
    static let sideBySide = 4

    /// The runs' own titles (a preset's names, or the first config diff), with any origin.
    var runTitles: [String] {
        panes.map { p in
            let t = p.state.title.isEmpty ? "run \(p.id + 1)" : p.state.title
            return p.origin.map { "\(t) (\($0))" } ?? t
        }
    }

    /// Pane titles: a number and what differs from the first run, now (switches change them).
    var titles: [String] {
        let configs = panes.compactMap { $0.state.status?.config }
        guard configs.count == panes.count else { return panes.indices.map { "\($0 + 1)" } }
        let diffs = ConfigDiff.titles(configs)
        return panes.indices.map { i in
            var t = "\(i + 1) · \(diffs[i])"
            if let o = panes[i].origin { t += " (\(o))" }
            return t
        }
    }

    // MARK: From the training thread

    /// Folds in a snapshot; returns whether anything changed. A fork (a new run whose first output
    /// has a "forked" event) starts its pane with its parent's curves up to the fork's step, so its
    /// history is continuous.
    mutating func apply(_ snapshot: TrainingSession.Snapshot) -> Bool {
        var changed = false
        if let n = snapshot.notice {
            notice = n
            changed = true
        }
        // The runs already shown first: a parent's steps up to the fork may arrive with the fork.
        for i in panes.indices {
            guard let out = snapshot.runs[panes[i].id] else { continue }
            if !out.losses.isEmpty || !out.evaluations.isEmpty || !out.events.isEmpty
                || out.status != panes[i].state.published
            {
                panes[i].state.apply(out)
                changed = true
            }
        }
        let hadPanes = !panes.isEmpty
        for (position, id) in snapshot.order.enumerated() where !panes.contains(where: { $0.id == id }) {
            var pane = Pane(id: id, state: PaneState(datasetName: datasetName))
            let out = snapshot.runs[id]
            if let forked = out?.events.first(where: { $0.kind == .forked }),
                let p = forked.from.flatMap(Int.init).flatMap({ pid in panes.firstIndex { $0.id == pid } })
            {
                let parent = panes[p].state
                let upTo = Double(forked.step)
                let perEpoch = Double(max(1, parent.status?.stepsPerEpoch ?? 1))
                pane.state.losses = parent.losses.filter { $0.x <= upTo }
                pane.state.trainAccuracy = parent.trainAccuracy.filter { $0.x * perEpoch <= upTo }
                pane.state.testAccuracy = parent.testAccuracy.filter { $0.x * perEpoch <= upTo }
                pane.state.validationAccuracy = parent.validationAccuracy.filter { $0.x * perEpoch <= upTo }
                // The parent's own "fork →" marker at the fork step is the parent's, not the fork's.
                pane.state.markers = parent.markers.filter { $0.x < upTo }
                pane.state.smoothingIndex = parent.smoothingIndex
                pane.state.logY = parent.logY
                pane.origin = "fork @\(forked.step)"
            }
            if let out { pane.state.apply(out) }
            let focusedID = panes.indices.contains(focus) ? panes[focus].id : nil
            let popupOpen = showsPopup
            panes.insert(pane, at: min(position, panes.count))
            // A fork arrives next to the pane it was made from and takes the focus, so the next
            // switch applies to it — unless a popup is open there: the answer to it must not land
            // on the fork (a "re-initialize?" left open behind the fork would re-initialize at a
            // later y).
            if hadPanes {
                if popupOpen, let i = panes.firstIndex(where: { $0.id == focusedID }) {
                    focus = i
                } else {
                    focus = min(position, panes.count - 1)
                }
            }
            changed = true
        }
        return changed
    }

    // MARK: Keys

    /// Handles a key; returns the commands for the session, each with its run id.
    mutating func handle(_ key: Key) -> [(run: Int, command: SessionCommand)] {
        notice = nil
        guard !panes.isEmpty else { return [] }
        focus = min(max(0, focus), panes.count - 1)
        // Popups belong to the focused pane only; one left on another pane would answer a later key.
        for i in panes.indices where i != focus && panes[i].state.overlay != .none { panes[i].state.overlay = .none }
        let inOverlay = panes[focus].state.overlay != .none
        if !inOverlay, let action = KeyMap.comparisonAction(for: key), isComparison || action == .fork {
            // A single run can be forked too: "what if I had switched BatchNorm on at step 1,200?"
            return perform(action)
        }
        let id = panes[focus].id
        let commands = panes[focus].state.handle(key)
        // View settings are shared by all panes: keep them in step with the focused one.
        let s = panes[focus].state
        for i in panes.indices where i != focus {
            panes[i].state.logY = s.logY
            panes[i].state.smoothingIndex = s.smoothingIndex
        }
        return commands.map { (id, $0) }
    }

    mutating func perform(_ action: ComparisonAction) -> [(run: Int, command: SessionCommand)] {
        switch action {
        case .nextPane:
            focus = (focus + 1) % panes.count
        case .previousPane:
            focus = (focus + panes.count - 1) % panes.count
        case .toggleOverlay:
            layout = layout == .overlay ? .panes : .overlay
        case .toggleDifference:
            if focus == 0 { notice = "x shows the focused run minus run 1: tab to another pane first" }
            layout = layout == .difference ? .panes : .difference
        case .fork:
            guard panes.count < maxPanes else {
                notice = "at most \(maxPanes) panes: cannot fork"
                return []
            }
            // The fork appears right after the focused pane and takes the focus when it arrives
            // (`apply`), so the next switch applies to the fork only.
            return [(panes[focus].id, .fork)]
        case .pauseAll:
            // From the statuses shown, predictions included: P P in one frame pauses and resumes.
            let anyRunning = panes.contains { $0.state.status.map { !$0.paused } ?? false }
            var commands: [(run: Int, command: SessionCommand)] = []
            for i in panes.indices {
                guard let st = panes[i].state.status, !st.diverged else { continue }
                commands += panes[i].state.send(anyRunning ? .pause : .resume).map { (panes[i].id, $0) }
            }
            return commands
        }
        return []
    }
}
