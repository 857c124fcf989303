import NN
import Testing

@testable import dlboard

/// The hints beside the layers' verdicts: the right keys, and one line on any screen of 100 columns.
@Suite struct LayerHintTests {
    /// The keys a hint names: each "(k)" and a closing "try k", read back through the key table.
    static func actions(in line: String) -> [Action] {
        var keys: [String] = []
        var rest = Substring(line)
        while let open = rest.firstIndex(of: "("), let close = rest[open...].firstIndex(of: ")") {
            keys.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        if let tail = line.components(separatedBy: "— try ").last, tail != line { keys.append(tail) }
        return keys.compactMap { k in k.count == 1 ? KeyMap.action(for: .character(k.first!)) : nil }
    }

    static let realistic: [(LayerVerdict, [Action])] = [
        (.symmetric(units: 100, distinct: 1), [.nextInitializer]),
        (.symmetric(units: 1000, distinct: 100), [.nextInitializer]),
        (.learningRateTooHigh(log10UpdateRatio: -0.9), [.learningRateDown]),
        (.learningRateTooHigh(log10UpdateRatio: 12.1), [.learningRateDown]),
        (.learningRateTooHigh(log10UpdateRatio: .infinity), [.learningRateDown]),
        (.learningRateTooHigh(log10UpdateRatio: .nan), [.learningRateDown]),
        (.learningRateTooLow(log10UpdateRatio: -5.6), [.learningRateUp]),
        (.learningRateTooLow(log10UpdateRatio: -11.98), [.learningRateUp]),
        (.vanishing(log10SignalRatio: -8.4), [.nextInitializer, .cycleNormalization]),
        (.vanishing(log10SignalRatio: -.infinity), [.nextInitializer, .cycleNormalization]),
        (.exploding(log10SignalRatio: 19.6), [.nextInitializer, .cycleNormalization]),
        (.exploding(log10SignalRatio: .infinity), [.nextInitializer, .cycleNormalization]),
        (.dead(fraction: 1), [.learningRateDown, .nextActivation]),
        (.dead(fraction: 0.51), [.learningRateDown, .nextActivation]),
    ]

    @Test func everyHintNamesTheKeysThatHelp() throws {
        for (verdict, expected) in Self.realistic {
            let line = try #require(LayerHint.line(layer: 3, verdict: verdict))
            #expect(Self.actions(in: line) == expected, "\(line)")
            #expect(line.hasPrefix("layer 3"), "\(line)")
        }
        #expect(LayerHint.line(layer: 1, verdict: .healthy) == nil)
    }

    @Test func hintsFitInOneHundredColumns() throws {
        for (verdict, _) in Self.realistic {
            for layer in [1, 9] {
                let line = try #require(LayerHint.line(layer: layer, verdict: verdict))
                // One cell per character, as `Buffer.put` writes it (no wide characters in a hint).
                let columns = line.count
                #expect(columns <= 100, "\(columns) columns: \(line)")
            }
        }
    }

    /// The short forms, for a comparison pane at 80 columns (38 inside its frame): every verdict
    /// fits with its remedy's keys, for layers up to 99.
    @Test func shortFormsFitThirtyEightColumnsWithTheirKeys() throws {
        for (verdict, expected) in Self.realistic {
            for layer in [1, 9, 10, 99] {
                let short = try #require(LayerHint.short(layer: layer, verdict: verdict))
                #expect(short.count <= 38, "\(short.count) columns: \(short)")
                #expect(short.hasPrefix("L\(layer) "), "\(short)")
                let tail = short.components(separatedBy: ": try ").dropFirst().first
                let keys =
                    Self.actions(in: short)
                    + (tail.flatMap { $0.first.flatMap { KeyMap.action(for: .character($0)) } }.map { [$0] } ?? [])
                #expect(keys == expected, "\(short)")
            }
        }
        #expect(
            LayerHint.short(layer: 4, verdict: .learningRateTooHigh(log10UpdateRatio: -0.7))
                == "L4 lr too high (10^-0.7): try -")
        #expect(
            LayerHint.short(layer: 1, verdict: .vanishing(log10SignalRatio: -5))
                == "L1 vanishing: He/Xavier (i), BN (b)")
        #expect(LayerHint.short(layer: 1, verdict: .healthy) == nil)
    }

    @Test func hintsSayWhatTheNumbersAre() {
        #expect(
            LayerHint.line(layer: 3, verdict: .learningRateTooHigh(log10UpdateRatio: -1.06))
                == "layer 3 updates are 10^-1.1 of its weights: the learning rate is too high for it — try -")
        #expect(
            LayerHint.line(layer: 2, verdict: .symmetric(units: 100, distinct: 1))?.hasPrefix(
                "layer 2: 100 units, 1 distinct") == true)
        #expect(
            LayerHint.line(layer: 1, verdict: .vanishing(log10SignalRatio: -5.16))?.hasPrefix(
                "layer 1's gradient is 10^-5.2 of the output layer's: it vanished") == true)
        #expect(LayerHint.line(layer: 4, verdict: .dead(fraction: 0.894))?.contains("89 % of its ReLU units") == true)
        #expect(LayerHint.line(layer: 1, verdict: .exploding(log10SignalRatio: .infinity))?.contains("10^∞") == true)
    }

    /// A diverging step's NaN update is written as NaN, not as "-∞" (which would read as no update).
    @Test func aNaNRatioReadsNaN() {
        let line = LayerHint.line(layer: 2, verdict: .learningRateTooHigh(log10UpdateRatio: .nan)) ?? ""
        #expect(line.contains("10^NaN") && !line.contains("∞"), "\(line)")
    }
}
