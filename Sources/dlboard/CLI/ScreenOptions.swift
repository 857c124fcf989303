import ArgumentParser
import TUI

/// How a training session opens on screen: the dashboard, `compare` and `preset`.
struct ScreenOptions: ParsableArguments {
    @OptionGroup var look: GlyphOptions

    @Flag(help: "Start paused (space starts training — the focused run of a comparison, P all of them; n steps once).")
    var paused = false

    var glyphs: GlyphSet? { look.glyphs }
}
