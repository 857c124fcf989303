/// A terminal colour: one of the eight basic ones, or an index of the 256-colour palette (which
/// the screen maps to the nearest basic colour on an 8/16-colour terminal).
public enum Color: Hashable, Sendable {
    case black, red, green, yellow, blue, magenta, cyan, white
    case palette(UInt8)

    /// The nearest of the eight basic colours (index 0–7, curses order).
    public var basicIndex: Int {
        switch self {
        case .black: 0
        case .red: 1
        case .green: 2
        case .yellow: 3
        case .blue: 4
        case .magenta: 5
        case .cyan: 6
        case .white: 7
        case .palette(let p): Self.nearestBasic(p)
        }
    }

    private static func nearestBasic(_ p: UInt8) -> Int {
        let i = Int(p)
        if i < 16 { return i % 8 }
        if i >= 232 { return i < 244 ? 0 : 7 }  // grey ramp
        let c = i - 16
        let r = c / 36
        let g = (c / 6) % 6
        let b = c % 6
        let bits = (r >= 3 ? 1 : 0) | (g >= 3 ? 2 : 0) | (b >= 3 ? 4 : 0)
        return bits == 0 && (r + g + b) > 4 ? 7 : bits
    }
}

/// How a cell is drawn: foreground colour (nil: the terminal's default) and attributes.
public struct Style: Hashable, Sendable {
    public var foreground: Color?
    public var bold: Bool
    public var dim: Bool
    public var reverse: Bool

    public init(foreground: Color? = nil, bold: Bool = false, dim: Bool = false, reverse: Bool = false) {
        self.foreground = foreground
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
    }

    public static let plain = Style()
    public static let bold = Style(bold: true)
    public static let dim = Style(dim: true)
    public static let reverse = Style(reverse: true)

    public func with(foreground: Color?) -> Style {
        var s = self
        s.foreground = foreground
        return s
    }
    public func with(bold: Bool) -> Style {
        var s = self
        s.bold = bold
        return s
    }
    public func with(dim: Bool) -> Style {
        var s = self
        s.dim = dim
        return s
    }
}
