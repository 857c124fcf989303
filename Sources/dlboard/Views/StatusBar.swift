import Foundation
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
            OptimizerText.describe(s.config, currentRate: s.currentLearningRate),
            "init \(net.initializer.displayName)",
            "BN \(net.batchNorm ? "on" : "off")",
            "dropout \(net.dropout > 0 ? Format.number(net.dropout) : "off")",
            "wd \(Format.number(net.weightDecay))",
            "batch \(s.config.batchSize)",
            "\(Format.rate(s.samplesPerSecond)) samples/s",
        ]
        // The book's cross-entropy goes unsaid; another loss is named beside the optimizer.
        if net.loss != .crossEntropy { parts[0] += " · loss \(net.loss.displayName)" }
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
        // A setting that cannot train (BatchNorm on a batch of one) is as lasting as a failed record.
        let warnings = [s.config.batchNormWarning, pane.warning].compactMap { $0 }
        for w in warnings { parts.insert((unicode ? "⚠ " : "! ") + w, at: 0) }
        var text = " " + parts.joined(separator: sep)
        // Drop the least important parts until it fits: ETA, then weight decay, batch size…
        while text.count > width, parts.count > 3 {
            parts.remove(at: parts.count >= 9 ? 7 : 4)
            text = " " + parts.joined(separator: sep)
        }
        let danger = s.diverged || !warnings.isEmpty ? Style(foreground: .red, bold: true, reverse: true) : style
        buffer.put(text, x: 0, y: row, style: danger, maxWidth: width)
    }
}
