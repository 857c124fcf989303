import Foundation
import TUI
import Testing

/// Compares a buffer's text and the style of every cell (`Buffer.styledText`) with the expected
/// snapshot (trailing spaces and trailing empty lines ignored) and reports a line-by-line diff on
/// mismatch.
func expectSnapshot(_ buffer: Buffer, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
    func norm(_ s: String) -> [String] {
        var lines = s.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var l = String(line)
            while l.last == " " { l.removeLast() }
            return l
        }
        while lines.last == "" { lines.removeLast() }
        return lines
    }
    let got = norm(buffer.styledText)
    let want = norm(expected)
    guard got != want else { return }
    var diff: [String] = []
    for i in 0..<max(got.count, want.count) {
        let g = i < got.count ? got[i] : "∅"
        let w = i < want.count ? want[i] : "∅"
        diff.append(g == w ? "  \(g)" : "- \(w)\n+ \(g)")
    }
    let report = diff.joined(separator: "\n")
    Issue.record(Comment(rawValue: "snapshot differs:\n\(report)"), sourceLocation: sourceLocation)
    // TUI_RECORD_SNAPSHOTS=DIR writes what was rendered to DIR/<line>.txt, for updating the
    // literals after a deliberate change.
    if let dir = ProcessInfo.processInfo.environment["TUI_RECORD_SNAPSHOTS"] {
        try? got.joined(separator: "\n").write(
            toFile: "\(dir)/\(sourceLocation.line).txt", atomically: true, encoding: .utf8)
    }
}
