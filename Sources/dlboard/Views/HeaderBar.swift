import Foundation
import TUI

/// The top line of the dashboard: what is shown, bold on the left, and the longest of `right`'s
/// candidates that still fits on the right (the more detailed first).
struct HeaderBar {
    var left: String
    var right: [String]

    func render(row: Int, width: Int, into buffer: inout Buffer) {
        buffer.put(left, x: 0, y: row, style: .bold, maxWidth: width)
        if let r = right.first(where: { left.count + $0.count + 2 <= width }) {
            buffer.put(r, x: width - r.count, y: row)
        }
    }

    /// A single run: dataset and network on the left; epoch and step on the right.
    static func run(_ pane: PaneState, glyphs: GlyphSet) -> HeaderBar {
        let unicode = glyphs != .ascii
        var left = "dlboard · " + (pane.banner.map { "\($0) · " } ?? "") + pane.datasetName
        var right = ""
        if let s = pane.status {
            left += " · \(s.config.network.shapeDescription) \(s.config.network.activation.displayName)"
            right = String(format: "epoch %.2f/%d · step %d", s.epochProgress, s.epochTarget, s.step)
        }
        if pane.frozen != nil { right = (unicode ? "❄ " : "* ") + "view frozen (f) · " + right }
        if !unicode {
            left = left.replacingOccurrences(of: "·", with: "|")
            right = right.replacingOccurrences(of: "·", with: "|")
        }
        return HeaderBar(left: left, right: [right])
    }

    /// A session of several runs: its name, dataset and network on the left; the layout, the focus
    /// and the focused run's step on the right (the layout alone when space is short).
    static func session(_ state: DashboardState, glyphs: GlyphSet) -> HeaderBar {
        let sep = glyphs != .ascii ? " · " : " | "
        var left =
            "dlboard" + sep + (state.banner ?? (state.sessionName.isEmpty ? "compare" : state.sessionName)) + sep
            + state.datasetName
        if let c = state.panes.first?.state.status?.config {
            left += sep + "\(c.network.shapeDescription) \(c.network.activation.displayName)"
        }
        let view: String
        switch state.layout {
        case .panes:
            // A replay may hold runs of several sessions, which were not in lock-step.
            view = state.banner == nil ? "\(state.panes.count) runs in lock-step" : "\(state.panes.count) runs"
        case .overlay: view = "overlay view (v)"
        case .difference: view = "difference view (x): \(state.focus + 1) − 1"
        }
        var full = view + sep + "focus \(state.focus + 1)"
        if let s = state.focused?.status { full += sep + "step \(s.step)" }
        return HeaderBar(left: left, right: [full, view])
    }
}
