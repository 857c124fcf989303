import Foundation
import NN
import TUI
import Testing

@testable import dlboard

/// The search screens rendered from fixed trials: the scatter's axes follow `x` and `y`, name their
/// knobs and scales, and colour each trial by its validation accuracy; grid vs random as a styled
/// snapshot.
@Suite struct SearchScreenTests {
    static let base = TrainingConfig(
        network: NetworkConfig(inputSize: 16, hidden: [8, 8], outputSize: 4), optimizer: .sgd, batchSize: 20,
        epochs: 1, seed: 4)

    static func search(_ space: SearchSpace, trials: Int) throws -> RandomSearch {
        let data = try SessionTests.dataset().restricted(trainSize: nil, validationFraction: 0.2, seed: 1)
        return RandomSearch(dataset: data, base: base, space: space, trialsPerRound: trials)
    }

    /// A finished trial at `point` with validation accuracy `val` (nil: still training, no evaluation).
    static func trial(_ id: Int, round: Int, _ point: [SearchKnob: SearchValue], val: Double?) -> RandomSearch.Trial {
        let p = SearchSpace.applicable(point, to: base)
        var t = RandomSearch.Trial(id: id, round: round, point: p, config: SearchSpace.apply(p, to: base))
        if let val {
            t.evaluations = [
                SessionOutput.Evaluation(
                    step: 8, epoch: 1, meanLoss: 1, trainAccuracy: min(1, val + 0.05), testAccuracy: nil,
                    validationAccuracy: val, trainSeconds: 0.1, samplesPerSecond: 1600)
            ]
            t.done = true
        }
        return t
    }

    /// A made-up response: best at lr 0.1, whatever else the trial drew.
    static func accuracy(_ p: [SearchKnob: SearchValue]) -> Double {
        let e = log10(p[.learningRate]?.number ?? 0.1)
        return max(0.08, 0.9 - 0.15 * (e + 1) * (e + 1))
    }

    static let accuracyColors: Set<Color> = [.green, .yellow, .palette(208), .red]

    /// The scatter's cells: its dots and their styles, right of the leaderboard and above the curves.
    static func dots(_ b: Buffer, from x0: Int) -> [(Character, Style)] {
        (3..<(b.height / 2)).flatMap { y in
            (x0..<b.width).compactMap { x in
                let c = b[x, y]
                return c.character.unicodeScalars.first.map { (0x2801...0x28FF).contains($0.value) } == true
                    ? (c.character, c.style) : nil
            }
        }
    }

    @Test func xAndYCycleTheScattersAxesThroughTheNumericKnobs() throws {
        let space = try SearchSpace(parsing: [
            "lr=log:-3,-1", "beta=one-minus-log:-3,-1", "units=int:50,100", "optimizer=choice:momentum,adam",
        ])
        let search = try Self.search(space, trials: 12)
        var screen = RandomSearchScreen(search: search)
        var g = SeededGenerator(seed: 9)
        screen.snapshot.round = 1
        screen.snapshot.space = space
        screen.snapshot.trials = (0..<12).map { k in
            let p = space.point { Double(g.nextUniform()) }
            return Self.trial(k, round: 1, p, val: Self.accuracy(p))
        }
        func render() -> Buffer { screen.render(width: 120, height: 36, glyphs: .braille) }
        let first = render()
        let text = first.text
        #expect(text.contains("lr × beta, colour = val acc"), "lr across, β up")
        #expect(text.contains("lr 10^-3 … 10^-1"), "the x axis names its knob and its log scale")
        #expect(text.contains("1−10^-1") && text.contains("1−10^-3"), "β's axis as log10(1 − β)")
        #expect(text.contains(" #  round  val    train  lr        beta    units  optimizer"), "every knob a column")
        #expect(text.contains("x/y scatter axes"), "the hints name the keys")
        // Each dot coloured by its trial's validation accuracy; the best one bold.
        let scatterX = text.split(separator: "\n")[2].range(of: "lr × beta").map {
            text.split(separator: "\n")[2].distance(from: text.split(separator: "\n")[2].startIndex, to: $0.lowerBound)
        }
        let x0 = try #require(scatterX)
        let dots = Self.dots(first, from: x0)
        #expect(dots.count >= 6, "\(dots.count) cells of dots")
        #expect(dots.allSatisfy { $0.1.foreground.map(Self.accuracyColors.contains) == true })
        #expect(dots.contains { $0.1.bold && $0.1.foreground == .green }, "the best trial (val ≥ 0.7) bold green")

        // x: the next numeric knob across; landing on the one up swaps them.
        let handled1 = screen.handle(.character("x"))
        #expect(handled1)
        var b = render()
        #expect(b.text.contains("beta × lr, colour = val acc") && b.text.contains("beta 1−10^-3 … 1−10^-1"))
        #expect(b.text.contains("10^-1") && b.text.contains("across: beta"))
        #expect(Self.dots(b, from: x0).map(\.0) != dots.map(\.0), "the dots moved with the axes")
        // y: the next knob up — lr (swapping back), then units on a linear scale.
        let handled2 = screen.handle(.character("y"))
        #expect(handled2)
        #expect(render().text.contains("lr × beta"))
        let handled3 = screen.handle(.character("y"))
        #expect(handled3)
        b = render()
        #expect(b.text.contains("lr × units, colour = val acc") && b.text.contains("up: units"))
        #expect(b.text.contains("100 ") && b.text.contains("units"))
        #expect(
            Set(Self.dots(b, from: x0).map(\.1.foreground)).isSubset(of: Set(Self.accuracyColors.map(Optional.some))))
        // The help lists both keys.
        let handled4 = screen.handle(.character("?"))
        #expect(handled4)
        let help = render().text
        #expect(
            help.contains("scatter: the next numeric knob across") && help.contains("scatter: the next numeric knob up")
        )
    }

    @Test func oneNumericKnobPlotsTheAccuracyUp() throws {
        let space = try SearchSpace(parsing: ["lr=log:-3,-1", "optimizer=choice:sgd,adam"])
        var screen = RandomSearchScreen(search: try Self.search(space, trials: 3))
        screen.snapshot.trials = [0.001, 0.01, 0.1].enumerated().map { k, lr in
            let p: [SearchKnob: SearchValue] = [.learningRate: .number(lr), .optimizer: .choice("sgd")]
            return Self.trial(k, round: 1, p, val: Self.accuracy(p))
        }
        #expect(screen.render(width: 120, height: 36, glyphs: .braille).text.contains("lr × val acc"))
        let handled5 = screen.handle(.character("y"))
        #expect(handled5)
        #expect(screen.notice == "one numeric knob: up is the validation accuracy")
    }

    /// Both searches side by side, from fixed trials: the grid's four columns of dots against the
    /// random search's sixteen, the line that counts them, the marks of the lr values each tried.
    @Test func gridVsRandomSnapshot() throws {
        let data = try SessionTests.dataset().restricted(trainSize: nil, validationFraction: 0.2, seed: 1)
        let comparison = GridVsRandom(dataset: data, base: Self.base, space: GridVsRandom.defaultSpace, trials: 16)
        var screen = GridVsRandomScreen(comparison: comparison)
        var g = SeededGenerator(seed: 0, stream: "random-search/round 2")
        let grid = comparison.grid.enumerated().map { k, p in Self.trial(k, round: 1, p, val: Self.accuracy(p)) }
        let random = (0..<16).map { k in
            let p = comparison.space.point { Double(g.nextUniform()) }
            // The last two still training: grey, no accuracy yet.
            return Self.trial(16 + k, round: 2, p, val: k >= 14 ? nil : Self.accuracy(p))
        }
        screen.snapshot.round = 2
        screen.snapshot.running = true
        screen.snapshot.trials = grid + random
        let buffer = screen.render(width: 120, height: 36, glyphs: .braille)
        try DashboardSnapshotTests.check(buffer, "grid-vs-random-120x36")
        let text = buffer.text
        let verdict = screen.verdict
        #expect(verdict.grid.distinctImportant == 4 && verdict.random.distinctImportant == 16)
        #expect(text.contains("random tried 16 distinct lr values, grid 4 · best val: grid "))
        #expect(text.contains("grid 4×4: lr × weight decay") && text.contains("random, 16 draws: lr × weight decay"))
        #expect(text.contains("4 lr") && text.contains("16 lr"), "the marks of the lr values tried")
        #expect(text.contains("grid 16/16 done") && text.contains("random 14/16 done"))
        // Grid: 16 dots in 4 columns of 4 (lr across), each column one colour (wd does not matter here).
        let markers = (0..<buffer.height).flatMap { y in
            (0..<buffer.width / 2).compactMap { x in buffer[x, y].character == "●" ? (x, buffer[x, y].style) : nil }
        }
        #expect(markers.count == 16 && Set(markers.map(\.0)).count == 4, "\(markers.map(\.0))")
        for column in Set(markers.map(\.0)) {
            #expect(Set(markers.filter { $0.0 == column }.map(\.1.foreground)).count == 1)
        }
        let ascii = screen.render(width: 120, height: 36, glyphs: .ascii)
        #expect(ascii.text.unicodeScalars.allSatisfy { $0.isASCII }, "ASCII mode draws ASCII only")
    }
}
