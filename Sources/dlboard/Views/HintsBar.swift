import TUI

/// The key-hint line at the bottom of every screen: bold keys and dim labels, as many as fit, in
/// the order given (the most useful first).
struct HintsBar {
    var items: [(key: String, label: String)]

    /// Draws on `row`; returns the column after the last hint drawn.
    @discardableResult
    func render(row: Int, width: Int, into buffer: inout Buffer) -> Int {
        var x = 0
        for (key, label) in items {
            guard x + key.count + label.count + 3 <= width else { break }
            buffer.put(key, x: x, y: row, style: .bold)
            buffer.put(label, x: x + key.count + 1, y: row, style: .dim)
            x += key.count + label.count + 3
        }
        return x
    }
}
