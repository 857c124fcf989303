import TUI

/// The parts every experiment screen shares: the key-hint line at the bottom and the key-help popup.
enum ScreenChrome {
    /// Bold keys and dim labels on `row`, as many as fit; returns the column after the last one.
    @discardableResult
    static func hints(_ items: [(key: String, label: String)], row: Int, width: Int, into buffer: inout Buffer) -> Int {
        var x = 0
        for (key, label) in items {
            guard x + key.count + label.count + 3 <= width else { break }
            buffer.put(key, x: x, y: row, style: .bold)
            buffer.put(label, x: x + key.count + 1, y: row, style: .dim)
            x += key.count + label.count + 3
        }
        return x
    }

    /// A centred popup listing `keys` (key column `keyWidth` wide); any key closes it.
    static func helpPopup(_ keys: [(String, String)], keyWidth: Int, glyphs: GlyphSet, into buffer: inout Buffer) {
        let lines = keys.map { $0.0.padding(toLength: keyWidth, withPad: " ", startingAt: 0) + $0.1 }
        let rect = Panel.centered(width: (lines.map(\.count).max() ?? 10) + 6, height: lines.count + 2, in: buffer.area)
        var panel = Panel(title: "keys — any key closes")
        panel.glyphs = glyphs
        let inner = panel.render(in: rect, into: &buffer)
        for (i, l) in lines.enumerated() { buffer.put(" " + l, in: inner, row: i) }
    }

    /// The quit question of the screens that are not training sessions (the dashboard's own adds
    /// "k keep training"), centred.
    static func quitPopup(glyphs: GlyphSet, into buffer: inout Buffer) {
        let lines = ["Quit dlboard?", "", "q quit   Esc cancel"]
        let rect = Panel.centered(width: (lines.map(\.count).max() ?? 10) + 6, height: lines.count + 2, in: buffer.area)
        var panel = Panel(title: "quit?")
        panel.glyphs = glyphs
        let inner = panel.render(in: rect, into: &buffer)
        for (i, l) in lines.enumerated() { buffer.put("  " + l, in: inner, row: i) }
    }
}
