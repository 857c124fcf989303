import TUI

/// `dlboard watch`'s leaderboard on screen: the lines `WatchBoard` prints headless, the header
/// bold, each trial's row in its rank's colour (`WatchBoard.color`), a running trial marked `…`.
struct WatchLeaderboardView {
    var board: WatchBoard

    func render(in rect: Rect, into buffer: inout Buffer) {
        let lines = board.lines(short: true)
        buffer.put(lines[0], in: rect, row: 0, style: .bold)
        for (i, line) in lines.dropFirst().prefix(max(0, rect.height - 1)).enumerated() {
            let row = board.rows[i]
            buffer.put(
                line + (row.trial.isDone ? "" : " …"), in: rect, row: i + 1,
                style: Style(foreground: board.color(of: i)))
        }
        let hidden = board.rows.count - max(0, rect.height - 1)
        if hidden > 0 && rect.height > 1 {
            buffer.put("… \(hidden) more", in: rect, row: rect.height - 1, style: .dim)
        }
    }
}
