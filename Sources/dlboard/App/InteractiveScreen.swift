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
    mutating func finish(stopReason: StopReason?)
}

extension InteractiveScreen {
    var showsOverlay: Bool { false }
    var keepAnswer: String? { nil }
    mutating func keep() {}
    mutating func finish(stopReason: StopReason?) {}
}
