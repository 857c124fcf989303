import Foundation
import TUI
import Testing

@testable import dlboard

/// The watch screen on the Ray fixture folder: its styled snapshot, `m` cycling the metric, the
/// help, and the README's keys table for it.
@Suite struct WatchScreenTests {
    static func screen() throws -> WatchScreen {
        var s = WatchScreen(
            watcher: try TrialWatcher(roots: [WatchRayResultTests.fixture]), metricName: nil, mode: nil)
        let changed = s.tick(now: 0)
        #expect(changed)
        return s
    }

    @Test(arguments: [(120, 36), (80, 24)])
    func snapshot(width: Int, height: Int) throws {
        let buffer = try Self.screen().render(width: width, height: height, glyphs: .braille)
        try DashboardSnapshotTests.check(buffer, "watch-\(width)x\(height)")
    }

    @Test func mCyclesTheMetricsTheTrialsReport() throws {
        var s = try Self.screen()
        #expect(s.metric == WatchMetric(name: "val_acc", mode: .max))
        var seen: [String] = []
        for _ in 0..<4 {
            _ = s.handle(.character("m"))
            seen.append(s.metric.name)
        }
        #expect(seen == ["test_acc", "loss", "train_acc", "val_acc"])
        _ = s.handle(.character("m"))
        _ = s.handle(.character("m"))
        #expect(s.metric.mode == .min && s.notice == "ranked by loss (min)")
        let text = s.render(width: 120, height: 36, glyphs: .braille).text
        #expect(text.contains("ranked by loss (min)") && text.contains("loss best"))
        _ = s.handle(.character("?"))
        #expect(
            s.showsOverlay
                && s.render(width: 120, height: 36, glyphs: .braille).text.contains("rank and plot by the next metric"))
        _ = s.handle(.escape)
        #expect(!s.showsOverlay)
    }

    @Test func everyWatchKeyIsInTheReadme() throws {
        let documented = try ReadmeKeysTests.documentedKeys(after: "### `dlboard watch DIR…`")
        for (keys, help) in WatchScreen.keys {
            #expect(documented.contains(keys), "\(keys) (\(help)) is not in the README's watch keys table")
        }
    }
}
