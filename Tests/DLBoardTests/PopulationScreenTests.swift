import Foundation
import NN
import TUI
import Testing

@testable import dlboard

/// The population screen and its lineage strip, drawn from a fixed snapshot (made-up numbers, no
/// training, so the pictures do not depend on the machine's arithmetic); snapshots with styles.
@Suite struct PopulationScreenTests {
    /// 8 members, 6 generations of 10 steps; m1 … m8 start at lr 10^(−3 + 3k/7).
    static func snapshot() -> Population.Snapshot {
        var s = Population.Snapshot()
        let n = 8
        s.stepsPerEpoch = 10
        s.totalSteps = 60
        s.step = 60
        s.finished = true
        let lrs = (0..<n).map { Float(pow(10, -3 + 3 * Double($0) / 7)) }
        s.members = (0..<n).map { k in
            var m = Population.Member(
                id: k, values: [:], initialLearningRate: lrs[k], initialWeightDecay: 1e-4, learningRate: lrs[k],
                weightDecay: 1e-4)
            m.losses = (1...60).map { ($0, Float(2.3 * exp(-Double($0) * (0.01 + 0.006 * Double(k))) + 0.05)) }
            m.evaluations = (1...6).map { e in
                SessionOutput.Evaluation(
                    step: e * 10, epoch: e, trainAccuracy: 0.5, testAccuracy: nil,
                    validationAccuracy: min(0.95, 0.1 + 0.02 * Double(k * e)), trainSeconds: 0.1, samplesPerSecond: 1000
                )
            }
            return m
        }
        var learning = lrs
        s.generations = [
            .init(
                number: 0, step: 0, scores: lrs.map { _ in .nan }, learningRates: learning,
                weightDecays: lrs.map { _ in 1e-4 }, donors: lrs.map { _ in nil })
        ]
        // Each generation, the two lowest members copy m8 / m7 alternately and take ×1.2 / ×0.8.
        for g in 1...5 {
            let step = g * 10
            var donors: [Int?] = Array(repeating: nil, count: n)
            let pairs = [((g - 1) % 3, 7), ((g - 1) % 3 + 3, 6)]
            for (member, donor) in pairs {
                let factor = member % 2 == 0 ? 1.2 : 0.8
                let to = Float(Double(learning[donor]) * factor)
                s.exploits.append(
                    .init(
                        step: step, generation: g, member: member, donor: donor, score: 0.2, donorScore: 0.9,
                        learningRateFrom: learning[donor], learningRateTo: to, learningRateFactor: factor,
                        weightDecayFrom: 1e-4, weightDecayTo: 1e-4, weightDecayFactor: 1, digest: StateDigest(),
                        donorDigest: StateDigest()))
                s.members[member].events += [
                    .init(step: step, label: "←\(donor + 1)", kind: .exploit, from: String(donor)),
                    .init(step: step, label: "lr", kind: .learningRate, from: "\(learning[donor])", to: "\(to)"),
                ]
                learning[member] = to
                s.members[member].learningRate = to
                donors[member] = donor
            }
            s.generations.append(
                .init(
                    number: g, step: step, scores: s.members.map { _ in 0.5 }, learningRates: learning,
                    weightDecays: lrs.map { _ in 1e-4 }, donors: donors))
        }
        // m1's last evaluation beats every other: its lineage runs through m8 (it copied m8 at 40).
        s.members[0].evaluations[5].validationAccuracy = 0.97
        return s
    }

    static func screen() throws -> PopulationScreen {
        let data = try SessionTests.dataset().restricted(trainSize: nil, validationFraction: 0.2, seed: 1)
        let p = Population(
            dataset: data, base: PopulationTests.base(),
            settings: .init(
                members: 8, exploitEvery: nil, scheduler: try PopulationBasedTraining(),
                space: PresetCommand.populationSpace))
        var screen = PopulationScreen(population: p, description: "16-12-12-4 ReLU He + BatchNorm · Momentum")
        screen.snapshot = snapshot()
        return screen
    }

    @Test func theLineageStripColoursLrAndPointsAtDonors() throws {
        let s = Self.snapshot()
        let lineage = try #require(s.bestLineage)
        #expect(lineage.member == 0 && lineage.path == [7, 0], "m1's state came from m8 at step 40")
        var buffer = Buffer(width: 80, height: LineageStripView.height(members: 8))
        LineageStripView(generations: s.generations, lineage: lineage, logRange: -3...0).render(
            in: buffer.area, into: &buffer)
        // m1 (row 1) copied m8 in generations 1 and 4: "←8" in columns 1 and 4.
        let row1 = buffer.line(1)
        #expect(row1.hasPrefix("m1  "))
        #expect(row1.contains("←8"))
        // Cells are coloured by lr: m1 starts at 1e-3 (the palette's first colour), m8 at 1 (its last).
        let first = buffer[LineageStripView.labelWidth, 1].style
        let last = buffer[LineageStripView.labelWidth, 8].style
        #expect(first.foreground == .palette(LineageStripView.palette.first!) && first.reverse)
        #expect(last.foreground == .palette(LineageStripView.palette.last!))
        // The lineage: m8's cells up to generation 3 and m1's from 4 on are bold.
        let cell = { (g: Int, m: Int) in buffer[LineageStripView.labelWidth + g * LineageStripView.cellWidth, 1 + m] }
        #expect((0...3).allSatisfy { cell($0, 7).style.bold } && !cell(4, 7).style.bold)
        #expect((4...5).allSatisfy { cell($0, 0).style.bold } && !cell(3, 0).style.bold)
        #expect(
            buffer.line(9).hasPrefix("lr 1e-3 ") && buffer.line(9).contains(" 1 · generations 0 to 5 (steps 0 to 50)"))
        try DashboardSnapshotTests.check(buffer, "population-lineage-strip-80x10")
    }

    @Test(arguments: [(100, 32), (160, 48)])
    func theScreen(width: Int, height: Int) throws {
        let buffer = try Self.screen().render(width: width, height: height, glyphs: .braille)
        #expect(buffer.line(0).contains("generation 5") && buffer.line(0).contains("best m1 val 0.970"))
        try DashboardSnapshotTests.check(buffer, "population-\(width)x\(height)")
    }

    @Test func theScreenInAscii() throws {
        let buffer = try Self.screen().render(width: 100, height: 32, glyphs: .ascii)
        let ascii = buffer.text.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(ascii)
        try DashboardSnapshotTests.check(buffer, "population-100x32-ascii")
    }

    @Test func keys() throws {
        var screen = try Self.screen()
        #expect(screen.handle(.character("?")) && screen.showsOverlay)
        #expect(
            screen.render(width: 100, height: 32, glyphs: .braille).text.contains("replay the best member's schedule"))
        #expect(screen.handle(.character("x")) && !screen.showsOverlay, "any key closes the help")
        let handled = screen.handle(.character("x"))
        #expect(!handled, "x is no key of this screen")
    }
}
