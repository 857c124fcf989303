import Foundation
import NN
import TUI

/// E1 on screen: four optimizers walking down the bowl x²/20 + y² from (-7, 2), drawn over its
/// contour, one step at a time. Steerable: tab picks a panel, `o` changes its optimizer, `+`/`-` its
/// learning rate (×/÷ √10), `r` replays, space pauses.
struct OptimizerPathsScreen: InteractiveScreen {
    struct PathPanel {
        var kind: OptimizerKind
        var lr: Float
        var path: [(x: Float, y: Float)]
    }

    var panels: [PathPanel]
    var focus = 0
    /// Points shown so far (the replay position).
    var shown = 1
    var paused = false
    var steps: Int
    var secondsPerStep = 0.15
    var lastStep = 0.0
    var showsHelp = false
    var showsOverlay: Bool { showsHelp }

    init(steps: Int = 30) {
        self.steps = steps
        panels = OptimizerPaths.bookRates.map {
            PathPanel(kind: $0.kind, lr: $0.lr, path: OptimizerPaths.path($0.kind, learningRate: $0.lr, steps: steps))
        }
    }

    mutating func recompute(_ i: Int) {
        panels[i].path = OptimizerPaths.path(panels[i].kind, learningRate: panels[i].lr, steps: steps)
    }

    mutating func handle(_ key: Key) -> Bool {
        if showsHelp {
            showsHelp = false
            return true
        }
        switch key {
        case .tab, .right: focus = (focus + 1) % panels.count
        case .backTab, .left: focus = (focus + panels.count - 1) % panels.count
        case .character("o"), .character("O"):
            let all = OptimizerKind.allCases
            let i = all.firstIndex(of: panels[focus].kind) ?? 0
            let next = all[(i + (key == .character("o") ? 1 : all.count - 1)) % all.count]
            panels[focus].kind = next
            panels[focus].lr = OptimizerPaths.bookRates.first { $0.kind == next }?.lr ?? next.defaultLearningRate
            recompute(focus)
        case .character("+"), .character("="), .character("-"):
            let f = Float(10).squareRoot()
            let lr = key == .character("-") ? panels[focus].lr / f : panels[focus].lr * f
            guard lr > 1e-6 && lr < 1e3 else { return false }
            panels[focus].lr = SettingSteps.roundedRate(lr)
            recompute(focus)
        case .character("r"): shown = 1
        case .character(" "): paused.toggle()
        case .character("n"): shown = min(steps, shown + 1)
        case .character("?"): showsHelp = true
        default: return false
        }
        return true
    }

    mutating func tick(now: Double) -> Bool {
        guard !paused, shown < steps, now - lastStep >= secondsPerStep else { return false }
        lastStep = now
        shown += 1
        return true
    }

    static let keys: [(keys: String, help: String)] = [
        ("tab", "next panel"), ("o O", "optimizer of the panel (at the book's lr for it)"),
        ("+ -", "learning rate × / ÷ √10"), ("r", "replay from the start"),
        ("space", "pause / resume"), ("n", "one step while paused"), ("?", "this help"), ("Esc", "close this help"),
        ("q", "quit (asks first)"),
    ]

    func render(width: Int, height: Int, glyphs: GlyphSet) -> Buffer {
        if let small = TooSmallScreen.buffer(width: width, height: height) { return small }
        var buffer = Buffer(width: width, height: height)
        let sep = glyphs == .ascii ? " | " : " · "
        buffer.put(
            "dlboard" + sep + "preset optimizer-paths (E1): f(x,y) = x²/20 + y² from (-7, 2)" + sep
                + "step \(shown)/\(steps)",
            x: 0, y: 0, style: .bold, maxWidth: width)
        let area = Rect(x: 0, y: 1, width: width, height: height - 2)
        let half = area.splitRows(at: area.height / 2)
        let rects = half.top.columns(2, gap: 1) + half.bottom.columns(2, gap: 1)
        for (i, p) in panels.enumerated() {
            var frame = Panel(
                title: (i == focus ? (glyphs == .ascii ? "> " : "▸ ") : "")
                    + "\(p.kind.displayName) lr \(Format.number(p.lr))")
            frame.glyphs = glyphs
            frame.style = i == focus ? Style(foreground: DashboardState.color(i), bold: true) : Style(dim: true)
            let inner = frame.render(in: rects[i], into: &buffer)
            drawBowl(p, color: DashboardState.color(i), in: inner, into: &buffer, glyphs: glyphs)
        }
        HintsBar(
            items: [
                ("tab", "panel"), ("o", "optimizer"), ("+/-", "lr"), ("r", "replay"), ("space", "pause"), ("?", "help"),
                ("q", "quit"),
            ]).render(row: height - 1, width: width, into: &buffer)
        if showsHelp {
            HelpPopup(title: "keys — any key closes", entries: Self.keys, keyWidth: 6, glyphs: glyphs).render(
                in: buffer.area, into: &buffer)
        }
        if glyphs == .ascii { AsciiFallback.apply(to: &buffer) }
        return buffer
    }

    private func drawBowl(_ p: PathPanel, color: Color, in rect: Rect, into buffer: inout Buffer, glyphs: GlyphSet) {
        guard rect.height >= 3, rect.width >= 8 else { return }
        if let last = p.path.prefix(shown).last {
            buffer.put(
                String(format: "(%.2f, %.2f) f %.3f", last.x, last.y, OptimizerPaths.f(last.x, last.y)),
                x: rect.x, y: rect.y, style: .dim, maxWidth: rect.width)
        }
        BowlPlot.draw(
            Array(p.path.prefix(shown)), color: color,
            in: Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1),
            into: &buffer, glyphs: glyphs)
    }

    /// The headless report: each path's first and last points and its final f.
    func report() -> [String] {
        var lines = ["optimizer-paths (E1): f(x,y) = x²/20 + y² from (-7, 2), \(steps) steps"]
        for p in panels {
            let last = p.path.last!
            let flips = zip(p.path, p.path.dropFirst()).filter { $0.y * $1.y < 0 }.count
            lines.append(
                String(
                    format: "%-9@ lr %-6@ end (%7.4f, %7.4f)  f %.5f  y sign flips %d", p.kind.displayName as NSString,
                    Format.number(p.lr) as NSString, last.x, last.y, OptimizerPaths.f(last.x, last.y), flips))
            lines.append(
                "          path " + p.path.map { String(format: "(%.2f,%.2f)", $0.x, $0.y) }.joined(separator: " "))
        }
        return lines
    }
}
