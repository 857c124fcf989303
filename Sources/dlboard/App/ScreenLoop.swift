import Foundation
import TUI

/// A full-screen view driven by the screen loop: the live dashboard, a replay, an experiment
/// without MNIST training, the random search. It takes keys, may change on the clock (animation,
/// polling a background job), and draws itself into a buffer. Quitting is not the screen's own:
/// `QuitConfirmation` asks, the same way on every screen.
protocol InteractiveScreen {
    /// Whether one of the screen's own popups (its help) is open: `q` then closes it rather than
    /// asking to quit (`QuitConfirmation`).
    var showsOverlay: Bool { get }
    /// The third answer of the quit question besides quit and cancel, on `k` (the dashboard's
    /// "keep training"); nil: the question has no third answer.
    var keepAnswer: String? { get }
    /// Handles a key; returns whether the screen changed.
    mutating func handle(_ key: Key) -> Bool
    /// `k` in the quit question: the question closes and the screen carries on (the dashboard
    /// resumes a paused run). Only asked when `keepAnswer` is not nil.
    mutating func keep()
    /// Advances on the clock (animation, polling a background job); returns whether anything changed.
    mutating func tick(now: Double) -> Bool
    func render(width: Int, height: Int, glyphs: GlyphSet) -> Buffer
    /// The loop has ended: finish the screen's work (stop the trainer, complete the run record) while
    /// the crash guard is still armed and before the terminal is touched. `stopReason`: why a stop
    /// signal ended it (`StopSignal.recordReason`), nil when the user quit.
    mutating func finish(stopReason: String?)
}

extension InteractiveScreen {
    var showsOverlay: Bool { false }
    var keepAnswer: String? { nil }
    mutating func keep() {}
    mutating func finish(stopReason: String?) {}
}

/// The main-thread loop of every full-screen view: keys with a timeout (the frame clock), the
/// screen's clock, at most 30 frames a second and only when something changed, `q` asking first
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
        while !model.shouldQuit && !stop.isRequested {
            let before = now()
            // With something to draw, wake for the next frame; otherwise wait a whole frame for keys.
            let wait = dirty ? max(0, lastDraw + frameSeconds - before) : frameSeconds
            var key = screen.readKey(timeoutMilliseconds: Int(wait * 1000))
            var sawKey = false
            while let k = key {
                sawKey = true
                if k == .resize || model.handle(k) { dirty = true }
                if model.shouldQuit { break }
                key = screen.readKey(timeoutMilliseconds: 0)
            }
            if model.tick(now: now()) { dirty = true }
            let t = now()
            if dirty && t - lastDraw >= frameSeconds * 0.9 {
                let (w, h) = screen.size
                screen.present(model.render(width: w, height: h, glyphs: screen.glyphs))
                lastDraw = t
                dirty = false
            }
            // At EOF wgetch returns at once: keep to the clock anyway, never spin.
            let elapsed = now() - before
            if !sawKey && elapsed < wait - 0.001 { usleep(UInt32((wait - elapsed) * 1e6)) }
        }
        let interrupted = stop.isRequested
        model.base.finish(stopReason: interrupted ? stop.recordReason : nil)
        return interrupted
    }
}
