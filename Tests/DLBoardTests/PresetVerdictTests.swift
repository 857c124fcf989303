import Foundation
import NN
import TUI
import Testing

@testable import dlboard

/// The numbers the presets' headless verdicts print, and the loss charts' naming of the loss.
@Suite struct PresetVerdictTests {
    @Test func aCheckpointIsTheMeanOfTheTrailingTwentyIterations() {
        let losses = (1...2000).map { Float($0) }
        // Iterations 81…100: mean 90.5.
        #expect(PresetVerdict.windowMean(losses, count: 2000, at: 100) == 90.5)
        #expect(PresetVerdict.windowMean(losses, count: 2000, at: 1900) == 1890.5)
        #expect(PresetVerdict.windowMean(losses, count: 2000, at: 19) == nil, "fewer than 20 iterations")
        #expect(PresetVerdict.windowMean(losses, count: 2000, at: 2001) == nil, "not taken yet")
        // A report that kept only the last 1000 of 3000 losses: iteration i is losses[i - 2001].
        let kept = (2001...3000).map { Float($0) }
        #expect(PresetVerdict.windowMean(kept, count: 3000, at: 2020) == 2010.5)
        #expect(PresetVerdict.windowMean(kept, count: 3000, at: 2019) == nil, "its window begins before the kept ones")
    }

    @Test func aShortRunIsJudgedAtTheCheckpointsItReachesAndWhereItEnds() {
        #expect(PresetVerdict.checkpoints(forSteps: 2000) == [100, 500, 1000, 1500, 1900])
        #expect(PresetVerdict.checkpoints(forSteps: 1900) == [100, 500, 1000, 1500, 1900])
        #expect(PresetVerdict.checkpoints(forSteps: 600) == [100, 500, 600])
        #expect(PresetVerdict.checkpoints(forSteps: 80) == [80])
    }

    @Test func theLossChartNamesTheBooksLoss() {
        var state = DashboardViewTests.fixedState(runs: 1)
        let plain = DashboardView(state: state, glyphs: .braille).render(width: 120, height: 36).text
        #expect(plain.contains("loss 0.") && !plain.contains("loss after update"))
        state.panes[0].state.status?.config.lossRecording = .postUpdateInference
        let book = DashboardView(state: state, glyphs: .braille).render(width: 120, height: 36).text
        #expect(book.contains("loss after update (eval)"), "\(book)")
    }
}
