import Foundation

/// Number formatting shared by the headless output and the dashboard.
enum Format {
    /// `0.01`, `0.001`, `1e-05`: short, with no float noise (0.01 rather than 0.009999999776).
    static func number(_ v: Float) -> String { String(format: "%g", Double(v)) }

    /// `1:05` or `1:02:03`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0, seconds < 1e9 else { return "–" }
        let s = Int(seconds.rounded())
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }

    /// `98.2k`, `1.2M`.
    static func rate(_ v: Double) -> String {
        if v >= 1e6 { return String(format: "%.1fM", v / 1e6) }
        if v >= 1e3 { return String(format: "%.1fk", v / 1e3) }
        return String(format: "%.0f", v)
    }
}
