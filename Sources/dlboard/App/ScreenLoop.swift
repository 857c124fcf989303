import Foundation
import TUI

/// The main-thread loop of every full-screen view: keys with a timeout (the frame clock), the
/// screen's clock, at most 30 frames a second on the clock and only when something changed (a
/// key's change is drawn at once, between frames, at most once per `keyDrawSeconds`: `Pacing`),
/// `q` asking first (`QuitConfirmation`), a clean stop on a stop signal (Ctrl-C, Ctrl-\\,
/// SIGTERM, SIGHUP: `StopSignal`). It never waits for a background job (the trainer), and the job
/// never waits for it.
enum ScreenLoop {
    static let frameSeconds = 1.0 / 30
    /// The least time between two draws for keys: a steady key stream (fast auto-repeat, a macro,
    /// a test harness) is drawn at most 125 times a second, not once per key, so the main thread
    /// takes a bounded share of the cores the trainer uses; a key is still on screen within 8 ms
    /// plus a render, and a key after a pause at once.
    static let keyDrawSeconds = 0.008
    /// The most keys read in one wake-up before the clock's tick and a draw get their turn (a paste
    /// of a few hundred keys is still read whole).
    static let maxKeysPerWake = 256

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// What the loop needs of the outside world: `NcursesScreen` with the real clock, or a scripted
    /// terminal on a clock of its own in tests.
    protocol Terminal {
        var size: (width: Int, height: Int) { get }
        var glyphs: GlyphSet { get }
        /// The next key, waiting at most `timeoutMilliseconds` (0: only one already there).
        func readKey(timeoutMilliseconds: Int) -> Key?
        func present(_ buffer: Buffer)
        func now() -> Double
        func sleep(seconds: Double)
    }

    /// When the loop draws. A key's change is drawn right after the keys, unless the last draw for
    /// keys was less than `keyDrawSeconds` ago: then it waits for that (or for a clock frame, which
    /// shows it too); a clock frame never delays a key's draw. The clock's changes are drawn a frame
    /// after the last clock frame, whatever the keys drew meanwhile (a key stream does not hold
    /// the clock back), but not within `keyDrawSeconds` of any draw (nor does it add frames right
    /// after a key's). So the keys draw at most 125 times a second and the clock 30.
    struct Pacing {
        private var keysDirty = false
        /// The first frame is due at once.
        private var clockDirty = true
        private var lastKeyDraw = -Double.infinity
        private var lastFrame = -Double.infinity
        private var lastDraw = -Double.infinity
        /// A wake-up a little early (the timeouts count whole milliseconds) still draws.
        static let slack = 0.0005

        mutating func keysChanged() { keysDirty = true }
        mutating func clockChanged() { clockDirty = true }

        var keysDue: Double { keysDirty ? lastKeyDraw + keyDrawSeconds : .infinity }
        var clockDue: Double { clockDirty ? max(lastFrame + frameSeconds, lastDraw + keyDrawSeconds) : .infinity }

        /// How long to wait for keys: until the next draw that is due, at most a frame (the clock's
        /// tick comes at least once a frame).
        func wait(now: Double) -> Double { min(frameSeconds, max(0, min(keysDue, clockDue) - now)) }

        /// Whether the keys' change is to be drawn now (then counted as drawn).
        mutating func drawsForKeys(now: Double) -> Bool {
            guard now >= keysDue - Self.slack else { return false }
            lastKeyDraw = now
            drew(at: now)
            return true
        }

        /// Whether the clock's change (and any key's not drawn yet) is to be drawn now.
        mutating func drawsForClock(now: Double) -> Bool {
            guard now >= clockDue - Self.slack else { return false }
            drew(at: now)
            return true
        }

        /// A draw shows everything: a clock frame that was due counts as done.
        private mutating func drew(at now: Double) {
            if now >= clockDue - Self.slack { lastFrame = now }
            lastDraw = now
            keysDirty = false
            clockDirty = false
        }
    }

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
        loop(&model, on: screen) { stop.isRequested }
        let interrupted = stop.isRequested
        model.base.finish(stopReason: interrupted ? stop.recordReason : nil)
        return interrupted
    }

    /// The loop itself, on any terminal, until the model quits or `stopRequested()`.
    static func loop<S: InteractiveScreen, T: Terminal>(
        _ model: inout QuitConfirmation<S>, on screen: T, stopRequested: () -> Bool
    ) {
        var pacing = Pacing()
        func draw() {
            let (w, h) = screen.size
            screen.present(model.render(width: w, height: h, glyphs: screen.glyphs))
        }
        while !model.shouldQuit && !stopRequested() {
            let before = screen.now()
            let wait = pacing.wait(now: before)
            // Rounded up: waking before the due time would find nothing due and wait again.
            var key = screen.readKey(timeoutMilliseconds: Int((wait * 1000).rounded(.up)))
            var keys = 0
            while let k = key {
                keys += 1
                if k == .resize || model.handle(k) { pacing.keysChanged() }
                // Bounded: a producer faster than `handle` must not keep the clock and the screen
                // from their turn; the rest of the keys are read right after.
                if model.shouldQuit || keys == maxKeysPerWake { break }
                key = screen.readKey(timeoutMilliseconds: 0)
            }
            // A key's effect is drawn at once, before the clock's tick (a record's flush can take
            // a while), not at the next frame: the screen already shows the intended setting (the
            // pane predicts it), so nothing waits for the trainer.
            if pacing.drawsForKeys(now: screen.now()) { draw() }
            if model.tick(now: screen.now()) { pacing.clockChanged() }
            if pacing.drawsForClock(now: screen.now()) { draw() }
            // At EOF wgetch returns at once: keep to the clock anyway, never spin.
            let elapsed = screen.now() - before
            if keys == 0 && elapsed < wait - 0.001 { screen.sleep(seconds: wait - elapsed) }
        }
    }
}

extension NcursesScreen: ScreenLoop.Terminal {
    func now() -> Double { ScreenLoop.now() }
    func sleep(seconds: Double) { usleep(UInt32(seconds * 1e6)) }
}
