import Foundation

/// A terminal screen as `tmux capture-pane -e -p` prints it, read back into cells with the
/// foreground colour each one was drawn in: what a person sees, colours included.
struct StyledCapture {
    struct Cell {
        var character: Character
        /// The SGR parameters that set the colour ("32", "38;5;208"), nil for the default colour.
        var foreground: String?
    }

    let rows: [[Cell]]
    /// Every colour SGR in the output, foreground or background (30–37, 38;…, 40–47, 48;…, 90–97,
    /// 100–107); 39 and 49 (back to the default) are not colours.
    let colorSequences: [String]

    init(_ captured: String) {
        var rows: [[Cell]] = [[]]
        var colors: [String] = []
        var fg: String?
        var chars = Array(captured)[...]
        while let c = chars.popFirst() {
            if c == "\n" {
                rows.append([])
                continue
            }
            guard c == "\u{1B}", chars.first == "[" else {
                rows[rows.count - 1].append(Cell(character: c, foreground: fg))
                continue
            }
            chars.removeFirst()
            var body = ""
            while let d = chars.popFirst(), d != "m" { body.append(d) }
            // tmux keeps the state from line to line, so the parameters apply until changed.
            var ps = body.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }[...]
            while let p = ps.popFirst() {
                switch p {
                case 0, 39: fg = nil
                case 30...37, 90...97:
                    fg = "\(p)"
                    colors.append("\(p)")
                case 40...47, 100...107: colors.append("\(p)")
                case 38, 48:
                    // 38;5;N or 38;2;R;G;B
                    let n = ps.first == 5 ? 2 : ps.first == 2 ? 4 : 0
                    let code = ([p] + ps.prefix(n)).map(String.init).joined(separator: ";")
                    ps = ps.dropFirst(n)
                    colors.append(code)
                    if p == 38 { fg = code }
                default: break
                }
            }
        }
        self.rows = rows
        colorSequences = colors
    }

    func text(_ y: Int) -> String { String(rows[y].map(\.character)) }

    /// The colour of the first character of `text` on the screen; nil when it is not there,
    /// .some(nil) when it is drawn in the default colour.
    func foreground(of text: String) -> String?? {
        for y in rows.indices {
            let line = self.text(y)
            if let r = line.range(of: text) {
                return .some(rows[y][line.distance(from: line.startIndex, to: r.lowerBound)].foreground)
            }
        }
        return nil
    }

    /// How many braille cells (curves) each colour draws.
    var brailleColors: [String?: Int] {
        var n: [String?: Int] = [:]
        for row in rows {
            for cell in row
            where cell.character.unicodeScalars.first.map({ (0x2801...0x28FF).contains($0.value) }) ?? false {
                n[cell.foreground, default: 0] += 1
            }
        }
        return n
    }
}
