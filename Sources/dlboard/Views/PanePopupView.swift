import TUI

/// The focused pane's popup, if one is open: the key help (every binding of `KeyMap`, the session
/// keys first when there are several runs) or the "re-initialize?" question.
struct PanePopupView {
    var overlay: PaneState.Overlay
    /// Part of a session of several runs: the help lists the session keys too.
    var comparison: Bool
    var glyphs: GlyphSet

    func render(in area: Rect, into buffer: inout Buffer) {
        switch overlay {
        case .none:
            return
        case .help:
            var bindings = KeyMap.bindings.map { ($0.keys, $0.help) }
            if comparison {
                bindings = KeyMap.comparisonBindings.map { ($0.keys, $0.help) } + bindings
            } else {
                bindings += KeyMap.comparisonBindings.filter { $0.action == .fork }.map {
                    ($0.keys, "fork this run into a second pane (next switch applies to the fork)")
                }
            }
            HelpPopup(
                title: comparison ? "keys (single-run keys act on the focused pane) — Esc closes" : "keys — Esc closes",
                entries: bindings.map { keys, help in (keys.map(\.displayName).joined(separator: " "), help) },
                keyWidth: 9, glyphs: glyphs
            ).render(in: area, into: &buffer)
        case .confirmInitializer(let initializer):
            Popup(
                title: "re-initialize?",
                lines: [
                    "Draw new weights with \(initializer.displayName)?",
                    "(optimizer state restarts too)", "", "y yes   n no",
                ], glyphs: glyphs
            ).render(in: area, into: &buffer)
        }
    }
}
