import Foundation
import Testing

/// The layers view on the real dashboard, in a real terminal: `L` shows it, `b` switches BatchNorm
/// on, and the strips go on past the "+BN" marker, in the band's colours. Needs tmux (installed by
/// .ci/run) and a session that publishes per-layer statistics.
@Suite(.serialized) struct LayersViewTmuxTests {
    typealias Tmux = TmuxEndToEndTests.Tmux
    let e2e = TmuxEndToEndTests()

    static func isBraille(_ c: Character) -> Bool {
        c.unicodeScalars.first.map { (0x2801...0x28FF).contains($0.value) } ?? false
    }

    /// A switch marker's dotted line on a strip with the strip's dots to its right, within the
    /// rows of one layer: the ratios after the switch are drawn.
    static func stripGoesOnPastAMarker(_ s: StyledCapture) -> Bool {
        for y in s.rows.indices {
            for (x, cell) in s.rows[y].enumerated() where cell.character == "┊" {
                for dy in -2...2 where s.rows.indices.contains(y + dy) {
                    if s.rows[y + dy].dropFirst(x + 1).contains(where: { Self.isBraille($0.character) }) { return true }
                }
            }
        }
        return false
    }

    @Test func layersViewShowsStripsAndTheBatchNormMarker() throws {
        try #require(Tmux.path != nil, "tmux is not installed")
        let t = Tmux()
        defer { t.kill() }
        t.start(
            width: 120, height: 40,
            command: e2e.dlboard("--train-size 3000 --hidden 50,50 --epochs 200", environment: ""))
        t.waitFor("samples/s")
        t.waitFor("step 3")
        t.keys("L")
        // The view at once: its strips, or that it waits for the first statistics.
        let view = e2e.waitForStyled(t, "the layers view") { s in
            s.rows.indices.contains { s.text($0).contains("log10 update:data") || s.text($0).contains("collecting") }
        }
        #expect(!view.rows.indices.contains { view.text($0).contains("accuracy") }, "the view replaced the charts")
        // The strips: braille dots, some of them in the band's green, and the band drawn faint.
        let strips = e2e.waitForStyled(t, "the update:data strips", seconds: 60) { s in
            (s.brailleColors["32"] ?? 0) > 0 && s.foreground(of: "░") == .some("32")
        }
        #expect(strips.foreground(of: "1 ReLU") != nil && strips.foreground(of: "3 output") != nil)
        #expect(
            Set(strips.brailleColors.keys.compactMap { $0 }).isSubset(of: ["31", "32", "33"]),
            "strip dots are green, yellow or red only: \(strips.brailleColors)")
        t.keys("b")
        t.waitFor("BN on")
        // The marker's label over the strips, its dotted line on them, and the strips going on after it.
        let after = e2e.waitForStyled(t, "the +BN marker on the strips, with ratios after it", seconds: 60) { s in
            s.foreground(of: "+BN") != nil && Self.stripGoesOnPastAMarker(s)
        }
        #expect(after.foreground(of: "+BN") == .some("33"), "the marker label is yellow, as on the loss chart")
        #expect(after.colorSequences.contains("32"), "in-band ratios are green")
        // The view toggles back to the charts.
        t.keys("L")
        t.waitFor("accuracy")
        e2e.quit(t)
    }
}
