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
        /// Set while the pane stands for a fork of this run that has not yet published anything: the
        /// screen shows it, and sends it keys, from the moment F is pressed.
        var pendingForkOf: Int? = nil
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
    /// Whether keys steer the runs: false in a replay, whose keys steer the replay (its `-` slows
    /// it), so the views name no training keys in their hints.
    var steerable = true
    /// Forks beyond this many panes are refused here already (the session refuses them too):
    /// `sideBySide`, or more when a replay or a preset starts with more runs.
    var maxPanes = DashboardState.sideBySide
    /// More runs than fit as panes, drawn as small multiples of this many runs per cell (e.g. the
    /// BatchNorm grid's BN / no-BN pairs); nil: one pane per run.
    var groupSize: Int?
    /// The id the next fork asks for: above every run id seen or asked for, so a fork's id is
    /// known to the screen before the session has made it (`SessionCommand.fork(as:)`).
    private(set) var nextRunID = 0

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

    /// Folds in a snapshot; returns whether anything changed. A fork starts its pane with its
    /// parent's curves up to the fork's step (its first output has a "forked" event that says
    /// where), so its history is continuous: a fork made from this screen has had a pane since F
    /// (`perform(.fork)`), which that history now replaces; one made elsewhere (a replay's) gets its
    /// pane now. A refused fork's pane goes, and the focus with it back to the run it came from.
    mutating func apply(_ snapshot: TrainingSession.Snapshot) -> Bool {
        var changed = false
        if let n = snapshot.notice {
            notice = n
            changed = true
        }
        nextRunID = max(nextRunID, (snapshot.order.max() ?? -1) + 1)
        for id in snapshot.refusedForks where removeForkPlaceholder(id) {
            if notice == nil { notice = "cannot fork" }
            changed = true
        }
        // The runs already shown first: a parent's steps up to the fork may arrive with the fork.
        for i in panes.indices where panes[i].pendingForkOf == nil {
            guard let out = snapshot.runs[panes[i].id] else { continue }
            if !out.losses.isEmpty || !out.evaluations.isEmpty || !out.events.isEmpty || !out.layerSamples.isEmpty
                || out.status != panes[i].state.published
            {
                panes[i].state.apply(out)
                changed = true
            }
        }
        // Then the forks shown since F whose first output came, in pane order (a fork of a fork
        // after its parent).
        for i in panes.indices {
            guard let parentID = panes[i].pendingForkOf, let out = snapshot.runs[panes[i].id] else { continue }
            if let forked = out.events.first(where: { $0.kind == .forked }),
                let p = panes.firstIndex(where: { $0.id == parentID })
            {
                panes[i].state.inheritHistory(from: panes[p].state, upTo: forked.step)
                panes[i].origin = "fork @\(forked.step)"
            }
            panes[i].pendingForkOf = nil
            panes[i].state.apply(out)
            changed = true
        }
        let hadPanes = !panes.isEmpty
        for (position, id) in snapshot.order.enumerated() where !panes.contains(where: { $0.id == id }) {
            var pane = Pane(id: id, state: PaneState(datasetName: datasetName))
            let out = snapshot.runs[id]
            if let forked = out?.events.first(where: { $0.kind == .forked }),
                let p = forked.from.flatMap(Int.init).flatMap({ pid in panes.firstIndex { $0.id == pid } })
            {
                pane.state.inheritHistory(from: panes[p].state, upTo: forked.step)
                pane.origin = "fork @\(forked.step)"
            }
            if let out { pane.state.apply(out) }
            let focusedID = panes.indices.contains(focus) ? panes[focus].id : nil
            let popupOpen = showsPopup
            panes.insert(pane, at: min(position, panes.count))
            // A fork made elsewhere arrives next to the pane it was made from and takes the focus,
            // as one made here does at F — unless a popup is open there: the answer to it must not land
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

    /// Drops the pane shown for fork `id` since F, if it is still waiting for the fork; a focus on
    /// it goes back to the run it was forked from.
    private mutating func removeForkPlaceholder(_ id: Int) -> Bool {
        guard let k = panes.firstIndex(where: { $0.id == id && $0.pendingForkOf != nil }),
            let parentID = panes[k].pendingForkOf
        else { return false }
        let focusedID = panes.indices.contains(focus) ? panes[focus].id : nil
        panes.remove(at: k)
        let target = focusedID == id ? parentID : focusedID
        // A fork of a refused fork has lost its parent too: the pane before it is where it came from.
        focus = panes.firstIndex { $0.id == target } ?? max(0, min(k - 1, panes.count - 1))
        return true
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
            panes[i].state.showsLayers = s.showsLayers
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
            // The fork's pane appears at once, right after the focused one, and takes the focus, so
            // the next key — even in the same frame — goes to the fork: the session makes the fork
            // before it takes the commands sent after this one. Until the fork publishes, its pane
            // is the parent's as shown, its settings predicted as the parent's are.
            let parent = panes[focus]
            let id = max(nextRunID, (panes.map(\.id).max() ?? -1) + 1)
            nextRunID = id + 1
            let step = parent.state.status?.step ?? 0
            var fork = Pane(
                id: id, state: parent.state.forkPlaceholder(), origin: "fork @\(step)", pendingForkOf: parent.id)
            // The title the session gives the fork, at the step it will probably be made at.
            let base = parent.state.title.isEmpty ? "run \(parent.id + 1)" : parent.state.title
            fork.state.title = "fork of \(base) @\(step)"
            panes.insert(fork, at: focus + 1)
            focus += 1
            return [(parent.id, .fork(as: id))]
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
