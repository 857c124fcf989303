/// A learnable tensor and its gradient, with a stable name in the book's convention
/// (`W1`, `b1`, `gamma1`, `beta1`, …). Optimizers key their per-parameter state by this name,
/// as the book's optimizers do, so a parameter that appears later (BatchNorm switched on mid-run)
/// simply gets fresh state on its first update.
public final class Parameter {
    public let name: String
    public let value: Matrix
    public let gradient: Matrix
    /// Affine weights are subject to L2 weight decay; biases, gamma and beta are not.
    public let isDecayed: Bool

    public init(name: String, value: Matrix, isDecayed: Bool) {
        self.name = name
        self.value = value
        self.gradient = Matrix(rows: value.rows, cols: value.cols)
        self.isDecayed = isDecayed
    }

    /// An independent copy (value and gradient).
    public func copy() -> Parameter {
        let p = Parameter(name: name, value: value.copy(), isDecayed: isDecayed)
        p.gradient.assign(gradient)
        return p
    }
}
