import ArgumentParser
import TUI

/// The characters charts are drawn with: every command with a screen.
struct GlyphOptions: ParsableArguments {
    @Option(help: "Characters for charts: braille, blocks or ascii (default: braille in a UTF-8 locale, else ascii).")
    var glyphs: GlyphSet?
}

extension GlyphSet: ExpressibleByArgument {}
