import Foundation
import NN
import Testing

@testable import dlboard

/// `preset population` on a real terminal (tmux): the lineage strip's cells are drawn in the
/// palette colour of each member's lr, every exploit of the record shows as "←donor" in its
/// member's row at its generation, and `r` replays the best member's schedule as one run. Needs tmux.
@Suite(.serialized) struct PopulationTmuxTests {
    typealias Tmux = TmuxEndToEndTests.Tmux

    @Test func theLineageStripShowsLrColoursAndExploitArrows() throws {
        try #require(Tmux.path != nil, "tmux is not installed")
        let t = Tmux()
        defer { t.kill() }
        let log = NSTemporaryDirectory() + "dlboard-population-tmux-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: log) }
        t.start(
            width: 120, height: 40,
            command: TmuxEndToEndTests().dlboard(
                "preset population --members 4 --epochs 6 --train-size 500 --seed 5 --metrics-out '\(log)'",
                environment: ""))
        t.waitFor("preset population (PBT)")
        t.waitFor("done: r replays the best schedule", seconds: 90)
        let capture = StyledCapture(t.run(["capture-pane", "-e", "-p", "-t", t.session]))
        let top = try #require(capture.rows.indices.first { capture.text($0).hasPrefix("lineage by generation") })
        #expect(capture.text(top + 5).hasPrefix("lr 1e-3 "), "the legend under the four rows")
        // The legend's palette, every colour of it, left to right.
        let legend = capture.rows[top + 5].compactMap(\.foreground).filter { $0.hasPrefix("38;5;") }
        var seen: [String] = []
        for c in legend where seen.last != c { seen.append(c) }
        #expect(seen == LineageStripView.palette.map { "38;5;\($0)" })
        t.keys("r")
        t.waitFor("losses bit-identical", seconds: 60)
        t.keys("q")
        t.waitFor("Quit dlboard?")
        t.keys("q")
        t.waitFor("EXIT=0")

        // Against the record: 5 generations, one exploit each.
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        let decoded = lines.compactMap { try? JSONDecoder().decode(DecodedRecord.self, from: Data($0.utf8)) }
        let exploits = decoded.compactMap { if case .exploit(let e) = $0 { e } else { nil } }
        let record = try RunRecordReader.read(path: log)
        #expect(exploits.map(\.generation) == [1, 2, 3, 4, 5])
        #expect(decoded.contains { if case .report(let r) = $0 { r.line.contains("bit-identical") } else { false } })
        let cell = LineageStripView.cellWidth
        for e in exploits {
            let row = capture.text(top + 1 + e.member)
            #expect(row.hasPrefix("m\(e.member + 1)"))
            let x = LineageStripView.labelWidth + e.generation * cell
            // tmux leaves out a line's trailing blanks.
            let chars = Array(row) + Array(repeating: " ", count: x + cell)
            let text = String(chars[x..<(x + cell)]).trimmingCharacters(in: .whitespaces)
            #expect(text == "←\(e.donor + 1)", "generation \(e.generation), m\(e.member + 1): '\(row)'")
        }
        // Column 0: each member's drawn lr in its palette colour (the screen's range: the space's
        // lr bounds widened to every member's lr at the end).
        func lr(_ run: RunRecord.RecordedRun) -> Float {
            run.events.last { $0.event.kind == .learningRate }?.event.to.flatMap(Float.init)
                ?? run.config.effectiveLearningRate
        }
        let members = record.runs.map {
            Population.Member(
                id: $0.id, values: [:], initialLearningRate: 0, initialWeightDecay: 0, learningRate: lr($0),
                weightDecay: 0)
        }
        let range = PopulationScreen.logRange(
            PresetCommand.populationSpace.dimension(of: .learningRate), members: members)
        for run in record.runs {
            let expected = LineageStripView.color(learningRate: run.config.effectiveLearningRate, logRange: range)
            guard case .palette(let p) = expected else { continue }
            let drawn = capture.rows[top + 1 + run.id][LineageStripView.labelWidth].foreground
            #expect(drawn == "38;5;\(p)", "m\(run.id + 1) at lr \(run.config.effectiveLearningRate)")
        }
    }
}
