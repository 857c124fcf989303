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
        let warnings = [s.config.batchNormWarning, pane.warning].compactMap { $0 }.map { (unicode ? "⚠ " : "! ") + $0 }
        // Each part with its rank: the lowest go first when the line is too long (ETA, weight decay,
        // batch size, speed, Dropout, the notice); the batch size stays when a warning is about it.
        var optimizer = OptimizerText.describe(s.config, currentRate: s.currentLearningRate)
        // The book's cross-entropy goes unsaid; another loss is named beside the optimizer.
        if net.loss != .crossEntropy { optimizer += " · loss \(net.loss.displayName)" }
        // The book's Dropout form goes unsaid; the inverted one is named.
        let dropoutForm = net.dropoutStyle == .book ? "" : " \(net.dropoutStyle.displayName)"
        let dropout = "dropout " + (net.dropout > 0 ? Format.number(net.dropout) + dropoutForm : "off")
        var parts: [(rank: Int, text: String)] = [
            (100, optimizer),
            (85, "init \(net.initializer.displayName)"),
            (80, net.normalization.switchText),
            (50, dropout),
            (20, "wd \(Format.number(net.weightDecay))"),
            (s.config.batchNormWarning != nil ? 95 : 30, "batch \(s.config.batchSize)"),
            (40, "\(Format.rate(s.samplesPerSecond)) samples/s"),
        ]
        if net.inputDropout > 0 { parts.append((45, "input dropout \(Format.number(net.inputDropout))\(dropoutForm)")) }
        // Said only when on (`g` switches it), so a run without it reads as before.
        if !s.config.augmentation.isNone { parts.append((45, "aug \(s.config.augmentation.argument)")) }
        if let eta = s.secondsToTarget { parts.append((10, "ETA \(Format.duration(eta))")) }
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
        parts.append((90, state))
        if let n = pane.notice { parts.append((60, n)) }
        func line() -> String { " " + (warnings + parts.map(\.text)).joined(separator: sep) }
        var text = line()
        // A setting that cannot train (BatchNorm on a batch of one) is as lasting as a failed record:
        // the warnings stay first, and what does not fit after the highest-ranked parts is cut.
        while text.count > width, parts.count > 3,
            let lowest = parts.indices.min(by: { parts[$0].rank < parts[$1].rank })
        {
            parts.remove(at: lowest)
            text = line()
        }
        let danger = s.diverged || !warnings.isEmpty ? Style(foreground: .red, bold: true, reverse: true) : style
        buffer.put(text, x: 0, y: row, style: danger, maxWidth: width)
    }
}
