import TUI

/// Quitting the same way on every screen (the dashboard, replays, experiment presets, the random
/// search): `q` opens the quit popup, which `q` (or `y`, Enter) answers to quit and Esc (or `n`,
/// `c`) closes; Esc alone never quits. A screen may offer a third answer on `k` (the dashboard's
/// "keep training"). `ScreenLoop` wraps every screen in it, so the screens themselves never see the
/// quit key — except while one of their own popups is open, which `q` closes.
struct QuitConfirmation<Base: InteractiveScreen> {
    var base: Base
    private(set) var asking = false
    private(set) var shouldQuit = false

    init(_ base: Base) { self.base = base }

    var showsOverlay: Bool { asking || base.showsOverlay }

    /// Handles a key; returns whether the screen changed.
    mutating func handle(_ key: Key) -> Bool {
        if asking {
            switch key {
            case .character("q"), .character("Q"), .character("y"), .enter: shouldQuit = true
            case .escape, .character("n"), .character("c"): asking = false
            case .character("k") where base.keepAnswer != nil:
                asking = false
                base.keep()
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

    /// The question's lines: the answers it takes, the screen's own third one included.
    var lines: [String] {
        ["Quit dlboard?", "", "q quit   " + (base.keepAnswer.map { "k \($0)   " } ?? "") + "Esc cancel"]
    }

    func render(width: Int, height: Int, glyphs: GlyphSet) -> Buffer {
        var buffer = base.render(width: width, height: height, glyphs: glyphs)
        if asking {
            Popup(title: "quit?", lines: lines, glyphs: glyphs).render(in: buffer.area, into: &buffer)
            if glyphs == .ascii { AsciiFallback.apply(to: &buffer) }
        }
        return buffer
    }
}
