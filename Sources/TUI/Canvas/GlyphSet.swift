/// Which characters the widgets may draw with. Braille gives 2×4 dots per cell; blocks give 1×2
/// (▀ ▄ █); ASCII gives one dot per cell. The screen picks braille in a UTF-8 locale and ASCII
/// otherwise; a user can force any of them.
public enum GlyphSet: String, Sendable, CaseIterable {
    case braille
    case blocks
    case ascii

    /// Dots per cell, horizontally and vertically.
    public var dotsPerCell: (x: Int, y: Int) {
        switch self {
        case .braille: (2, 4)
        case .blocks: (1, 2)
        case .ascii: (1, 1)
        }
    }

    /// Vertical bar heights in eighths of a cell, 0…8.
    public func bar(eighths: Int) -> Character {
        let e = max(0, min(8, eighths))
        switch self {
        case .braille, .blocks:
            return [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"][e]
        case .ascii:
            return e == 0 ? " " : (e < 4 ? "." : (e < 8 ? ":" : "#"))
        }
    }

    public var horizontalLine: Character { self == .ascii ? "-" : "─" }
    public var verticalLine: Character { self == .ascii ? "|" : "│" }
    public var dottedVertical: Character { self == .ascii ? ":" : "┊" }
    public var corners: (tl: Character, tr: Character, bl: Character, br: Character) {
        self == .ascii ? ("+", "+", "+", "+") : ("┌", "┐", "└", "┘")
    }
}
