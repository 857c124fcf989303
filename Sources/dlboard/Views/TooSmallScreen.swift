import TUI

/// What every screen shows instead of itself when the terminal is smaller than it can draw in: one
/// bold line saying so and how to leave.
enum TooSmallScreen {
    /// The smallest terminal every screen draws in.
    static let minimumSize = (width: 60, height: 16)

    /// The notice, when `width` × `height` is below `minimumSize`; nil when the screen fits.
    static func buffer(width: Int, height: Int) -> Buffer? {
        guard width < minimumSize.width || height < minimumSize.height else { return nil }
        var buffer = Buffer(width: width, height: height)
        buffer.put(
            "terminal too small (\(width)×\(height)): dlboard needs \(minimumSize.width)×\(minimumSize.height) — q quits",
            x: 0, y: 0, style: .bold, maxWidth: width)
        return buffer
    }
}
