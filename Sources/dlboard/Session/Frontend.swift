import TUI

/// Where a session, an experiment or a replay shows itself: on the terminal's screen, or as
/// printed lines — when `--headless` asks for that, or when there is no terminal to draw on (output
/// piped, `TERM` unset, `dumb` or unknown). Every command that can draw decides here, the same way.
enum Frontend {
    /// The screen to draw on, or nil for the printed form: when `headless` asks for it, or when the
    /// screen cannot open, which is said on stderr with what happens `instead`. Stop signals and the
    /// crash guard are in place once it returns a screen (`ScreenLoop.openScreen`).
    static func screen(headless: Bool, glyphs: GlyphSet?, instead: String) -> NcursesScreen? {
        if headless { return nil }
        do {
            return try ScreenLoop.openScreen(glyphs: glyphs)
        } catch {
            Console.error("dlboard: \(error.description); \(instead)")
            return nil
        }
    }
}
