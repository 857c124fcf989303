import TUI

/// Draws a session: the plain dashboard (`PaneView`) for one run; for several, the header, one
/// middle layout — one pane per run (`PaneGridView`), small multiples when there are more runs than
/// fit as panes (`SmallMultiplesView`), all runs overlaid on shared charts (`OverlayChartView`,
/// `v`), or the focused run minus the first (`DifferenceChartView`, `x`) — and the focused run's
/// status bar, the key hints and its popup at the bottom.
struct DashboardView {
    var state: DashboardState
    var glyphs: GlyphSet

    func render(width: Int, height: Int) -> Buffer {
        guard state.isComparison, var focused = state.focused else {
            var single = state.focused ?? PaneState(datasetName: state.datasetName)
            if let n = state.notice { single.notice = n }
            single.warning = state.warning
            single.banner = state.banner
            return PaneView(state: single, glyphs: glyphs, steerable: state.steerable).render(
                width: width, height: height)
        }
        if let small = TooSmallScreen.buffer(width: width, height: height) { return small }
        var buffer = Buffer(width: width, height: height)
        if let n = state.notice { focused.notice = n }
        focused.warning = state.warning
        HeaderBar.session(state, glyphs: glyphs).render(row: 0, width: width, into: &buffer)
        StatusBar(pane: focused, glyphs: glyphs).render(row: height - 2, width: width, into: &buffer)
        HintsBar(items: KeyMap.comparisonHints).render(row: height - 1, width: width, into: &buffer)
        let middle = Rect(x: 0, y: 1, width: width, height: height - 3)
        switch state.layout {
        case .panes where state.groupSize != nil || state.panes.count > DashboardState.sideBySide:
            SmallMultiplesView(state: state, glyphs: glyphs).render(in: middle, into: &buffer)
        case .panes: PaneGridView(state: state, glyphs: glyphs).render(in: middle, into: &buffer)
        case .overlay: OverlayChartView(state: state, glyphs: glyphs).render(in: middle, into: &buffer)
        case .difference: DifferenceChartView(state: state, glyphs: glyphs).render(in: middle, into: &buffer)
        }
        PanePopupView(overlay: focused.overlay, comparison: true, glyphs: glyphs).render(in: buffer.area, into: &buffer)
        if glyphs == .ascii { AsciiFallback.apply(to: &buffer) }
        return buffer
    }
}
