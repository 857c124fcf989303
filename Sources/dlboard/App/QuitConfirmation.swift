import TUI

/// Quitting the same way on every screen that is not a training session (experiment presets, the
/// random search, replays) as on the dashboard: `q` opens the quit popup, which `q` (or `y`, Enter)
/// answers to quit and Esc (or `n`, `c`) closes; Esc alone never quits. `ScreenLoop` wraps every
/// screen in it, so the screens themselves never see the quit key — except while one of their own
/// popups is open, which `q` closes as on the dashboard.
struct QuitConfirmation<Base: InteractiveScreen>: InteractiveScreen {
    var base: Base
    private(set) var asking = false
    private var confirmed = false

    init(_ base: Base) { self.base = base }

    var shouldQuit: Bool { confirmed || base.shouldQuit }
    var showsOverlay: Bool { asking || base.showsOverlay }

    mutating func handle(_ key: Key) -> Bool {
        if asking {
            switch key {
            case .character("q"), .character("Q"), .character("y"), .enter: confirmed = true
            case .escape, .character("n"), .character("c"): asking = false
            default: return false
            }
            return true
        }
        if (key == .character("q") || key == .character("Q")) && !base.showsOverlay {
            asking = true
            return true
        }
        return base.handle(key)
    }

    mutating func tick(now: Double) -> Bool { base.tick(now: now) }

    func render(width: Int, height: Int, glyphs: GlyphSet) -> Buffer {
        var buffer = base.render(width: width, height: height, glyphs: glyphs)
        if asking {
            ScreenChrome.quitPopup(glyphs: glyphs, into: &buffer)
            if glyphs == .ascii { PaneView.asciify(&buffer) }
        }
        return buffer
    }
}
