import Foundation
import TUI

/// A screen that is not a training session (an experiment without MNIST training, the random
/// search): it takes keys, may animate on the clock, and draws itself into a buffer.
protocol InteractiveScreen {
    var shouldQuit: Bool { get }
    /// Whether one of the screen's own popups (its help) is open: `q` then closes it rather than
    /// asking to quit (`QuitConfirmation`).
    var showsOverlay: Bool { get }
    /// Handles a key; returns whether the screen changed.
    mutating func handle(_ key: Key) -> Bool
    /// Advances on the clock (animation, polling a background job); returns whether anything changed.
    mutating func tick(now: Double) -> Bool
    func render(width: Int, height: Int, glyphs: GlyphSet) -> Buffer
}

extension InteractiveScreen {
    var showsOverlay: Bool { false }
}

/// The main-thread loop for an `InteractiveScreen`: keys with a timeout, at most 30 frames a second,
/// no spinning when idle, `q` asking first as on the dashboard (`QuitConfirmation`), a clean stop on a stop signal (Ctrl-C, Ctrl-\\, SIGTERM, SIGHUP: `StopSignal`).
enum ScreenLoop {
    /// Opens the terminal for such a screen. Stop signals and the crash guard are in place first, so
    /// a Ctrl-C or SIGHUP while the model is still being built (a long record replayed `--instant`)
    /// ends it cleanly instead of with the default action over the alternate screen.
    static func openScreen(glyphs: GlyphSet?) throws(NcursesScreen.OpenError) -> NcursesScreen {
        _ = StopSignal.install()
        TerminalGuard.arm()
        do { return try NcursesScreen(glyphs: glyphs) } catch {
            TerminalGuard.disarm()
            throw error
        }
    }

    /// Returns whether a stop signal ended it rather than the screen's own quit.
    @discardableResult
    static func run<S: InteractiveScreen>(_ screenModel: inout S, on screen: NcursesScreen) -> Bool {
        let stop = StopSignal.install()
        var model = QuitConfirmation(screenModel)
        TerminalGuard.arm()
        defer {
            TerminalGuard.disarm()
            screenModel = model.base
        }
        let frame = 1.0 / 30
        var dirty = true
        var lastDraw = -1.0
        func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
        while !model.shouldQuit && !stop.isRequested {
            let before = now()
            var key = screen.readKey(timeoutMilliseconds: Int(frame * 1000))
            var sawKey = false
            while let k = key {
                sawKey = true
                if k == .resize || model.handle(k) { dirty = true }
                if model.shouldQuit { break }
                key = screen.readKey(timeoutMilliseconds: 0)
            }
            if model.tick(now: now()) { dirty = true }
            let t = now()
            if dirty && t - lastDraw >= frame * 0.9 {
                let (w, h) = screen.size
                screen.present(model.render(width: w, height: h, glyphs: screen.glyphs))
                lastDraw = t
                dirty = false
            }
            // At EOF wgetch returns at once: keep to the clock anyway.
            let elapsed = now() - before
            if !sawKey && elapsed < frame { usleep(UInt32((frame - elapsed) * 1e6)) }
        }
        return stop.isRequested
    }
}
