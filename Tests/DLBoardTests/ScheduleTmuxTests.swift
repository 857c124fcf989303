import Foundation
import Testing

/// The schedule key on the real dashboard: `c` switches the schedule between two steps, the status
/// bar shows the rate the next step takes and its base, the chart a marker, and the run record an
/// `lr_schedule` event per press; `+` then scales the schedule's base rate. Needs tmux.
@Suite(.serialized) struct ScheduleTmuxTests {
    typealias Tmux = TmuxEndToEndTests.Tmux

    @Test func cCyclesTheScheduleWithAMarkerAndTheRateInTheStatusBar() throws {
        try #require(Tmux.path != nil, "tmux is not installed")
        let t = Tmux()
        defer { t.kill() }
        let log = t.startPausedDashboard("--lr 0.1")
        t.waitFor("SGD lr 0.1 │ init He")
        for _ in 0..<5 { t.keys("n") }
        t.waitFor("step 5")
        // Epoch 1 of 30 steps: inverse:1 is 0.1/(1 + 1) = 0.05, exp:0.9 is 0.1·0.9 = 0.09.
        t.keys("c")
        let inverse = t.waitFor("SGD lr 0.05 (inverse:1 of 0.1) │")
        #expect(inverse.contains("lr inverse:1"), "a marker on the loss chart")
        t.keys("c")
        t.waitFor("SGD lr 0.09 (exp:0.9 of 0.1) │")
        t.keys("+")
        let scaled = t.waitFor("SGD lr 0.288 (exp:0.9 of 0.32) │")
        #expect(scaled.contains("lr exp:0.9") && scaled.contains("paused"))
        t.keys("n")
        t.waitFor("step 6")
        t.keys("q")
        t.waitFor("Quit dlboard?")
        t.keys("q")
        t.waitFor("EXIT=0")
        #expect(
            KeyIntentTmuxTests().events(log) == [
                ["lr_schedule", "constant", "inverse:1", "lr inverse:1"],
                ["lr_schedule", "inverse:1", "exp:0.9", "lr exp:0.9"], ["lr", "0.1", "0.32", "lr 0.32"],
            ], "each press recorded as the change it made")
    }
}
