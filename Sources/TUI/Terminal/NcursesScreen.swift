@preconcurrency import CNcursesw
import Foundation

/// The terminal, through ncursesw. This is the only file that calls curses, and only the main
/// thread may use it.
///
/// It shows `Buffer`s (only rows that changed since the last frame are re-sent to curses, which
/// then sends only changed cells to the terminal), reads keys with a timeout, and restores the
/// terminal in `close()` — which `deinit` also calls, so every exit path that unwinds restores it.
public final class NcursesScreen {
    /// How many colours the screen may use.
    public enum ColorMode: String, Sendable {
        case palette256, basic8, monochrome
    }

    public enum OpenError: Error, CustomStringConvertible {
        case notATerminal
        case unknownTerminal(String)
        public var description: String {
            switch self {
            case .notATerminal: "standard input/output is not a terminal"
            case .unknownTerminal(let t):
                t == "dumb" || t == "(unset)"
                    ? "TERM is \(t): the terminal cannot draw the dashboard"
                    : "terminal type '\(t)' is unknown to curses"
            }
        }
    }

    public let glyphs: GlyphSet
    public let colorMode: ColorMode
    private var screen: OpaquePointer?
    /// Colour pairs made so far, by foreground colour number (pair n: colour on the default background).
    private var pairs: [Int16: Int16] = [:]
    private var nextPair: Int16 = 1
    private var previous: Buffer?
    private var isOpen = false

    /// Opens the full-screen terminal. Fails (instead of letting curses exit the process) when
    /// stdout is not a TTY, or `TERM` is unset, `dumb` or unknown. `glyphs` nil picks braille in a
    /// UTF-8 locale and ASCII otherwise; `NO_COLOR` forces monochrome.
    public init(
        glyphs requested: GlyphSet? = nil,
        noColor: Bool = NcursesScreen.noColorRequested(ProcessInfo.processInfo.environment)
    ) throws(OpenError) {
        guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else { throw .notATerminal }
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        guard !term.isEmpty, term != "dumb" else { throw .unknownTerminal(term.isEmpty ? "(unset)" : term) }
        // Curses needs the character set (LC_CTYPE) for UTF-8 and nothing else. LC_ALL would also
        // switch LC_NUMERIC, and then every String(format:) in the process — run records, CSV,
        // TensorBoard, the screen — writes "0,367" in a comma-decimal locale. Pin it to "C" too,
        // in case anything before us switched it.
        setlocale(LC_CTYPE, "")
        setlocale(LC_NUMERIC, "C")
        let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
        let utf8 = codeset.uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
        glyphs = requested ?? (utf8 ? .braille : .ascii)
        guard let s = newterm(nil, stdout, stdin) else { throw .unknownTerminal(term) }
        screen = s
        set_term(s)
        isOpen = true
        cbreak()
        noecho()
        keypad(dl_stdscr(), true)
        curs_set(0)
        set_escdelay(25)
        // COLORS and COLOR_PAIRS are 0 until start_color(), so start it first whenever colour may
        // be used (and only then: with NO_COLOR curses sends no colour at all).
        if !noColor && has_colors() {
            start_color()
            use_default_colors()
        }
        colorMode = Self.colorMode(
            noColor: noColor, hasColors: has_colors(), colors: Int(dl_colors()), pairs: Int(dl_color_pairs()))
        wclear(dl_stdscr())
    }

    deinit { close() }

    /// Restores the terminal. Safe to call more than once.
    public func close() {
        guard isOpen else { return }
        isOpen = false
        curs_set(1)
        endwin()
        if let s = screen { delscreen(s) }
        screen = nil
    }

    /// Columns and rows right now.
    public var size: (width: Int, height: Int) {
        (Int(getmaxx(dl_stdscr())), Int(getmaxy(dl_stdscr())))
    }

    /// The next key, or nil after `timeoutMilliseconds` without one (or at once if stdin is at EOF).
    public func readKey(timeoutMilliseconds: Int) -> Key? {
        // SIGWINCH may be delivered to a training thread, and then curses does not notice until
        // much later; ask the terminal its size directly and resize when it changed.
        var ws = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0, ws.ws_row > 0,
            Int32(ws.ws_col) != getmaxx(dl_stdscr()) || Int32(ws.ws_row) != getmaxy(dl_stdscr())
        {
            resizeterm(Int32(ws.ws_row), Int32(ws.ws_col))
            previous = nil
            return .resize
        }
        wtimeout(dl_stdscr(), Int32(max(0, timeoutMilliseconds)))
        let c = wgetch(dl_stdscr())
        if c == ERR { return nil }
        if c == KEY_RESIZE {
            previous = nil
            return .resize
        }
        return Self.key(for: c)
    }

    static func key(for c: Int32) -> Key {
        switch c {
        case 10, 13, KEY_ENTER: return .enter
        case 27: return .escape
        case 9: return .tab
        case KEY_BTAB: return .backTab
        case 127, 8, KEY_BACKSPACE: return .backspace
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_F0...(KEY_F0 + 24): return .function(Int(c - KEY_F0))
        case 32...126: return .character(Character(Unicode.Scalar(UInt8(c))))
        default: return .other(c)
        }
    }

    /// Shows `buffer` (sized to the screen by the caller).
    public func present(_ buffer: Buffer) {
        let win = dl_stdscr()
        let redrawAll = previous == nil || previous!.width != buffer.width || previous!.height != buffer.height
        if redrawAll { werase(win) }
        for y in 0..<buffer.height {
            if !redrawAll, let prev = previous, rowEqual(prev, buffer, y) { continue }
            var x = 0
            while x < buffer.width {
                let style = buffer[x, y].style
                var run = ""
                let start = x
                while x < buffer.width && buffer[x, y].style == style {
                    run.append(buffer[x, y].character)
                    x += 1
                }
                // The bottom-right cell cannot be written without scrolling on some terminals.
                if y == buffer.height - 1 && x == buffer.width { run = String(run.dropLast()) }
                // The colour pair goes in its own argument: wattr_set replaces the pair bits of the
                // attribute word with it, so a COLOR_PAIR ORed into `attr` would be lost.
                wattr_set(win, attr_t(attributes(for: style)), colorPair(for: style), nil)
                mvwaddstr(win, Int32(y), Int32(start), run)
            }
        }
        wattr_set(win, 0, 0, nil)
        wrefresh(win)
        previous = buffer
    }

    private func rowEqual(_ a: Buffer, _ b: Buffer, _ y: Int) -> Bool {
        for x in 0..<b.width where a[x, y] != b[x, y] { return false }
        return true
    }

    private func attributes(for style: Style) -> UInt32 {
        var a: UInt32 = 0
        if style.bold { a |= dl_a_bold() }
        if style.dim { a |= dl_a_dim() }
        if style.reverse { a |= dl_a_reverse() }
        return a
    }

    /// The pair drawing `style`'s foreground on the default background; 0 (the terminal's colours)
    /// without a foreground, on a monochrome screen, or when the terminal has no pair left.
    private func colorPair(for style: Style) -> Int16 {
        guard let color = style.foreground, let fg = Self.foregroundIndex(color, mode: colorMode) else { return 0 }
        if let p = pairs[fg] { return p }
        guard Int(nextPair) < min(Int(dl_color_pairs()), Int(Int16.max)) else { return 0 }
        let p = nextPair
        guard init_pair(p, fg, -1) != ERR else { return 0 }
        nextPair += 1
        pairs[fg] = p
        return p
    }

    /// `NO_COLOR` turns colour off when it is present and not empty (no-color.org).
    public static func noColorRequested(_ environment: [String: String]) -> Bool {
        environment["NO_COLOR"].map { !$0.isEmpty } ?? false
    }

    /// What a terminal reporting `colors` colours and `pairs` colour pairs gets: the 256-colour
    /// palette, the eight basic colours, or none (NO_COLOR, or fewer than eight colours).
    public static func colorMode(noColor: Bool, hasColors: Bool, colors: Int, pairs: Int) -> ColorMode {
        if noColor || !hasColors || colors < 8 || pairs < 16 { return .monochrome }
        return colors >= 256 && pairs >= 256 ? .palette256 : .basic8
    }

    /// The curses colour number for `color` in `mode`: palette entries as they are on a
    /// 256-colour terminal, the nearest basic colour (0–7) on an 8/16-colour one, nil in monochrome.
    public static func foregroundIndex(_ color: Color, mode: ColorMode) -> Int16? {
        switch (mode, color) {
        case (.monochrome, _): nil
        case (.palette256, .palette(let p)): Int16(p)
        default: Int16(color.basicIndex)
        }
    }
}
