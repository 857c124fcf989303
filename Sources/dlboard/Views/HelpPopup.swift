import TUI

/// The key help of every screen: a framed list centred over it, one key (or keys) and what it does
/// a line, the key column bold. It never grows past the screen: when the lines do not fit its
/// height it lays them out in as many columns as needed, each help cut with "…" to its column.
struct HelpPopup {
    var title: String
    var entries: [(keys: String, help: String)]
    /// Width of the key column, its gap included.
    var keyWidth: Int
    var glyphs: GlyphSet

    func render(in area: Rect, into buffer: inout Buffer) {
        let lines = entries.map { $0.keys.padding(toLength: keyWidth, withPad: " ", startingAt: 0) + $0.help }
        let rows = max(1, area.height - 2)
        let columns = max(1, (lines.count + rows - 1) / rows)
        let perColumn = (lines.count + columns - 1) / columns
        let longest = (lines.map(\.count).max() ?? 20) + 2
        let width = min(area.width - 2, columns * longest + 2)
        let rect = Panel.centered(width: width, height: min(area.height, perColumn + 2), in: area)
        var panel = Panel(title: title)
        panel.glyphs = glyphs
        let inner = panel.render(in: rect, into: &buffer)
        let columnWidth = inner.width / columns
        for (i, l) in lines.enumerated() {
            let column = i / perColumn
            let row = i % perColumn
            guard row < inner.height else { continue }
            let cell = Rect(x: inner.x + column * columnWidth, y: inner.y + row, width: columnWidth, height: 1)
            let room = columnWidth - 2
            let text = l.count <= room ? l : String(l.prefix(max(0, room - 1))) + "…"
            buffer.put(" " + text, in: cell, row: 0)
            buffer.setStyle(.bold, in: Rect(x: cell.x + 1, y: cell.y, width: min(keyWidth - 1, room), height: 1))
        }
    }
}
