import NN
import Testing

/// Each optimizer parameter set away from the book's value, against updates computed by hand from
/// the book's rules for a 2-parameter example over two steps.
///
/// p = [1, −2]; g₁ = [0.5, −1], g₂ = [0.1, 0.3]; lr = 0.1. Worked for element 0:
/// - Momentum β 0.5: v = −0.05, p = 0.95; v = 0.5·(−0.05) − 0.01 = −0.035, p = 0.915 (0.895 at 0.9).
/// - Nesterov β 0.5: p = 1 − 1.5·0.1·0.5 = 0.925, v = −0.05; p += 0.25·(−0.05), p −= 0.15·0.1 → 0.8975.
/// - AdaGrad ε 0.1: h = 0.25, p = 1 − 0.05/(0.5 + 0.1) = 0.9166667; h = 0.26, p −= 0.01/(√0.26 + 0.1).
/// - RMSprop ρ 0.9: h = 0.1·0.25 = 0.025, p = 1 − 0.05/(0.1581139 + 1e-7) = 0.6837724 (2e-6 at 0.99).
/// - RMSprop ε 0.01: h = 0.0025, p = 1 − 0.05/(0.05 + 0.01) = 0.1666667.
/// - Adam ε 0.01: lr₁ = 0.1·√0.001/0.1, m = 0.05, v = 0.00025, p = 1 − lr₁·0.05/(0.0158114 + 0.01) = 0.9387426.
/// - Adam β1 0.5: lr₂ = 0.1·√(1 − 0.999²)/(1 − 0.25), m₂ = 0.5·0.25 + 0.5·0.1 = 0.3 … → 0.8352711.
/// - Adam β2 0.9: lr₂ = 0.1·√(1 − 0.81)/(1 − 0.81), v₂ = 0.9·0.025 + 0.1·0.01 … → 0.8176902.
@Suite struct OptimizerParameterTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var kind: OptimizerKind
        var parameters: OptimizerParameters
        var expected: [[Float]]
        var testDescription: String { "\(kind.displayName) \(parameters)" }
    }

    static let cases: [Case] = [
        Case(kind: .momentum, parameters: .init(momentum: 0.5), expected: [[0.95, -1.9], [0.915, -1.88]]),
        Case(kind: .nesterov, parameters: .init(momentum: 0.5), expected: [[0.925, -1.85], [0.8975, -1.87]]),
        Case(
            kind: .adagrad, parameters: .init(epsilon: 0.1),
            expected: [[0.9166667, -1.9090909], [0.9002706, -1.935314]]),
        Case(
            kind: .rmsprop, parameters: .init(rho: 0.9), expected: [[0.6837724, -1.6837723], [0.6185397, -1.7791186]]),
        Case(
            kind: .rmsprop, parameters: .init(epsilon: 0.01),
            expected: [[0.1666667, -1.0909091], [0.0020426, -1.3542447]]),
        Case(
            kind: .adam, parameters: .init(beta1: 0.5), expected: [[0.9000006, -1.9000003], [0.8352711, -1.8819357]]),
        Case(kind: .adam, parameters: .init(beta2: 0.9), expected: [[0.9000001, -1.9], [0.8176902, -1.8562522]]),
        Case(
            kind: .adam, parameters: .init(epsilon: 0.01),
            expected: [[0.9387426, -1.9240253], [0.8891866, -1.8911904]]),
    ]

    @Test(arguments: cases)
    func twoStepsMatchHandComputedValues(_ c: Case) {
        let p = Parameter(name: "W1", value: Matrix(row: [1, -2]), isDecayed: true)
        let optimizer = c.kind.make(learningRate: 0.1, parameters: c.parameters)
        for (step, g) in [[Float(0.5), -1], [0.1, 0.3]].enumerated() {
            for (i, v) in g.enumerated() { p.gradient.pointer[i] = v }
            optimizer.update([p])
            for i in 0..<2 {
                #expect(
                    abs(p.value.pointer[i] - c.expected[step][i]) < 3e-6,
                    "step \(step + 1) element \(i): \(p.value.pointer[i]) vs \(c.expected[step][i])")
            }
        }
    }

    /// The bowl inset walks with the run's parameters: Momentum with β 0 is plain SGD.
    ///
    /// Equal up to rounding, not bit for bit: SGD's step is OpenBLAS's saxpy, which rounds
    /// W − lr·g once where its kernel fuses the multiply-add (Haswell and wider), while Momentum
    /// rounds v = −lr·g first and then W + v.
    @Test func theBowlPathTakesTheParameters() {
        let sgd = OptimizerPaths.path(.sgd, learningRate: 0.9)
        let still = OptimizerPaths.path(.momentum, learningRate: 0.9, parameters: .init(momentum: 0))
        let book = OptimizerPaths.path(.momentum, learningRate: 0.9)
        func largestGap(_ a: [(x: Float, y: Float)], _ b: [(x: Float, y: Float)]) -> Float {
            zip(a, b).map { max(abs($0.x - $1.x), abs($0.y - $1.y)) }.max() ?? .infinity
        }
        #expect(sgd.count == 30 && still.count == 30 && book.count == 30)
        #expect(largestGap(sgd, still) < 1e-4, "β 0 strays from SGD by \(largestGap(sgd, still))")
        #expect(largestGap(sgd, book) > 0.5, "β 0.9 walks SGD's path")
    }

    @Test func theDefaultsAreTheBooks() {
        let book = OptimizerParameters.book
        #expect(book.momentum == 0.9 && book.beta1 == 0.9 && book.beta2 == 0.999)
        #expect(book.rho == 0.99 && book.epsilon == 1e-7)
        #expect(TrainingConfig().optimizerParameters == book)
    }

    /// A trainer gives every optimizer it makes the configured parameters: the first, and one
    /// switched to later.
    @Test func theTrainersOptimizersGetTheConfiguredParameters() throws {
        var config = Synthetic.config(optimizer: .momentum)
        config.optimizerParameters = OptimizerParameters(
            momentum: 0.5, beta1: 0.8, beta2: 0.95, rho: 0.9, epsilon: 1e-3)
        let trainer = Trainer(config: config, data: Synthetic.dataset())
        #expect((trainer.optimizer as? Momentum)?.momentum == 0.5)
        trainer.setOptimizer(.adam)
        let adam = try #require(trainer.optimizer as? Adam)
        #expect(adam.beta1 == 0.8 && adam.beta2 == 0.95 && adam.epsilon == 1e-3)
        trainer.setOptimizer(.rmsprop)
        let rmsprop = try #require(trainer.optimizer as? RMSprop)
        #expect(rmsprop.decay == 0.9 && rmsprop.epsilon == 1e-3)
        #expect(trainer.config.optimizerParameters == config.optimizerParameters)
    }

    @Test func outOfRangeValuesAreRefusedByName() {
        let bad: [(OptimizerParameters, ConfigError.Setting)] = [
            (.init(momentum: 1), .momentum), (.init(momentum: -0.1), .momentum), (.init(beta1: 1), .beta1),
            (.init(beta2: .nan), .beta2), (.init(rho: 1.5), .rho), (.init(epsilon: 0), .epsilon),
            (.init(epsilon: .infinity), .epsilon),
        ]
        for (p, setting) in bad {
            #expect(throws: ConfigError.self) { try p.validate() }
            #expect((try? p.validate()) == nil)
            do { try p.validate() } catch { #expect(error.setting == setting, "\(p)") }
        }
        #expect((try? OptimizerParameters(momentum: 0, beta1: 0, beta2: 0.5, rho: 0, epsilon: 1e-12).validate()) != nil)
    }
}
