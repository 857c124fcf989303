import Foundation
import Testing

/// The search screens in a real terminal: grid vs random runs both searches and says what they
/// tried; random-search's scatter follows `x` on a course space; `q` restores the shell.
@Suite(.serialized) struct GridVsRandomTmuxTests {
    @Test func gridVsRandomRunsBothSearchesOnScreen() throws {
        try #require(TmuxEndToEndTests.tmuxAvailable, "tmux is not installed")
        let t = TmuxEndToEndTests.Tmux()
        defer { t.kill() }
        t.start(
            width: 120, height: 36, command: TmuxEndToEndTests().presetCommand("grid-vs-random --trials 4 --epochs 1"))
        let s = t.waitFor("random 4/4 done", seconds: 60)
        #expect(s.contains("grid 4/4 done") && s.contains("grid 2×2: lr × weight decay"))
        t.waitFor("random tried 4 distinct lr values, grid 2 · best val: grid ")
        t.keys("?")
        t.waitFor("Esc close this help")
        t.keys("Escape")
        t.keys("q")
        t.waitFor("Quit dlboard?")
        t.keys("q")
        let end = t.waitFor("EXIT=0")
        #expect(end.contains("dlboard: random tried 4 distinct lr values, grid 2"))
        #expect(!end.contains("colour = val acc"), "the shell screen is back")
    }

    @Test func xPutsTheNextKnobOfACourseSpaceAcross() throws {
        try #require(TmuxEndToEndTests.tmuxAvailable, "tmux is not installed")
        let t = TmuxEndToEndTests.Tmux()
        defer { t.kill() }
        t.start(
            width: 120, height: 36,
            command: TmuxEndToEndTests().presetCommand(
                "random-search --trials 4 --epochs 1 --space lr=log:-3,-1 beta=one-minus-log:-3,-1 optimizer=choice:momentum,adam"
            ))
        let s = t.waitFor("4/4 trials done", seconds: 60)
        #expect(s.contains("lr × beta, colour = val acc") && s.contains("optimizer"))
        t.keys("x")
        let swapped = t.waitFor("beta × lr, colour = val acc")
        #expect(swapped.contains("beta 1−10^-3 … 1−10^-1") && swapped.contains("across: beta"))
        t.keys("q")
        t.waitFor("Quit dlboard?")
        t.keys("q")
        let end = t.waitFor("EXIT=0")
        #expect(end.contains("best trial val") && end.contains("beta "))
    }
}
