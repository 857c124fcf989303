import TUI

/// The key help of every screen: a framed list centred over it, one key (or keys) and what it does
/// a line, the key column bold. It never grows past the screen; lines that do not fit are cut.
struct HelpPopup {
    var title: String
    var entries: [(keys: String, help: String)]
    /// Width of the key column, its gap included.
    var keyWidth: Int
    var glyphs: GlyphSet

    func render(in area: Rect, into buffer: inout Buffer) {
        let lines = entries.map { $0.keys.padding(toLength: keyWidth, withPad: " ", startingAt: 0) + $0.help }
        let width = min(area.width - 2, (lines.map(\.count).max() ?? 20) + 4)
        let rect = Panel.centered(width: width, height: min(area.height, lines.count + 2), in: area)
        var panel = Panel(title: title)
        panel.glyphs = glyphs
        let inner = panel.render(in: rect, into: &buffer)
        for (i, l) in lines.enumerated() where i < inner.height {
            buffer.put(" " + l, in: inner, row: i)
            buffer.setStyle(.bold, in: Rect(x: inner.x + 1, y: inner.y + i, width: keyWidth - 1, height: 1))
        }
    }
}
