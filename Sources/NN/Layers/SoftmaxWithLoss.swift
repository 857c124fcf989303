import Foundation

/// Softmax followed by a loss against integer labels, as the book's `SoftmaxWithLoss`: cross-entropy
/// by default, or the mean squared error against the one-hot labels (`Loss` has the formulas).
///
/// Softmax subtracts each row's maximum first; cross-entropy is `−mean(log(y[label] + 1e-7))` with
/// backward `(y − onehot) / N` (a uniform prediction over 10 classes gives ln 10 ≈ 2.3026); MSE is
/// `mean(½Σ(y − onehot)²)` (uniform over 10 classes: ½(0.9² + 9·0.1²) = 0.45).
public final class SoftmaxWithLoss {
    public let probabilities = Matrix(rows: 0, cols: 0)
    /// Can change between two steps; the next forward pass uses it.
    public var loss: Loss
    private var labels: [Int32] = []
    private let dx = Matrix(rows: 0, cols: 0)

    public init(loss: Loss = .crossEntropy) { self.loss = loss }

    /// Writes the softmax of `x` into `into` (row-wise, max-subtracted).
    public static func softmax(_ x: Matrix, into y: Matrix) {
        let n = x.rows
        let k = x.cols
        y.resize(rows: n, cols: k)
        let src = x.pointer
        let dst = y.pointer
        for r in 0..<n {
            let row = src + r * k
            let out = dst + r * k
            var m = -Float.infinity
            for j in 0..<k where row[j] > m { m = row[j] }
            var sum: Float = 0
            for j in 0..<k {
                let e = expf(row[j] - m)
                out[j] = e
                sum += e
            }
            let inv = 1 / sum
            for j in 0..<k { out[j] *= inv }
        }
    }

    /// The batch's mean loss; keeps what backward needs.
    public func forward(_ x: Matrix, labels: [Int32]) -> Double {
        precondition(labels.count == x.rows, "SoftmaxWithLoss: \(labels.count) labels for \(x.rows) rows")
        Self.softmax(x, into: probabilities)
        self.labels = labels
        let k = x.cols
        let y = probabilities.pointer
        var total = 0.0
        for (r, t) in labels.enumerated() {
            precondition(t >= 0 && Int(t) < k, "SoftmaxWithLoss: label \(t) outside 0..<\(k)")
            switch loss {
            case .crossEntropy:
                total -= log(Double(y[r * k + Int(t)] + 1e-7))
            case .meanSquaredError:
                var sum = 0.0
                for j in 0..<k {
                    let d = Double(y[r * k + j]) - (j == Int(t) ? 1 : 0)
                    sum += d * d
                }
                total += 0.5 * sum
            }
        }
        return labels.isEmpty ? 0 : total / Double(labels.count)
    }

    /// Gradient of the mean loss with respect to the scores: `(y − onehot) / N` for cross-entropy;
    /// for MSE that `g` taken back through the softmax's Jacobian, `y ⊙ (g − ⟨g, y⟩)` row by row.
    public func backward() -> Matrix {
        let n = probabilities.rows
        let k = probabilities.cols
        dx.assign(probabilities)
        let g = dx.pointer
        let inv = 1 / Float(n)
        for r in 0..<n { g[r * k + Int(labels[r])] -= 1 }
        for i in 0..<(n * k) { g[i] *= inv }
        if loss == .meanSquaredError {
            let y = probabilities.pointer
            for r in 0..<n {
                let row = g + r * k
                let p = y + r * k
                var dot: Float = 0
                for j in 0..<k { dot += row[j] * p[j] }
                for j in 0..<k { row[j] = p[j] * (row[j] - dot) }
            }
            DeliberateFault.corrupt(dx, in: .mse)
        }
        return dx
    }
}
