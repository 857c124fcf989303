import TUI

/// A question or message in a framed box centred over the screen: the quit question of every
/// screen, the dashboard's "re-initialize?". The box fits its longest line.
struct Popup {
    var title: String
    var lines: [String]
    var glyphs: GlyphSet

    func render(in area: Rect, into buffer: inout Buffer) {
        let width = (lines.map(\.count).max() ?? 10) + 6
        let rect = Panel.centered(width: width, height: lines.count + 2, in: area)
        var panel = Panel(title: title)
        panel.glyphs = glyphs
        let inner = panel.render(in: rect, into: &buffer)
        for (i, l) in lines.enumerated() { buffer.put("  " + l, in: inner, row: i) }
    }
}
