import TUI

/// In ASCII mode every cell must be ASCII: marker labels, notices and titles come with arrows and
/// signs. Every screen passes its finished buffer through it last.
enum AsciiFallback {
    static let replacements: [Character: Character] = [
        "→": ">", "↺": "@", "✗": "x", "✓": "+", "≤": "<", "·": "|", "−": "-",
        "×": "x", "÷": "/", "√": "v", "μ": "m", "σ": "s", "…": ".", "❚": "|", "—": "-",
        "β": "b", "ρ": "r", "ε": "e",
    ]

    static func apply(to buffer: inout Buffer) {
        for y in 0..<buffer.height {
            for x in 0..<buffer.width where !buffer[x, y].character.isASCII {
                buffer[x, y].character = replacements[buffer[x, y].character] ?? "?"
            }
        }
    }
}
