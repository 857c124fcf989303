import Foundation
import TUI

/// A recorded session on the dashboard: the same panes, charts and markers as live, played at 1×–100×
/// the recorded pace (or all at once). The view keys work as live (tab, v, x, s, l, f, L, ?); space
/// pauses the replay, + and - change its speed, g jumps to the end, r starts it again. Keys that would
/// steer training say that a record cannot be steered.
struct ReplayScreen: InteractiveScreen {
    static let speeds: [Double] = [1, 2, 5, 10, 20, 50, 100]

    let records: [RunRecord]
    var player: ReplayPlayer
    var state: DashboardState
    /// nil: instant (everything at once).
    var speed: Double?
    var showsOverlay: Bool { state.showsPopup }
    private var lastTick: Double?
    private var name: String

    init(records: [RunRecord], speed: Double?) {
        self.records = records
        self.player = ReplayPlayer(records: records)
        self.speed = speed
        self.name = records.map {
            ($0.path as NSString).lastPathComponent == "metrics.jsonl"
                ? (($0.path as NSString).deletingLastPathComponent as NSString).lastPathComponent
                : ($0.path as NSString).lastPathComponent
        }.joined(separator: " + ")
        let dataset = records.first?.runs.first?.datasetName ?? ""
        self.state = DashboardState(datasetName: dataset, sessionName: "replay")
        self.state.steerable = false
        self.state.maxPanes = max(DashboardState.sideBySide, player.runs.count)
        if player.runs.count > DashboardState.sideBySide { state.groupSize = 1 }
        if speed == nil { _ = state.apply(player.advance(to: .infinity)) }
        updateBanner()
    }

    mutating func handle(_ key: Key) -> Bool {
        switch key {
        // q reaches this screen only while its help or a popup is open (QuitConfirmation asks
        // otherwise); it then goes to the state below, which closes them, as on the dashboard.
        case .character(" "):
            player.paused.toggle()
            lastTick = nil
        case .character("+"), .character("="), .character("-"):
            let faster = key != .character("-")
            if let s = speed, let i = Self.speeds.firstIndex(of: s) {
                let j = min(Self.speeds.count - 1, max(0, i + (faster ? 1 : -1)))
                speed = Self.speeds[j]
            } else if speed == nil && !faster {
                speed = Self.speeds.last
            }
            state.notice = speed.map { "speed \(Format.number(Float($0)))×" } ?? "instant"
        case .character("g"):
            _ = state.apply(player.advance(to: .infinity))
        case .character("r"):
            player = ReplayPlayer(records: records)
            var fresh = DashboardState(datasetName: state.datasetName, sessionName: state.sessionName)
            fresh.maxPanes = state.maxPanes
            fresh.groupSize = state.groupSize
            fresh.layout = state.layout
            fresh.steerable = false
            state = fresh
            lastTick = nil
            if speed == nil { _ = state.apply(player.advance(to: .infinity)) }
        default:
            if let action = KeyMap.comparisonAction(for: key), action == .fork || action == .pauseAll {
                state.notice =
                    "a replay cannot be steered: \(key == .character("P") ? "space pauses it" : "train again to fork")"
            } else if let action = KeyMap.action(for: key), !Self.viewActions.contains(action) {
                state.notice = "a replay cannot be steered (space pause, +/- speed, g end, r again)"
            } else {
                _ = state.handle(key)  // view keys only; any command is dropped
            }
        }
        updateBanner()
        return true
    }

    /// The keys that change only how things are shown.
    static let viewActions: Set<Action> = [
        .nextSmoothing, .toggleLogY, .toggleFreeze, .togglePathInset, .toggleLayers, .help, .quit, .closeOverlay,
    ]

    mutating func tick(now: Double) -> Bool {
        defer { lastTick = now }
        guard !player.paused, !player.isFinished, let speed, let last = lastTick else {
            return updateBanner()
        }
        let changed = state.apply(player.advance(to: player.position + (now - last) * speed))
        return updateBanner() || changed
    }

    /// The header names the files and the replay's state; returns whether it changed.
    @discardableResult
    private mutating func updateBanner() -> Bool {
        let pace: String
        if player.isFinished {
            pace = "end of record"
        } else if player.paused {
            pace = "paused"
        } else {
            pace = speed.map { "\(Format.number(Float($0)))×" } ?? "instant"
        }
        let progress = player.duration > 0 ? min(1, player.position / player.duration) : 1
        let banner = "replay \(name) · \(pace) · \(Int((progress * 100).rounded()))%"
        guard banner != state.banner else { return false }
        state.banner = banner
        return true
    }

    func render(width: Int, height: Int, glyphs: GlyphSet) -> Buffer {
        DashboardView(state: state, glyphs: glyphs).render(width: width, height: height)
    }
}
