import NN
import Testing

/// Each update rule against values computed by hand from the book's formulas, for three steps.
///
/// Start p = [1, −2, 0.5]; gradients g₁ = [0.5, −1, 2], g₂ = [0.1, 0.3, −0.4], g₃ = [−0.2, 0, 1];
/// lr = 0.1 for every optimizer; momentum 0.9, RMSprop decay 0.99, Adam b1 0.9, b2 0.999.
/// First steps, worked for element 0 (p = 1, g = 0.5):
/// - SGD:      1 − 0.1·0.5 = 0.95
/// - Momentum: v = −0.05, p = 0.95; then v = 0.9·(−0.05) − 0.1·0.1 = −0.055, p = 0.895
/// - Nesterov: p += 0.81·0 ; p −= 1.9·0.1·0.5 → 0.905
/// - AdaGrad:  h = 0.25, p −= 0.1·0.5/(0.5 + 1e-7) → 0.9 (+2e-7)
/// - RMSprop:  h = 0.01·0.25 = 0.0025, p −= 0.1·0.5/(0.05 + 1e-7) → 2e-6
/// - Adam:     lr_t = 0.1·√0.001/0.1 = 0.031623, m = 0.05, v = 0.00025, p −= lr_t·0.05/0.015811 → 0.9 (+6e-7)
/// Later steps follow the same arithmetic (tabulated below, 7 decimals).
@Suite struct OptimizerTests {
    static let start: [Float] = [1, -2, 0.5]
    static let gradients: [[Float]] = [[0.5, -1, 2], [0.1, 0.3, -0.4], [-0.2, 0, 1]]
    static let expected: [OptimizerKind: [[Float]]] = [
        .sgd: [[0.95, -1.9, 0.3], [0.94, -1.93, 0.34], [0.96, -1.93, 0.24]],
        .momentum: [[0.95, -1.9, 0.3], [0.895, -1.84, 0.16], [0.8655, -1.786, -0.066]],
        .nesterov: [[0.905, -1.81, 0.12], [0.8455, -1.786, 0.034], [0.83895, -1.7374, -0.2694]],
        .adagrad: [[0.9, -1.9, 0.4], [0.8803884, -1.9287348, 0.4196116], [0.9169032, -1.9287348, 0.3755891]],
        .rmsprop: [
            [2e-06, -1.000001, -0.4999995], [-0.1970635, -1.2886759, -0.3029337], [0.1712125, -1.2886759, -0.7466642],
        ],
        .adam: [
            [0.9000006, -1.9000003, 0.4000002], [0.819697, -1.8572156, 0.3488976], [0.7852619, -1.8241429, 0.2852913],
        ],
    ]

    static func parameter(_ name: String = "W1", _ values: [Float] = start) -> Parameter {
        Parameter(name: name, value: Matrix(row: values), isDecayed: true)
    }

    static func setGradient(_ p: Parameter, _ g: [Float]) {
        for (i, v) in g.enumerated() { p.gradient.pointer[i] = v }
    }

    @Test(arguments: OptimizerKind.allCases)
    func threeStepsMatchHandComputedValues(_ kind: OptimizerKind) throws {
        let p = Self.parameter()
        let opt = kind.make(learningRate: 0.1)
        let table = try #require(Self.expected[kind])
        for (step, g) in Self.gradients.enumerated() {
            Self.setGradient(p, g)
            opt.update([p])
            for i in 0..<3 {
                #expect(
                    abs(p.value.pointer[i] - table[step][i]) < 3e-6,
                    "\(kind.displayName) step \(step + 1) element \(i): \(p.value.pointer[i]) vs \(table[step][i])")
            }
        }
    }

    @Test func defaultsAreTheBooks() {
        #expect(OptimizerKind.adam.defaultLearningRate == 0.001)
        for k in OptimizerKind.allCases where k != .adam { #expect(k.defaultLearningRate == 0.01) }
        #expect(Momentum().momentum == 0.9)
        #expect(Nesterov().momentum == 0.9)
        #expect(RMSprop().decay == 0.99)
        #expect(Adam().beta1 == 0.9 && Adam().beta2 == 0.999)
    }

    @Test func changingTheLearningRateKeepsState() {
        let p = Self.parameter()
        let opt = Momentum(learningRate: 0.1)
        Self.setGradient(p, Self.gradients[0])
        opt.update([p])  // v = −0.05, p = 0.95
        opt.learningRate = 0.2
        Self.setGradient(p, Self.gradients[1])
        opt.update([p])  // v = 0.9·(−0.05) − 0.2·0.1 = −0.065
        #expect(abs(p.value.pointer[0] - 0.885) < 1e-6)
    }

    @Test func aNewOptimizerStartsFromFreshState() {
        let p = Self.parameter()
        let first = Momentum(learningRate: 0.1)
        Self.setGradient(p, Self.gradients[0])
        first.update([p])  // p = 0.95, v = −0.05
        let second = OptimizerKind.momentum.make(learningRate: 0.1)
        Self.setGradient(p, Self.gradients[1])
        second.update([p])  // v = −0.01 (not −0.055)
        #expect(abs(p.value.pointer[0] - 0.94) < 1e-6)
    }

    @Test func aParameterAddedLaterGetsFreshStateAndSharesAdamsStepCount() {
        let w = Self.parameter("W1")
        let adam = Adam(learningRate: 0.1)
        Self.setGradient(w, Self.gradients[0])
        adam.update([w])
        let gamma = Self.parameter("gamma1")
        Self.setGradient(w, Self.gradients[1])
        Self.setGradient(gamma, Self.gradients[0])
        adam.update([w, gamma])
        #expect(adam.step == 2)
        // gamma's first update at t = 2: m = 0.05, v = 0.00025, lr_t = 0.1·√(1−0.999²)/(1−0.9²)
        let lrT = 0.1 * (1 - 0.999 * 0.999).squareRoot() / (1 - 0.81)
        let expected = 1 - lrT * 0.05 / (0.00025.squareRoot() + 1e-7)
        #expect(abs(Double(gamma.value.pointer[0]) - expected) < 2e-6)
        #expect(abs(w.value.pointer[0] - 0.819697) < 3e-6, "W1 keeps its own state")
    }

    @Test func cloneCopiesStateIndependently() {
        let p = Self.parameter()
        let a = Adam(learningRate: 0.1)
        Self.setGradient(p, Self.gradients[0])
        a.update([p])
        let b = a.clone()
        let q = p.copy()
        // Same state, same gradient ⇒ the same second step on p (through a) and q (through b).
        Self.setGradient(p, Self.gradients[1])
        a.update([p])
        Self.setGradient(q, Self.gradients[1])
        b.update([q])
        #expect(p.value.values == q.value.values)
        #expect(abs(p.value.pointer[0] - 0.819697) < 3e-6)
        // Further steps of a leave b untouched.
        a.update([p])
        a.update([p])
        #expect(a.step == 4 && (b as? Adam)?.step == 2)
    }
}
