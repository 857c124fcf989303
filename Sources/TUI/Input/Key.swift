/// A key press, normalized from the terminal's codes.
public enum Key: Hashable, Sendable {
    case character(Character)
    case enter
    case escape
    case tab
    case backTab
    case backspace
    case up, down, left, right
    case function(Int)
    /// The terminal changed size.
    case resize
    case other(Int32)

    /// The name shown in help texts.
    public var displayName: String {
        switch self {
        case .character(" "): "space"
        case .character(let c): String(c)
        case .enter: "Enter"
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .backspace: "Backspace"
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .function(let n): "F\(n)"
        case .resize: "resize"
        case .other(let c): "#\(c)"
        }
    }
}
