import Foundation
import TUI
import Testing

@testable import dlboard

/// The screen loop on a scripted terminal and a clock of its own (time moves only as the loop waits,
/// sleeps and draws): how often it draws under a key stream, how soon a key shows, how it reads a
/// paste, and that it keeps to the clock at EOF.
@Suite struct ScreenLoopPacingTests {
    /// Keys at given times, a clock that a wait or a draw moves on, and every draw with what it showed.
    final class ScriptedTerminal: ScreenLoop.Terminal {
        var time = 0.0
        let keyTimes: [Double]
        var nextKey = 0
        /// What a draw costs (the clock moves on by it).
        let renderSeconds: Double
        /// At EOF every read returns nil at once, whatever its timeout (wgetch on a closed input).
        let atEOF: Bool
        private(set) var draws: [(at: Double, text: String)] = []
        private(set) var reads = 0

        init(keyTimes: [Double], renderSeconds: Double = 0.0005, atEOF: Bool = false) {
            self.keyTimes = keyTimes
            self.renderSeconds = renderSeconds
            self.atEOF = atEOF
        }

        var size: (width: Int, height: Int) { (40, 2) }
        var glyphs: GlyphSet { .ascii }
        func now() -> Double { time }
        func sleep(seconds: Double) { time += max(0, seconds) }
        func present(_ buffer: Buffer) {
            draws.append((time, buffer.line(0).trimmingCharacters(in: .whitespaces)))
            time += renderSeconds
        }
        func readKey(timeoutMilliseconds ms: Int) -> Key? {
            reads += 1
            if atEOF { return nil }
            let wakeup = time + Double(ms) / 1000
            guard nextKey < keyTimes.count, keyTimes[nextKey] <= wakeup else {
                time = wakeup
                return nil
            }
            time = max(time, keyTimes[nextKey])
            nextKey += 1
            return .character("x")
        }

        /// The number of keys each draw showed, with its time.
        var shown: [(at: Double, keys: Int)] {
            draws.map { d in (d.at, Int(d.text.split(separator: " ")[1])!) }
        }
    }

    /// Counts the keys it handled (every one changes it) and its ticks; shows both.
    struct CountingScreen: InteractiveScreen {
        var keys = 0
        /// Whether each tick has something new (a trainer publishing).
        var ticksChange: Bool
        /// The key count at each tick.
        var keysAtTicks: [Int] = []
        mutating func handle(_ key: Key) -> Bool {
            keys += 1
            return true
        }
        mutating func tick(now: Double) -> Bool {
            keysAtTicks.append(keys)
            return ticksChange
        }
        func render(width: Int, height: Int, glyphs: GlyphSet) -> Buffer {
            var b = Buffer(width: width, height: height)
            _ = b.put("keys \(keys) ticks \(keysAtTicks.count)", x: 0, y: 0)
            return b
        }
    }

    func run(_ terminal: ScriptedTerminal, ticksChange: Bool, until end: Double) -> CountingScreen {
        var model = QuitConfirmation(CountingScreen(ticksChange: ticksChange))
        // The read count ends a loop that spins without moving the clock (a failure, not a hang).
        ScreenLoop.loop(&model, on: terminal) { terminal.time >= end || terminal.reads > 100_000 }
        return model.base
    }

    /// A key every millisecond for a second (a macro, a test harness): at most one draw per
    /// `keyDrawSeconds`, not one per key, and each key on screen within that plus a render.
    @Test func aSteadyKeyStreamIsDrawnAtACappedRateAndEachKeySoon() {
        let times = (0..<1000).map { Double($0) / 1000 }
        let terminal = ScriptedTerminal(keyTimes: times)
        let model = run(terminal, ticksChange: false, until: 1.0)
        #expect(model.keys == 1000)
        let limit = Int(1.0 / ScreenLoop.keyDrawSeconds) + 2
        #expect(terminal.draws.count <= limit, "\(terminal.draws.count) draws in a second of keys")
        let shown = terminal.shown
        for (k, t) in times.enumerated() {
            guard let first = shown.first(where: { $0.keys > k }) else {
                Issue.record("key \(k) never shown")
                break
            }
            let late = first.at - t
            #expect(late <= ScreenLoop.keyDrawSeconds + 0.002, "key \(k) shown \(late * 1000) ms after it came")
        }
    }

    /// Keys that come slower than the cap are each drawn the moment they are read.
    @Test func aKeyAfterAPauseIsDrawnAtOnce() {
        let times = (1...20).map { Double($0) * 0.05 + 0.0003 }
        let terminal = ScriptedTerminal(keyTimes: times)
        _ = run(terminal, ticksChange: true, until: 1.1)
        let shown = terminal.shown
        for (k, t) in times.enumerated() {
            let late = shown.first { $0.keys > k }.map { $0.at - t }
            #expect(late.map { $0 <= terminal.renderSeconds } == true, "key \(k) drawn as it was read")
        }
    }

    /// With the trainer publishing all the time and a key every 5 ms, the draws stay under the two
    /// caps together (keys' and clock's) and never leave a frame's changes undrawn for more than a
    /// frame and a key gap.
    @Test func clockFramesGoOnUnderAKeyStreamWithinTheCap() {
        let times = (0..<200).map { Double($0) * 0.005 }
        let terminal = ScriptedTerminal(keyTimes: times, renderSeconds: 0.001)
        let model = run(terminal, ticksChange: true, until: 1.0)
        #expect(model.keys == 200)
        let draws = terminal.draws.map(\.at)
        let cap = Int(1.0 / ScreenLoop.keyDrawSeconds) + Int(1.0 / ScreenLoop.frameSeconds) + 2
        #expect(draws.count <= cap, "\(draws.count) draws in a second")
        let gaps = zip(draws.dropFirst(), draws).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 <= ScreenLoop.frameSeconds + ScreenLoop.keyDrawSeconds + 0.002 })
    }

    /// Ten thousand keys waiting at once (a paste, a producer faster than `handle`): read in gulps of
    /// at most `maxKeysPerWake`, with the clock's tick between them.
    @Test func aFloodOfKeysIsReadInBoundedGulps() {
        let terminal = ScriptedTerminal(keyTimes: Array(repeating: 0.01, count: 10_000))
        let model = run(terminal, ticksChange: true, until: 0.5)
        #expect(model.keys == 10_000)
        let gulps = zip(model.keysAtTicks.dropFirst(), model.keysAtTicks).map { $0 - $1 }
        #expect(gulps.max() == ScreenLoop.maxKeysPerWake, "keys read between two ticks")
    }

    /// At EOF every read returns at once: the loop sleeps to the clock instead of spinning, and
    /// draws the trainer's changes at the frame rate.
    @Test func atEOFTheLoopKeepsToTheClock() {
        let terminal = ScriptedTerminal(keyTimes: [], atEOF: true)
        _ = run(terminal, ticksChange: true, until: 1.0)
        #expect(terminal.draws.count <= 31, "\(terminal.draws.count) frames in a second")
        #expect(terminal.draws.count >= 25)
        #expect(terminal.reads <= 100, "\(terminal.reads) reads in a second")
    }
}
