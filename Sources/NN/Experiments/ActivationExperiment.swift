import Foundation

/// The book's weight-init activation experiment (E3, `weight_init_activation_histogram.py`): no
/// training, just a forward pass of standard-normal input through `layers` layers of `nodes` units
/// without bias, W = N(0, 1)·scale drawn fresh per layer, and the distribution of each layer's output.
public enum ActivationExperiment {
    /// The book's four scales for 100 inputs: std 1, std 0.01, Xavier √(1/n), He √(2/n).
    public static func scales(nodes: Int = 100) -> [(name: String, scale: Float)] {
        [
            ("std 1", 1), ("std 0.01", 0.01), ("Xavier", (1 / Float(nodes)).squareRoot()),
            ("He", (2 / Float(nodes)).squareRoot()),
        ]
    }

    /// Statistics of every layer's output (histogram over `Activation.histogramRange`, `bins` bins).
    public static func run(
        scale: Float, activation: Activation, layers: Int = 5, nodes: Int = 100,
        samples: Int = 1000, bins: Int = 30, seed: UInt64
    ) -> [ActivationStatistics] {
        var g = SeededGenerator(seed: seed, stream: "activation-experiment")
        var x = Matrix(rows: samples, cols: nodes)  // replaced by each layer's output
        for i in 0..<x.count { x.pointer[i] = g.nextNormal() }
        var stats: [ActivationStatistics] = []
        for k in 0..<layers {
            let w = Matrix(rows: nodes, cols: nodes)
            for i in 0..<w.count { w.pointer[i] = g.nextNormal() * scale }
            let z = Matrix(rows: samples, cols: nodes)
            z.gemm(x, w)
            let p = z.pointer
            for i in 0..<z.count {
                let v = p[i]
                switch activation {
                case .sigmoid: p[i] = 1 / (1 + Foundation.exp(-v))
                case .tanh: p[i] = Foundation.tanh(v)
                case .relu: p[i] = max(0, v)
                }
            }
            stats.append(
                ActivationStatistics(
                    layer: "\(k + 1)-layer", activation: activation,
                    values: UnsafeBufferPointer(z.buffer), bins: bins,
                    range: activation.histogramRange))
            x = z
        }
        return stats
    }
}
