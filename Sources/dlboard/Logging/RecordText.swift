import Foundation

/// Text from a run record, made safe for a terminal. A record may come from anyone, and its strings
/// (titles, event labels, dataset names, paths) are printed by `replay --headless` and quoted in
/// warnings: a raw ESC or CSI there could clear the screen, retitle the window or write the
/// clipboard (OSC 52). So can the name of a record found by a glob (`runs/*/metrics.jsonl` of an
/// unpacked archive). Every line `replay` and `export` print — output, warnings, errors — goes
/// through `printable`, which shows C0 controls
/// and DEL in caret notation as the dashboard does (`^[`, `^?`) and C1 controls (U+0080…U+009F,
/// U+009B being a one-character CSI) as `\u{9B}`.
enum RecordText {
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            switch u.value {
            case 0x00...0x1F:
                out.append("^")
                out.append(Unicode.Scalar(UInt8(u.value + 0x40)))
            case 0x7F: out.append(contentsOf: "^?".unicodeScalars)
            case 0x80...0x9F:
                out.append(contentsOf: "\\u{\(String(u.value, radix: 16, uppercase: true))}".unicodeScalars)
            default: out.append(u)
            }
        }
        return String(out)
    }

    static func isControl(_ u: Unicode.Scalar) -> Bool {
        u.value < 0x20 || (0x7F...0x9F).contains(u.value)
    }

    /// A line of output that may hold record text, on stdout (through `Console`, which survives a
    /// closed pipe).
    static func say(_ line: String) {
        Console.say(printable(line))
    }

    /// `dlboard: warning: …` on stderr, record text escaped.
    static func warn(_ message: String) {
        Console.error("dlboard: warning: \(printable(message))")
    }
}
