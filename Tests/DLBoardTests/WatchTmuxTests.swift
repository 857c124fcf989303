import Foundation
import Testing

/// `dlboard watch` in a real terminal while a background `dlboard trial` writes its record into the watched
/// folder: the trial appears, its epochs, leaderboard row and curve grow on screen, its row is in
/// an accuracy colour; at the end it reads finished, and `q` quits as on every screen.
@Suite(.serialized) struct WatchTmuxTests {
    /// The epochs the trial's row shows ("ep 12"), nil before it is listed.
    static func epochs(_ screen: String) -> Int? {
        for line in screen.split(separator: "\n") where line.contains(" run ") {
            let words = line.split(separator: " ")
            if let i = words.firstIndex(of: "ep"), i + 1 < words.count, let n = Int(words[i + 1]) { return n }
        }
        return nil
    }

    static func brailleCells(_ s: StyledCapture) -> Int { s.brailleColors.values.reduce(0, +) }

    @Test func aGrowingRecordGrowsOnScreen() throws {
        try #require(TmuxEndToEndTests.tmuxAvailable, "tmux is not installed")
        let folder = NSTemporaryDirectory() + "dlboard-watch-tmux-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let t = TmuxEndToEndTests.Tmux()
        defer {
            t.kill()
            try? FileManager.default.removeItem(atPath: folder)
        }
        // `dlboard trial` starts once the screen is up, so the trial appears while the watch runs;
        // its record is flushed at each evaluation, a line per step and one per epoch.
        let train =
            "(sleep 1; '\(BinaryRunner.executable.path)' trial --train-size 3000 --hidden 100,100 --epochs 40 "
            + "--validation 0.1 --log-every 1 --metrics-out '\(folder)/run.jsonl' >/dev/null 2>&1) & "
        let e2e = TmuxEndToEndTests()
        t.start(width: 120, height: 36, command: train + e2e.dlboard("watch '\(folder)'", environment: ""))
        t.waitFor("no trials yet")
        let early = t.waitFor(" running", seconds: 60)
        let first = try #require(Self.epochs(early), "the trial's row:\n\(early)")
        #expect(first < 40, "seen while it trains")
        let firstStyled = e2e.styledScreen(t)
        let done = t.waitFor("finished", seconds: 120)
        #expect(Self.epochs(done) == 40 && done.contains("1 trial, 1 done · ranked by val_acc (max)"))
        let last = e2e.waitForStyled(t, "the finished curve") {
            Self.brailleCells($0) > Self.brailleCells(firstStyled)
        }
        // The row and the curve in the same accuracy colour (not the default's, not grey).
        let row = try #require(last.rows.firstIndex { StyledCapture.text(of: $0).contains(" run ") })
        let colour = try #require(last.rows[row].first { $0.character == "r" }?.foreground)
        #expect(colour != "38;5;244")
        #expect((last.brailleColors[colour] ?? 0) > 0, "the curve is drawn in the row's colour")
        e2e.quit(t)
    }
}

extension StyledCapture {
    static func text(of row: [Cell]) -> String { String(row.map(\.character)) }
}
