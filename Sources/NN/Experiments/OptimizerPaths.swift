/// The book's optimizer-path experiment (E1, `optimizer_compare_naive.py`): each optimizer minimises
/// the elongated bowl f(x, y) = x²/20 + y² from (-7, 2), with the very update rules used for the
/// networks (one 1×2 parameter). Each step records the position, then updates.
public enum OptimizerPaths {
    public static let start: (x: Float, y: Float) = (-7, 2)
    /// The book's learning rates: SGD 0.95, Momentum 0.1, AdaGrad 1.5, Adam 0.3.
    public static let bookRates: [(kind: OptimizerKind, lr: Float)] = [
        (.sgd, 0.95), (.momentum, 0.1), (.adagrad, 1.5), (.adam, 0.3),
    ]

    public static func f(_ x: Float, _ y: Float) -> Float { x * x / 20 + y * y }

    /// The positions visited: `steps` points, the first the start.
    public static func path(
        _ kind: OptimizerKind, learningRate: Float, parameters: OptimizerParameters = .book, steps: Int = 30
    ) -> [(x: Float, y: Float)] {
        let p = Parameter(name: "xy", value: Matrix(rows: 1, cols: 2, values: [start.x, start.y]), isDecayed: false)
        let optimizer = kind.make(learningRate: learningRate, parameters: parameters)
        var points: [(x: Float, y: Float)] = []
        points.reserveCapacity(steps)
        for _ in 0..<steps {
            let x = p.value.pointer[0]
            let y = p.value.pointer[1]
            points.append((x, y))
            p.gradient.pointer[0] = x / 10
            p.gradient.pointer[1] = 2 * y
            optimizer.update([p])
        }
        return points
    }
}
