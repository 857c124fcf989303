import Foundation
import Testing

@testable import NN

/// The course's scales: β = 1 − 10^r spends as many trials on 0.99…0.999 as on 0.9…0.99, whole
/// numbers reach both ends, and a space that cannot be drawn from is refused in one line.
@Suite struct SearchSpaceTests {
    @Test func oneMinusBetaIsLogUniformBetweenOneThousandthAndOneTenth() throws {
        let space = try SearchSpace(parsing: ["beta=one-minus-log:-3,-1"])
        var g = SeededGenerator(seed: 7, stream: "test")
        let betas = (0..<10_000).map { _ in space.sample(using: &g)[.beta]!.number! }
        let exponents = betas.map { log10(1 - $0) }.sorted()
        #expect(exponents.first! >= -3 && exponents.last! < -1)
        // Kolmogorov–Smirnov against U(−3, −1): the largest gap between the empirical and the
        // uniform distribution function. 0.0163 is the 1 % critical value for n = 10,000.
        let n = Double(exponents.count)
        let ks = exponents.enumerated().map { i, e in
            let f = (e + 3) / 2
            return max(abs(Double(i + 1) / n - f), abs(Double(i) / n - f))
        }.max()!
        #expect(ks < 0.0163, "KS distance \(ks)")
        // Half the draws above 0.99: a β drawn uniformly in [0.9, 0.999] would put only a tenth there.
        let high = Double(betas.filter { $0 > 0.99 }.count) / n
        #expect(abs(high - 0.5) < 0.02, "share of β > 0.99: \(high)")
    }

    @Test func aLearningRateIsLogUniformToo() throws {
        let space = try SearchSpace(parsing: ["lr=log:-4,0"])
        var g = SeededGenerator(seed: 1)
        let rates = (0..<4_000).map { _ in space.sample(using: &g)[.learningRate]!.number! }
        for decade in -4..<0 {
            let share =
                Double(rates.filter { log10($0) >= Double(decade) && log10($0) < Double(decade + 1) }.count) / 4_000
            #expect(abs(share - 0.25) < 0.03, "decade 1e\(decade): \(share)")
        }
    }

    @Test func wholeNumberKnobsReachBothBounds() throws {
        let space = try SearchSpace(parsing: ["layers=int:2,4", "units=int:50,100", "batch=choice:32,64,128"])
        var g = SeededGenerator(seed: 3)
        var layers = Set<Int>()
        var units = Set<Int>()
        var batches = Set<String>()
        for _ in 0..<2_000 {
            let p = space.sample(using: &g)
            if case .integer(let l)? = p[.layers] { layers.insert(l) }
            if case .integer(let u)? = p[.units] { units.insert(u) }
            if case .choice(let b)? = p[.batchSize] { batches.insert(b) }
        }
        #expect(layers == [2, 3, 4])
        #expect(units.min() == 50 && units.max() == 100 && units.count == 51)
        #expect(batches == ["32", "64", "128"])
    }

    @Test func aTrialsValuesGoIntoItsConfiguration() throws {
        let point: [SearchKnob: SearchValue] = [
            .learningRate: .number(0.003), .beta: .number(0.95), .layers: .integer(3), .units: .integer(64),
            .optimizer: .choice("adam"), .batchSize: .choice("32"), .activation: .choice("tanh"),
            .weightDecay: .number(1e-5),
        ]
        let c = SearchSpace.apply(point, to: TrainingConfig())
        #expect(c.optimizer == .adam && c.learningRate == 0.003 && c.optimizerParameters.beta1 == 0.95)
        #expect(c.network.hidden == [64, 64, 64] && c.batchSize == 32 && c.network.activation == .tanh)
        #expect(c.network.weightDecay == Float(1e-5))
        let momentum = SearchSpace.apply(
            [.beta: .number(0.8), .units: .integer(20)], to: TrainingConfig(optimizer: .momentum))
        #expect(momentum.optimizerParameters.momentum == 0.8 && momentum.network.hidden == [20, 20, 20, 20])
        let sgd = SearchSpace.apply([.beta: .number(0.8)], to: TrainingConfig())
        #expect(sgd.optimizerParameters == .book, "SGD has no β to set")
    }

    @Test func theBooksSpaceIsE9s() {
        #expect(SearchSpace.book.specs == ["lr=log:-6,-2", "wd=log:-8,-4"])
    }

    @Test func aSpecFileReadsLikeTheFlags() throws {
        let text = "# the course's space\nlr=log:-4,0   beta=one-minus-log:-3,-1\n\n layers=int:2,4 # depth\n"
        let space = try SearchSpace(specText: text)
        #expect(space.specs == ["lr=log:-4,0", "beta=one-minus-log:-3,-1", "layers=int:2,4"])
        #expect(try SearchSpace(parsing: space.specs) == space)
    }

    @Test func aGridSpreadsEvenlyInTheKnobsScale() throws {
        let lr = try SearchDimension(spec: "log:-4,0").grid(5).map { log10($0.number!) }
        #expect(lr.map { ($0 * 1e9).rounded() / 1e9 } == [-4, -3, -2, -1, 0])
        #expect(try SearchDimension(spec: "int:2,4").grid(5) == [.integer(2), .integer(3), .integer(4)])
        #expect(try SearchDimension(spec: "choice:a,b").grid(9) == [.choice("a"), .choice("b")])
    }

    @Test(arguments: [
        ("lr=log:-4", "'lr=log:-4': log needs two numbers low,high"),
        ("lr=log:0,-4", "'lr=log:0,-4': low must be below high, got 0 and -4"),
        ("beta=one-minus-log:-3,1", "'beta=one-minus-log:-3,1': 1 − 10^r is below 1 only for r < 0, got high 1"),
        ("units=int:50.5,100", "'units=int:50.5,100': int needs two whole numbers low,high"),
        ("layers=int:0,4", "'layers=int:0,4': the number of hidden layers must be within 1…20"),
        (
            "depth=int:2,4",
            "'depth=int:2,4': unknown knob 'depth' (lr, wd, beta, batch, layers, units, dropout, activation, optimizer)"
        ),
        ("lr", "'lr' is not knob=scale:bounds (e.g. lr=log:-4,0)"),
        ("lr=gauss:0,1", "'lr=gauss:0,1': unknown scale 'gauss' (log, one-minus-log, uniform, int, choice)"),
        ("optimizer=choice:sgd,lion", "'optimizer=choice:sgd,lion': unknown optimizer 'lion'"),
        ("lr=log:nan,0", "'lr=log:nan,0': log needs two numbers low,high"),
        ("lr=log:-400,0", "'lr=log:-400,0': exponents must be within -30…30, got -400,0"),
        ("beta=log:-3,-1", "'beta=log:-3,-1': beta takes one-minus-log:A,B or uniform within [0, 1)"),
    ])
    func aBadEntryIsOneClearLine(entry: String, message: String) {
        #expect(throws: SearchError(message)) { try SearchSpace(parsing: [entry]) }
        #expect(!message.contains("\n"))
    }

    @Test func aKnobGivenTwiceIsRefused() {
        #expect(throws: SearchError("'lr' is given twice")) {
            try SearchSpace(parsing: ["lr=log:-4,0", "lr=log:-3,0"])
        }
    }
}
