import CKernels
import Foundation
import Testing

@testable import NN

/// Weight decay's one-pass kernel: dW += λW with the bits `Matrix.add(_:scaledBy:)` (saxpy) gives,
/// and ΣW² in 16 fixed interleaved double lanes, checked against a Swift transcription of that
/// order bit for bit (odd lengths) and against a plain double sum to ~1e-12.
@Suite struct WeightDecayKernelTests {
    /// The lanes' order written out: element i into lane i mod 16, lanes added 0 to 15.
    static func laneSum(_ w: [Float]) -> Double {
        var lanes = [Double](repeating: 0, count: 16)
        for (i, v) in w.enumerated() { lanes[i % 16] += Double(v) * Double(v) }
        return lanes.reduce(0, +)
    }

    static func values(_ n: Int, seed: UInt64) -> [Float] {
        var g = SeededGenerator(seed: seed)
        return (0..<n).map { _ in g.nextNormal() * 0.1 }
    }

    /// 1, 2 and 3 squared: 14, exactly, whatever the order.
    @Test func handComputed() {
        let w = Matrix(row: [1, 2, 3])
        let g = Matrix(row: [0.5, -1, 0])
        #expect(w.sumOfSquares() == 14)
        #expect(g.addDecay(of: w, lambda: 0.5) == 14)
        #expect(g.values == [1, 0, 1.5])
    }

    @Test func sumMatchesTheLaneOrderAndADoubleReference() {
        for n in Array(0...70) + [999, 10_000, 78_400] {
            let w = Self.values(n, seed: UInt64(n) + 1)
            let s = w.withUnsafeBufferPointer { dlboard_sum_of_squares($0.baseAddress, n) }
            #expect(s.bitPattern == Self.laneSum(w).bitPattern, "n \(n)")
            let sequential = w.reduce(0.0) { $0 + Double($1) * Double($1) }
            #expect(abs(s - sequential) <= 1e-12 * max(sequential, .leastNormalMagnitude), "n \(n)")
        }
    }

    /// Both forms against their scalar definitions, and the one `addDecay` picks against saxpy
    /// itself, bit for bit: the gradient of a decayed step is what it was before the kernel.
    @Test func gradientRoundsAsSaxpyDoes() {
        let lambda: Float = 0.1
        for n in Array(1...40) + [1000, 1031, 10_000] {
            let w = Self.values(n, seed: 7 &+ UInt64(n))
            let g0 = Self.values(n, seed: 99 &+ UInt64(n))
            var separate = g0
            var fused = g0
            let s1 = w.withUnsafeBufferPointer { dlboard_decay_gradient(&separate, $0.baseAddress, n, lambda) }
            let s2 = w.withUnsafeBufferPointer { dlboard_decay_gradient_fused(&fused, $0.baseAddress, n, lambda) }
            #expect(s1.bitPattern == Self.laneSum(w).bitPattern && s2.bitPattern == s1.bitPattern)
            #expect(separate.map(\.bitPattern) == zip(g0, w).map { ($0 + lambda * $1).bitPattern }, "n \(n)")
            #expect(fused.map(\.bitPattern) == zip(g0, w).map { $0.addingProduct(lambda, $1).bitPattern }, "n \(n)")
            let wm = Matrix(rows: 1, cols: n, values: w)
            let viaSaxpy = Matrix(rows: 1, cols: n, values: g0)
            viaSaxpy.add(wm, scaledBy: lambda)
            let viaKernel = Matrix(rows: 1, cols: n, values: g0)
            #expect(viaKernel.addDecay(of: wm, lambda: lambda).bitPattern == Self.laneSum(w).bitPattern)
            #expect(
                viaKernel.values.map(\.bitPattern) == viaSaxpy.values.map(\.bitPattern), "n \(n) \(Matrix.axpyRounding)"
            )
        }
    }

    /// The loss a decayed `gradient` returns is the one `loss` computes from the same forward pass.
    @Test func gradientsLossIsTheWeightDecayLoss() {
        var config = NetworkConfig(inputSize: 9, hidden: [7, 5], outputSize: 3)
        config.weightDecay = 0.3
        let net = Network(config: config, seed: 2)
        let x = GradientCheck.random(4, 9, seed: 3)
        let labels: [Int32] = [0, 2, 1, 1]
        let expected = net.loss(x, labels: labels, mode: .train)
        #expect(net.gradient(x, labels: labels).bitPattern == expected.bitPattern)
        let sum = net.affines.reduce(0.0) { $0 + Self.laneSum($1.weight.value.values) }
        #expect(net.weightDecayLoss == 0.5 * Double(Float(0.3)) * sum)
    }
}
