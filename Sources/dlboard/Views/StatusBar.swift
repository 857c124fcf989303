import Foundation
import NN
import TUI

/// The reverse-video line above the hints: the run's settings, its speed and ETA, whether it
/// trains, the last notice; a lasting warning first and in red. Parts that do not fit are dropped,
/// the least important first.
struct StatusBar {
    var pane: PaneState
    var glyphs: GlyphSet

    func render(row: Int, width: Int, into buffer: inout Buffer) {
        let unicode = glyphs != .ascii
        let style = Style(reverse: true)
        buffer.fill(Rect(x: 0, y: row, width: width, height: 1), with: Cell(" ", style: style))
        guard let s = pane.status else {
            buffer.put(" loading…", x: 0, y: row, style: style, maxWidth: width)
            return
        }
        let net = s.config.network
        let sep = unicode ? " │ " : " | "
        var parts = [
            Self.optimizerText(s),
            "init \(net.initializer.displayName)",
            "BN \(net.batchNorm ? "on" : "off")",
            "dropout \(net.dropout > 0 ? Format.number(net.dropout) : "off")",
            "wd \(Format.number(net.weightDecay))",
            "\(Format.rate(s.samplesPerSecond)) samples/s",
        ]
        if let eta = s.secondsToTarget { parts.append("ETA \(Format.duration(eta))") }
        let state: String
        if s.diverged {
            state = (unicode ? "✗ " : "X ") + "diverged: lower lr (-), restart (r)"
        } else if s.finished {
            state = (unicode ? "✓ " : "+ ") + "reached \(s.epochTarget) epochs (space trains on)"
        } else if s.paused {
            state = (unicode ? "❚❚ " : "|| ") + "paused"
        } else {
            state = (unicode ? "▶ " : "> ") + "training"
        }
        parts.append(state)
        if let n = pane.notice { parts.append(n) }
        if let w = pane.warning { parts.insert((unicode ? "⚠ " : "! ") + w, at: 0) }
        var text = " " + parts.joined(separator: sep)
        // Drop the least important parts until it fits: ETA, then weight decay…
        while text.count > width, parts.count > 3 {
            parts.remove(at: parts.count >= 8 ? 6 : 4)
            text = " " + parts.joined(separator: sep)
        }
        let danger = s.diverged || pane.warning != nil ? Style(foreground: .red, bold: true, reverse: true) : style
        buffer.put(text, x: 0, y: row, style: danger, maxWidth: width)
    }

    /// `Adam β2 0.99 lr 0.001`: the optimizer, those of its parameters that differ from the book's
    /// (all of them would not fit in 80 columns beside the rest, and the book's are the README's),
    /// and the rate; under a schedule the rate the next step takes and where it comes from,
    /// `lr 0.0081 (exp:0.9 of 0.01)`.
    static func optimizerText(_ s: SessionOutput.Status) -> String {
        let c = s.config
        var text = c.optimizer.displayName
        for p in OptimizerParameters.used(by: c.optimizer)
        where c.optimizerParameters[keyPath: p] != OptimizerParameters.book[keyPath: p] {
            text += " \(OptimizerParameters.symbol(p)) \(Format.number(c.optimizerParameters[keyPath: p]))"
        }
        if c.schedule == .constant { return text + " lr \(Format.number(c.effectiveLearningRate))" }
        return text
            + " lr \(Format.number(s.currentLearningRate)) (\(c.schedule.argument) of \(Format.number(c.effectiveLearningRate)))"
    }
}
