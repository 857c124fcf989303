import Foundation

/// Softmax followed by cross-entropy against integer labels, as the book's `SoftmaxWithLoss`.
///
/// Softmax subtracts each row's maximum first; the loss is `−mean(log(y[label] + 1e-7))`; backward is
/// `(y − onehot) / N`. A uniform prediction over 10 classes gives ln 10 ≈ 2.3026.
public final class SoftmaxWithLoss {
    public let probabilities = Matrix(rows: 0, cols: 0)
    private var labels: [Int32] = []
    private let dx = Matrix(rows: 0, cols: 0)

    public init() {}

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

    /// Mean cross-entropy of the batch; keeps what backward needs.
    public func forward(_ x: Matrix, labels: [Int32]) -> Double {
        precondition(labels.count == x.rows, "SoftmaxWithLoss: \(labels.count) labels for \(x.rows) rows")
        Self.softmax(x, into: probabilities)
        self.labels = labels
        let k = x.cols
        let y = probabilities.pointer
        var total = 0.0
        for (r, t) in labels.enumerated() {
            precondition(t >= 0 && Int(t) < k, "SoftmaxWithLoss: label \(t) outside 0..<\(k)")
            total -= log(Double(y[r * k + Int(t)] + 1e-7))
        }
        return labels.isEmpty ? 0 : total / Double(labels.count)
    }

    /// Gradient of the mean loss with respect to the scores: `(y − onehot) / N`.
    public func backward() -> Matrix {
        let n = probabilities.rows
        let k = probabilities.cols
        dx.assign(probabilities)
        let g = dx.pointer
        let inv = 1 / Float(n)
        for r in 0..<n { g[r * k + Int(labels[r])] -= 1 }
        for i in 0..<(n * k) { g[i] *= inv }
        return dx
    }
}
