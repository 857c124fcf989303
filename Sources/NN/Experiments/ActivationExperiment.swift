import Foundation

/// The book's weight-init activation experiment (E3, `weight_init_activation_histogram.py`): no
/// training, just a forward pass of standard-normal input through `layers` layers of `nodes` units
/// without bias, W = N(0, 1)·scale drawn fresh per layer, and the distribution of each layer's output.
/// Beside the book's scales, every weight one constant (zeros included): the symmetry trap, where
/// each layer's units all compute the same output.
public enum ActivationExperiment {
    /// How one row of the experiment draws its weights.
    public enum Weights: Sendable, Equatable {
        /// N(0, 1)·scale, fresh per layer (the book's).
        case scale(Float)
        /// Every weight this value; nothing drawn.
        case constant(Float)
    }

    /// One layer's outputs: their statistics, and how many of its units (output columns) differ —
    /// counted as `LayerStatistics.distinctUnits` counts weight columns.
    public struct LayerResult: Sendable, Equatable {
        public var statistics: ActivationStatistics
        public var units: Int
        public var distinctUnits: Int
    }

    /// The book's four scales for 100 inputs: std 1, std 0.01, Xavier √(1/n), He √(2/n).
    public static func scales(nodes: Int = 100) -> [(name: String, scale: Float)] {
        [
            ("std 1", 1), ("std 0.01", 0.01), ("Xavier", (1 / Float(nodes)).squareRoot()),
            ("He", (2 / Float(nodes)).squareRoot()),
        ]
    }

    /// The book's four scales, then all zeros and a constant at Xavier's scale (0.1 for 100 nodes:
    /// the first layer's outputs have Xavier's spread, yet every unit is the same).
    public static func rows(nodes: Int = 100) -> [(name: String, weights: Weights)] {
        scales(nodes: nodes).map { ($0.name, Weights.scale($0.scale)) } + [
            ("zeros", .constant(0)), ("all 0.1", .constant((1 / Float(nodes)).squareRoot())),
        ]
    }

    /// Statistics of every layer's output (histogram over `Activation.histogramRange`, `bins` bins).
    public static func run(
        scale: Float, activation: Activation, layers: Int = 5, nodes: Int = 100,
        samples: Int = 1000, bins: Int = 30, seed: UInt64
    ) -> [ActivationStatistics] {
        run(
            weights: .scale(scale), activation: activation, layers: layers, nodes: nodes, samples: samples,
            bins: bins, seed: seed
        ).map(\.statistics)
    }

    /// Every layer's output statistics and distinct units, for weights drawn as `weights` says.
    public static func run(
        weights: Weights, activation: Activation, layers: Int = 5, nodes: Int = 100,
        samples: Int = 1000, bins: Int = 30, seed: UInt64
    ) -> [LayerResult] {
        var g = SeededGenerator(seed: seed, stream: "activation-experiment")
        var x = Matrix(rows: samples, cols: nodes)  // replaced by each layer's output
        for i in 0..<x.count { x.pointer[i] = g.nextNormal() }
        let noBias = Matrix(rows: 1, cols: nodes)
        var results: [LayerResult] = []
        for k in 0..<layers {
            let w = Matrix(rows: nodes, cols: nodes)
            switch weights {
            case .scale(let scale): for i in 0..<w.count { w.pointer[i] = g.nextNormal() * scale }
            case .constant(let c): w.fill(c)
            }
            let a = Matrix(rows: samples, cols: nodes)
            a.gemm(x, w)
            // The network's own layer, so the experiment shows what training would see.
            let z = activation.makeLayer(index: k + 1).forward(a, mode: .eval)
            let statistics = ActivationStatistics(
                layer: "\(k + 1)-layer", activation: activation,
                values: UnsafeBufferPointer(z.buffer), bins: bins,
                range: activation.histogramRange)
            // A unit is a column of the output (samples × units), as it is a column of W.
            let distinct = Network.distinctUnits(weight: z, bias: noBias)
            results.append(LayerResult(statistics: statistics, units: nodes, distinctUnits: distinct))
            x = z
        }
        return results
    }
}
