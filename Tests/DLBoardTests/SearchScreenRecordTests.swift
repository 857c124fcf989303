import Foundation
import Testing

/// successive-halving and grid-vs-random on screen write their record as training goes (a killed
/// session keeps what it trained), and it ends with the same records as a headless run's: per run,
/// the same record types as many times. Needs tmux.
@Suite(.serialized) struct SearchScreenRecordTests {
    typealias Tmux = TmuxEndToEndTests.Tmux

    /// Per run id (-1 for the records of no run: rung, halving), its record types, sorted.
    static func typesPerRun(_ path: String) throws -> [Int: [String]] {
        var types: [Int: [String]] = [:]
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let run = object["run"] as? Int ?? -1
            types[run, default: []].append(object["type"] as? String ?? "?")
        }
        return types.mapValues { $0.sorted() }
    }

    /// Runs `args` on screen until `done` shows, checks the record already holds trained trials,
    /// quits, then runs them headless; both records' types per run must agree.
    func compare(_ args: String, done: String) throws {
        try #require(TmuxEndToEndTests.tmuxAvailable, "tmux is not installed")
        let screenLog = NSTemporaryDirectory() + "dlboard-screen-\(UUID().uuidString).jsonl"
        let headlessLog = NSTemporaryDirectory() + "dlboard-headless-\(UUID().uuidString).jsonl"
        defer {
            try? FileManager.default.removeItem(atPath: screenLog)
            try? FileManager.default.removeItem(atPath: headlessLog)
        }
        let t = Tmux()
        defer { t.kill() }
        t.start(
            width: 120, height: 36, command: TmuxEndToEndTests().presetCommand(args + " --metrics-out " + screenLog))
        t.waitFor(done, seconds: 90)
        // Still on screen: the trials' headers and evaluations reach the file within the log's
        // flush interval (a second), not only at exit. A short search can finish inside the first
        // second, so wait for the flush rather than read at once.
        var live: [Int: [String]] = [:]
        let deadline = Date().addingTimeInterval(10)
        repeat {
            live = (try? Self.typesPerRun(screenLog)) ?? [:]
            if live.values.contains(where: { $0.contains("trial") && $0.contains("eval") }) { break }
            usleep(100_000)
        } while Date() < deadline
        #expect(live.values.contains { $0.contains("trial") && $0.contains("eval") }, "\(live)")
        #expect(t.screen().contains(done), "still on screen while the record was read")
        t.keys("q")
        t.waitFor("Quit dlboard?")
        t.keys("q")
        t.waitFor("EXIT=0")
        let headless = try BinaryRunner.run(
            ["preset"] + args.split(separator: " ").map(String.init) + ["--headless", "--metrics-out", headlessLog],
            timeout: 120)
        #expect(headless.status == 0, "\(headless.stderr)")
        let onScreen = try Self.typesPerRun(screenLog)
        #expect(onScreen == (try Self.typesPerRun(headlessLog)))
        #expect(onScreen[-1]?.contains("halving") ?? args.hasPrefix("grid"))
    }

    @Test func successiveHalvingOnScreenWritesTheRecordAsItTrains() throws {
        try compare(
            "successive-halving --trials 6 --epochs 3 --train-size 500 --keep-pruned 1", done: "· done ·")
    }

    @Test func gridVsRandomOnScreenWritesTheRecordAsItTrains() throws {
        try compare("grid-vs-random --trials 4 --epochs 1", done: "random 4/4 done")
    }
}
