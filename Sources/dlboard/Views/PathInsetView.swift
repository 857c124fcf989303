import Foundation
import NN
import TUI

/// The E1 inset (`e`): the run's current optimizer and learning rate replayed for 30 steps on the
/// bowl of the book's optimizer-path experiment, top right of the loss chart — how this update
/// rule moves on an elongated valley. Drawn only where the chart has room for it.
struct PathInsetView {
    var status: SessionOutput.Status
    var glyphs: GlyphSet

    func render(in rect: Rect, into buffer: inout Buffer) {
        guard rect.width >= 36, rect.height >= 9 else { return }
        // The rate the run's next step takes (its schedule's, from the base rate), with its β/ρ/ε.
        let lr = status.currentLearningRate
        let box = Rect(
            x: rect.maxX - min(34, rect.width / 2), y: rect.y + 1, width: min(34, rect.width / 2),
            height: min(10, rect.height - 2))
        var panel = Panel(title: "E1 bowl: \(status.config.optimizer.displayName) \(Format.number(lr))")
        panel.glyphs = glyphs
        let inner = panel.render(in: box, into: &buffer)
        let path = OptimizerPaths.path(
            status.config.optimizer, learningRate: lr, parameters: status.config.optimizerParameters, steps: 30)
        BowlPlot.draw(path, color: .palette(39), in: inner, into: &buffer, glyphs: glyphs)
        if let last = path.last {
            buffer.put(
                String(format: "30 steps: f %.3g", OptimizerPaths.f(last.x, last.y)), x: inner.x, y: inner.maxY - 1,
                style: .dim, maxWidth: inner.width)
        }
    }
}
