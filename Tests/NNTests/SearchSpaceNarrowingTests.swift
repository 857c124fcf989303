import Foundation
import Testing

@testable import NN

/// Coarse to fine: each numeric knob drawn in around the best trials' values, a margin wider, in
/// its own scale and within what the knob accepts; and a draw per knob from one uniform, in E9's
/// order.
@Suite struct SearchSpaceNarrowingTests {
    static func point(_ pairs: (SearchKnob, SearchValue)...) -> [SearchKnob: SearchValue] {
        Dictionary(uniqueKeysWithValues: pairs)
    }

    static func bounds(_ space: SearchSpace, _ knob: SearchKnob) -> ClosedRange<Double>? {
        space.dimension(of: knob)?.coordinateBounds
    }

    static func near(_ a: ClosedRange<Double>?, _ lo: Double, _ hi: Double) -> Bool {
        guard let a else { return false }
        return abs(a.lowerBound - lo) < 1e-9 && abs(a.upperBound - hi) < 1e-9
    }

    @Test func logKnobsNarrowInTheirExponentAQuarterDecadeWider() throws {
        let points = [1e-3, 1e-2, 3e-3].map { Self.point((.learningRate, .number($0)), (.weightDecay, .number(1e-6))) }
        let narrowed = SearchSpace.book.narrowed(around: points)
        #expect(Self.near(Self.bounds(narrowed, .learningRate), -3.25, -1.75))
        #expect(Self.near(Self.bounds(narrowed, .weightDecay), -6.25, -5.75), "one value still leaves a range")
        // Past the space's own bounds is allowed (coarse to fine may move out), past what a spec takes is not.
        let edge = SearchSpace.book.narrowed(around: [1e-30, 1e29].map { Self.point((.learningRate, .number($0))) })
        #expect(Self.near(Self.bounds(edge, .learningRate), -30, 29.25))
    }

    @Test func oneMinusLogNarrowsInLog10OfOneMinusBetaAndStaysBelowOne() throws {
        let space = try SearchSpace(parsing: ["beta=one-minus-log:-3,-1"])
        let narrowed = space.narrowed(around: [0.99, 0.999].map { Self.point((.beta, .number($0))) })
        #expect(Self.near(Self.bounds(narrowed, .beta), -3.25, -1.75))
        // β = 0.3: r = log10(0.7) ≈ −0.15; a quarter decade up would pass 0 (β ≤ 0): half-way to 0 instead.
        let high = space.narrowed(around: [0.3, 0.9].map { Self.point((.beta, .number($0))) })
        let r = log10(0.7)
        #expect(Self.near(Self.bounds(high, .beta), -1.25, r / 2))
    }

    @Test func uniformAndIntKnobsNarrowInValueAShareOfTheirWidthWider() throws {
        let space = try SearchSpace(parsing: ["dropout=uniform:0,0.8", "units=int:50,150", "layers=int:1,5"])
        let points = [
            Self.point((.dropout, .number(0.3)), (.units, .integer(80)), (.layers, .integer(2))),
            Self.point((.dropout, .number(0.4)), (.units, .integer(100)), (.layers, .integer(2))),
        ]
        let narrowed = space.narrowed(around: points)
        // 0.25 × 0.8 = 0.2 each side; 0.25 × 100 = 25 units; 0.25 × 4 = 1 layer.
        #expect(Self.near(Self.bounds(narrowed, .dropout), 0.1, 0.6))
        #expect(narrowed.dimension(of: .units) == .integer(low: 55, high: 125))
        #expect(narrowed.dimension(of: .layers) == .integer(low: 1, high: 3))
    }

    @Test func narrowingKeepsEachKnobToWhatItAccepts() throws {
        let space = try SearchSpace(parsing: [
            "dropout=uniform:0,0.9", "layers=int:1,20", "lr=uniform:0.001,1", "wd=uniform:0,0.1",
        ])
        let points = [
            Self.point(
                (.dropout, .number(0.85)), (.layers, .integer(20)), (.learningRate, .number(0.01)),
                (.weightDecay, .number(0.001))),
            Self.point(
                (.dropout, .number(0.8)), (.layers, .integer(19)), (.learningRate, .number(0.02)),
                (.weightDecay, .number(0))),
        ]
        let narrowed = space.narrowed(around: points)
        let dropout = try #require(Self.bounds(narrowed, .dropout))
        #expect(dropout.upperBound < 1 && abs(dropout.upperBound - (0.85 + 1) / 2) < 1e-12, "a ratio stays below 1")
        #expect(narrowed.dimension(of: .layers) == .integer(low: 15, high: 20), "at most 20 hidden layers")
        let lr = try #require(Self.bounds(narrowed, .learningRate))
        #expect(lr.lowerBound > 0 && abs(lr.lowerBound - 0.005) < 1e-12, "a rate stays positive")
        #expect(Self.bounds(narrowed, .weightDecay)?.lowerBound == 0, "a weight decay stays ≥ 0")
        // Every narrowed space is one a spec could give: it reads back from its own words.
        #expect(try SearchSpace(parsing: narrowed.specs).specs == narrowed.specs)
    }

    @Test func choicesAndAbsentKnobsStayAsTheyAre() throws {
        let space = try SearchSpace(parsing: ["optimizer=choice:sgd,adam", "lr=log:-4,0", "units=int:10,20"])
        let narrowed = space.narrowed(around: [
            Self.point((.optimizer, .choice("adam")), (.learningRate, .number(0.01))),
            Self.point((.optimizer, .choice("adam")), (.learningRate, .number(0.1))),
        ])
        #expect(narrowed.dimension(of: .optimizer) == .choice(["sgd", "adam"]))
        #expect(narrowed.dimension(of: .units) == .integer(low: 10, high: 20))
        #expect(Self.near(Self.bounds(narrowed, .learningRate), -2.25, -0.75))
        #expect(space.narrowed(around: []) == space)
    }

    /// E9's script draws `10^(low + u·(high − low))` from one Float uniform, weight decay first.
    @Test func theBooksSpaceDrawsWhatE9sScriptDraws() {
        var g = SeededGenerator(seed: 0, stream: "random-search/round 1")
        var old = g
        for _ in 0..<50 {
            let p = SearchSpace.book.point { Double(g.nextUniform()) }
            let wd = pow(10, -8 + Double(old.nextUniform()) * 4)
            let lr = pow(10, -6 + Double(old.nextUniform()) * 4)
            #expect(p[.learningRate] == .number(lr) && p[.weightDecay] == .number(wd))
        }
        #expect(SearchSpace.book.drawOrder.map(\.knob) == [.weightDecay, .learningRate])
    }

    @Test func aUnitDrawCoversEveryWholeNumberAndOptionEvenly() throws {
        let layers = try SearchDimension(spec: "int:2,4")
        #expect(
            [0, 0.33, 0.34, 0.66, 0.67, 0.999, 1].map { layers.value(atUnit: $0) }.map(\.number) == [
                2, 2, 3, 3, 4, 4, 4,
            ])
        let optimizer = try SearchDimension(spec: "choice:sgd,adam")
        #expect(optimizer.value(atUnit: 0.49) == .choice("sgd") && optimizer.value(atUnit: 0.5) == .choice("adam"))
        #expect(optimizer.value(atUnit: .nan) == .choice("sgd"), "a bad draw stays in range")
        let beta = try SearchDimension(spec: "one-minus-log:-3,-1")
        #expect(beta.coordinate(of: beta.value(atUnit: 0.5)).map { abs($0 + 2) < 1e-12 } == true)
    }

    @Test func aTrialsValuesAreTheConfigurationsOwn() {
        let point: [SearchKnob: SearchValue] = [.learningRate: .number(0.1234567891), .beta: .number(0.95)]
        let sgd = SearchSpace.applicable(point, to: TrainingConfig(optimizer: .sgd))
        #expect(sgd[.beta] == nil, "SGD has no β: the trial does not claim one")
        #expect(sgd[.learningRate] == .number(Double(Float(0.1234567891))))
        let momentum = SearchSpace.applicable(point, to: TrainingConfig(optimizer: .momentum))
        let c = SearchSpace.apply(momentum, to: TrainingConfig(optimizer: .momentum))
        #expect(momentum[.beta] == .number(Double(c.optimizerParameters.momentum)))
        #expect(momentum[.learningRate] == .number(Double(c.learningRate!)))
    }

    @Test func aSpecFileErrorNamesItsLine() {
        #expect(throws: SearchError("line 3: 'lr=log:0,-4': low must be below high, got 0 and -4")) {
            try SearchSpace(specText: "# a space\nwd=log:-8,-4\nlr=log:0,-4 # wrong way round\n")
        }
    }
}
