import Foundation
import TUI

/// The main-thread loop of every full-screen view: keys with a timeout (the frame clock), the
/// screen's clock, at most 30 frames a second on the clock and only when something changed (a
/// key's change is drawn at once, between frames), `q` asking first
/// (`QuitConfirmation`), a clean stop on a stop signal (Ctrl-C, Ctrl-\\, SIGTERM, SIGHUP:
/// `StopSignal`). It never waits for a background job (the trainer), and the job never waits for it.
enum ScreenLoop {
    static let frameSeconds = 1.0 / 30

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

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

    /// Runs until the user quits or a stop signal arrives; returns whether a stop signal ended it.
    /// The terminal stays open: the caller finishes its work (a run record) before it closes it.
    @discardableResult
    static func run<S: InteractiveScreen>(_ screenModel: inout S, on screen: NcursesScreen) -> Bool {
        let stop = StopSignal.install()
        var model = QuitConfirmation(screenModel)
        TerminalGuard.arm()
        defer {
            TerminalGuard.disarm()
            screenModel = model.base
        }
        var dirty = true
        var lastDraw = -1.0
        func draw(at t: Double) {
            let (w, h) = screen.size
            screen.present(model.render(width: w, height: h, glyphs: screen.glyphs))
            lastDraw = t
            dirty = false
        }
        while !model.shouldQuit && !stop.isRequested {
            let before = now()
            // With something to draw, wake for the next frame; otherwise wait a whole frame for keys.
            let wait = dirty ? max(0, lastDraw + frameSeconds - before) : frameSeconds
            var key = screen.readKey(timeoutMilliseconds: Int(wait * 1000))
            var sawKey = false
            var keyChanged = false
            while let k = key {
                sawKey = true
                if k == .resize || model.handle(k) { keyChanged = true }
                if model.shouldQuit { break }
                key = screen.readKey(timeoutMilliseconds: 0)
            }
            // A key's effect is drawn at once, not at the next tick of the frame clock: the screen
            // already shows the intended setting (the pane predicts it), so nothing waits for the
            // trainer. Keys come in bursts at most as fast as a person types or a terminal repeats
            // (every pending key is read first), so this adds no frames worth counting.
            if keyChanged { draw(at: now()) }
            if model.tick(now: now()) { dirty = true }
            let t = now()
            if dirty && t - lastDraw >= frameSeconds * 0.9 { draw(at: t) }
            // At EOF wgetch returns at once: keep to the clock anyway, never spin.
            let elapsed = now() - before
            if !sawKey && elapsed < wait - 0.001 { usleep(UInt32((wait - elapsed) * 1e6)) }
        }
        let interrupted = stop.isRequested
        model.base.finish(stopReason: interrupted ? stop.recordReason : nil)
        return interrupted
    }
}
