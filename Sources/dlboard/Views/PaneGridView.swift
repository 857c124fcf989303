import TUI

/// One framed pane per run (`PaneCellView`): side by side when each gets `minimumPaneWidth`
/// columns, else a grid of two columns. The focused pane's frame is bold in its colour and marked.
struct PaneGridView {
    /// Narrower panes than this go into a grid.
    static let minimumPaneWidth = 38

    var state: DashboardState
    var glyphs: GlyphSet

    /// Where each pane goes: one row of columns if they are wide enough, else a grid of two columns.
    static func paneRects(count: Int, in rect: Rect, minimumWidth: Int = minimumPaneWidth) -> [Rect] {
        guard count > 0 else { return [] }
        if rect.width / count >= minimumWidth || count == 1 { return rect.columns(count, gap: 0) }
        let columns = 2
        let rows = (count + columns - 1) / columns
        let rowHeight = rect.height / rows
        var rects: [Rect] = []
        for r in 0..<rows {
            let band = Rect(
                x: rect.x, y: rect.y + r * rowHeight, width: rect.width,
                height: r == rows - 1 ? rect.height - r * rowHeight : rowHeight)
            let inRow = min(columns, count - r * columns)
            rects += band.columns(columns, gap: 0).prefix(inRow)
        }
        return rects
    }

    func render(in rect: Rect, into buffer: inout Buffer) {
        let titles = state.titles
        for (i, area) in Self.paneRects(count: state.panes.count, in: rect).enumerated() {
            let focused = i == state.focus
            var panel = Panel(title: (focused ? (glyphs != .ascii ? "▸ " : "> ") : "") + titles[i])
            panel.glyphs = glyphs
            panel.style = focused ? Style(foreground: DashboardState.color(i), bold: true) : Style(dim: true)
            let inner = panel.render(in: area, into: &buffer)
            PaneCellView(pane: state.panes[i].state, index: i, glyphs: glyphs, steerable: state.steerable).render(
                in: inner, into: &buffer)
        }
    }
}
