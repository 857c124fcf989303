/// What a comparison key asks for: keys about the panes together (focus, layout, fork, pause all),
/// which the screen state handles rather than the focused pane.
enum ComparisonAction: Equatable, Sendable {
    case nextPane, previousPane, toggleOverlay, toggleDifference, fork, pauseAll
}
