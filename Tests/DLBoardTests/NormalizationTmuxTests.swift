import Foundation
import Testing

/// The normalization key on the real dashboard: `b` three times on a paused run goes none →
/// BatchNorm → LayerNorm → none; the status bar says each at once, the chart keeps a marker per
/// press, a step trains with LayerNorm in place, and the run record has one `norm` event per
/// press, from → to as `--norm` spells them. Needs tmux.
@Suite(.serialized) struct NormalizationTmuxTests {
    typealias Tmux = TmuxEndToEndTests.Tmux

    @Test func bCyclesNoneBatchNormLayerNormWithMarkersAndEvents() throws {
        try #require(Tmux.path != nil, "tmux is not installed")
        let t = Tmux()
        defer { t.kill() }
        let log = t.startPausedDashboard()
        let start = t.waitFor("SGD lr 0.01 │ init He │ BN off │")
        #expect(start.contains("b norm"), "the hint line names the key")
        t.keys("n")
        t.waitFor("step 1")
        t.keys("b")
        t.waitFor("│ init He │ BN on │")
        let batch = t.waitFor("+BN")
        #expect(batch.contains("paused"), "a marker, still paused")
        t.keys("b")
        t.waitFor("│ init He │ LN on │")
        t.waitFor("+LN")
        t.keys("n")
        t.waitFor("step 2")
        t.keys("b")
        t.waitFor("│ init He │ BN off │")
        t.waitFor("−norm")
        t.keys("q")
        t.waitFor("Quit dlboard?")
        t.keys("q")
        t.waitFor("EXIT=0")
        #expect(
            KeyIntentTmuxTests().events(log) == [
                ["norm", "none", "batch", "+BN"], ["norm", "batch", "layer", "+LN"],
                ["norm", "layer", "none", "−norm"],
            ], "each press recorded as the change it made")
    }
}
