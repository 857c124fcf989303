/// A buffer as text with the style of every cell: what snapshot tests compare, so a change of
/// colour or attribute fails a test as a change of text does.
///
/// The text rows come first; then, under a `-- styles --` line, a grid of the same shape with one
/// key per cell (a space for a plain cell, whatever its character); then, under `-- legend --`,
/// one line per key naming its style. Keys are letters in order of first appearance, row by row.
/// Trailing spaces are removed from every row.
extension Buffer {
    public var styledText: String {
        var keys: [Style: Character] = [:]
        var legend: [String] = []
        var grid: [String] = []
        for y in 0..<height {
            var row = ""
            for x in 0..<width {
                let style = self[x, y].style
                if style == .plain {
                    row.append(" ")
                    continue
                }
                if let k = keys[style] {
                    row.append(k)
                    continue
                }
                let k = Self.styleKey(keys.count)
                keys[style] = k
                legend.append("\(k) \(style.name)")
                row.append(k)
            }
            while row.last == " " { row.removeLast() }
            grid.append(row)
        }
        return ([text, "-- styles --"] + grid + ["-- legend --"] + legend).joined(separator: "\n")
    }

    /// a–z, A–Z, 0–9, then characters from U+0100 on. A style is one of 264 foregrounds × 8
    /// attribute sets, so the keys never reach the surrogates (U+D800).
    private static func styleKey(_ i: Int) -> Character {
        let ascii = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        if i < ascii.count { return ascii[i] }
        return Character(Unicode.Scalar(UInt32(0x100 + i - ascii.count))!)
    }
}

extension Style {
    /// "plain", or the foreground (a basic colour's name, or `p` and the palette index) followed
    /// by the attributes: e.g. "p208 bold", "red bold reverse", "dim".
    public var name: String {
        var parts: [String] = []
        if let c = foreground { parts.append(c.name) }
        if bold { parts.append("bold") }
        if dim { parts.append("dim") }
        if reverse { parts.append("reverse") }
        return parts.isEmpty ? "plain" : parts.joined(separator: " ")
    }
}

extension Color {
    /// "red", "green", …, or "p39" for palette entry 39.
    public var name: String {
        switch self {
        case .black: "black"
        case .red: "red"
        case .green: "green"
        case .yellow: "yellow"
        case .blue: "blue"
        case .magenta: "magenta"
        case .cyan: "cyan"
        case .white: "white"
        case .palette(let p): "p\(p)"
        }
    }
}
