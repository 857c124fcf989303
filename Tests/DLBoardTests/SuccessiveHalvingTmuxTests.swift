import Foundation
import Testing

/// `preset successive-halving` on a real terminal: the rung ladder appears and fills while the
/// trials train, the keys answer meanwhile, the pruned trials' dots are grey and each decided
/// rung's cutoff is drawn in its colour (read with `capture-pane -e`), and q quits with the
/// verdict printed. Needs tmux.
@Suite(.serialized) struct SuccessiveHalvingTmuxTests {
    typealias Tmux = TmuxEndToEndTests.Tmux

    @Test func theRungLadderFillsWithGreyPrunedDotsAndCutoffs() throws {
        try #require(Tmux.path != nil, "tmux is not installed")
        let t = Tmux()
        defer { t.kill() }
        t.start(
            width: 120, height: 36,
            // In colour: `swift test` sets NO_COLOR, which the tmux server would pass on.
            command: TmuxEndToEndTests().dlboard(
                "preset successive-halving --trials 9 --epochs 3 --train-size 1000 --keep-pruned 1", environment: ""))
        t.waitFor("rung 1 · 1 ep")
        t.waitFor("rung 2 · 3 ep")
        // The screen answers while the trials train.
        t.keys("?")
        t.waitFor("keys — any key closes")
        t.keys("Escape")
        let done = t.waitFor("2/2 rungs done", seconds: 60)
        #expect(done.contains("6 pruned") || done.contains("3 went on · cut"), "rung 1's decision")
        t.waitFor("· done ·", seconds: 60)
        let styled = TmuxEndToEndTests().waitForStyled(t, "the ladder in colour") {
            $0.foreground(of: "pruned @rung 1") == .some("38;5;240")
        }
        let cells = styled.rows.flatMap { $0 }
        let grey = cells.filter { $0.character == "●" && $0.foreground == "38;5;240" }
        #expect(grey.count >= 3, "the pruned trials' dots are grey: \(grey.count)")
        let cutoff = cells.filter { $0.character == "╌" && $0.foreground == "35" }
        #expect(cutoff.count >= 20, "rung 1's cutoff is a magenta line across its column: \(cutoff.count)")
        #expect(styled.foreground(of: "pruned @rung 1") == .some("38;5;240"), "a pruned trial's curve is greyed")
        #expect(styled.foreground(of: "3 went on · cut") == .some("35"))
        t.keys("q")
        t.waitFor("Quit dlboard?")
        t.keys("q")
        let end = t.waitFor("EXIT=0")
        #expect(end.contains("dlboard: best validation accuracy: successive halving"))
        #expect(end.contains("dlboard: pruning regret:"))
    }
}
