import Testing

@testable import TUI

/// How the screen picks its colours: from NO_COLOR and what the terminal reports after
/// start_color(), and which colour number each `Color` becomes.
@Suite struct ColorModeTests {
    @Test func noColorIsAnyNonEmptyValue() {
        #expect(!NcursesScreen.noColorRequested([:]))
        #expect(!NcursesScreen.noColorRequested(["NO_COLOR": ""]), "no-color.org: present and not empty")
        #expect(NcursesScreen.noColorRequested(["NO_COLOR": "1"]))
        #expect(NcursesScreen.noColorRequested(["NO_COLOR": "0"]), "any value, even 0")
    }

    @Test func modeFollowsTheTerminal() {
        #expect(NcursesScreen.colorMode(noColor: false, hasColors: true, colors: 256, pairs: 65536) == .palette256)
        #expect(
            NcursesScreen.colorMode(noColor: false, hasColors: true, colors: 8, pairs: 64) == .basic8, "xterm, screen")
        #expect(NcursesScreen.colorMode(noColor: false, hasColors: true, colors: 16, pairs: 256) == .basic8)
        #expect(NcursesScreen.colorMode(noColor: true, hasColors: true, colors: 256, pairs: 65536) == .monochrome)
        #expect(
            NcursesScreen.colorMode(noColor: false, hasColors: false, colors: 0, pairs: 0) == .monochrome,
            "xterm-mono, vt100")
    }

    @Test func coloursOnEachKindOfTerminal() {
        #expect(NcursesScreen.foregroundIndex(.palette(208), mode: .palette256) == 208)
        #expect(NcursesScreen.foregroundIndex(.green, mode: .palette256) == 2)
        #expect(NcursesScreen.foregroundIndex(.palette(208), mode: .basic8) == 1, "orange → red")
        #expect(NcursesScreen.foregroundIndex(.palette(39), mode: .basic8) == 6, "sky blue → cyan")
        #expect(NcursesScreen.foregroundIndex(.palette(34), mode: .basic8) == 2)
        #expect(NcursesScreen.foregroundIndex(.palette(171), mode: .basic8) == 5)
        #expect(NcursesScreen.foregroundIndex(.red, mode: .monochrome) == nil)
    }

    @Test func styledTextShowsEveryCellsStyle() {
        var b = Buffer(width: 6, height: 2)
        b.put("ab", x: 0, y: 0, style: Style(foreground: .palette(34), bold: true))
        b.put("c", x: 2, y: 0)
        b.put("  ", x: 3, y: 1, style: .reverse)
        #expect(b.styledText == "abc\n\n-- styles --\naa\n   bb\n-- legend --\na p34 bold\nb reverse")
    }
}
