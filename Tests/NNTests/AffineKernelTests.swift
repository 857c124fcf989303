import CKernels
import Foundation
import Testing

@testable import NN

/// The C kernels that replaced Swift loops in Affine's backward and the momentum optimizers: the
/// same operations in the same order, so the same bits as the loops they replaced (written out
/// here), on odd shapes that run every vector width's body and remainder.
@Suite struct AffineKernelTests {
    static func values(_ n: Int, seed: UInt64) -> [Float] {
        var g = SeededGenerator(seed: seed)
        return (0..<n).map { _ in g.nextNormal() }
    }

    @Test func columnSumsByHand() {
        let x: [Float] = [1, 2, 3, 4, 5, 6]
        var s = [Float](repeating: 9, count: 3)
        dlboard_column_sums_float(x, 2, 3, &s)
        #expect(s == [5, 7, 9])
        dlboard_column_sums_float(x, 0, 3, &s)
        #expect(s == [0, 0, 0], "no rows: zeros")
    }

    @Test func broadcastFillsEveryRow() {
        for (rows, cols) in [(1, 1), (3, 17), (100, 10), (2, 100)] {
            let b = Self.values(cols, seed: UInt64(cols))
            var out = [Float](repeating: .nan, count: rows * cols + 3)
            dlboard_broadcast_rows(b, cols, &out, rows)
            #expect(Array(out.prefix(rows * cols)) == Array((0..<rows).map { _ in b }.joined()), "\(rows)×\(cols)")
            let untouched = out.suffix(3).allSatisfy { $0.isNaN }
            #expect(untouched, "nothing past the last row")
        }
    }

    @Test func columnSumsAddRowByRow() {
        for (rows, cols) in [(1, 1), (3, 17), (100, 10), (7, 100), (33, 65)] {
            let x = Self.values(rows * cols, seed: UInt64(rows * 1000 + cols))
            var expected = [Float](repeating: 0, count: cols)
            for r in 0..<rows { for j in 0..<cols { expected[j] += x[r * cols + j] } }
            var s = [Float](repeating: 0, count: cols)
            dlboard_column_sums_float(x, rows, cols, &s)
            #expect(s.map(\.bitPattern) == expected.map(\.bitPattern), "\(rows)×\(cols)")
        }
    }

    /// The bias gradient through the layer: db = Σ_rows dout.
    @Test func affineBiasGradientIsTheColumnSum() {
        let a = Affine(index: 1, weight: Matrix(rows: 2, cols: 3, values: [1, 0, 0, 0, 1, 0]))
        _ = a.forward(Matrix(rows: 2, cols: 2, values: [1, 2, 3, 4]), mode: .train)
        _ = a.backward(Matrix(rows: 2, cols: 3, values: [0.5, -1, 2, 0.25, 3, -2]))
        #expect(a.bias.gradient.values == [0.75, 2, 0])
    }

    @Test func transposeMovesEveryValue() {
        // Whole 8×8 tiles, edges on either side, a single row and column, the network's shapes.
        for (rows, cols) in [(1, 1), (1, 9), (9, 1), (8, 8), (13, 29), (100, 10), (10, 100), (100, 100), (784, 100)] {
            let x = Self.values(rows * cols, seed: UInt64(rows * 7919 + cols))
            var t = [Float](repeating: .nan, count: rows * cols + 2)
            dlboard_transpose(x, rows, cols, &t)
            var expected = [Float](repeating: 0, count: rows * cols)
            for r in 0..<rows { for c in 0..<cols { expected[c * rows + r] = x[r * cols + c] } }
            #expect(Array(t.prefix(rows * cols)) == expected, "\(rows)×\(cols)")
            #expect(t.suffix(2).allSatisfy { $0.isNaN }, "nothing past the end, \(rows)×\(cols)")
        }
    }

    /// `dx = dout·Wᵀ` through the copy of Wᵀ, against the sum written out in Double; and the copy
    /// follows W when the optimizer changes it between two backward passes.
    @Test func affineInputGradientIsDoutTimesWTransposed() {
        let (n, i, o) = (5, 13, 11)
        let w = Matrix(rows: i, cols: o, values: Self.values(i * o, seed: 3))
        let affine = Affine(index: 2, weight: w)
        let x = Matrix(rows: n, cols: i, values: Self.values(n * i, seed: 4))
        let dout = Matrix(rows: n, cols: o, values: Self.values(n * o, seed: 5))
        for pass in 0..<2 {
            _ = affine.forward(x, mode: .train)
            let dx = affine.backward(dout)
            #expect(dx.rows == n && dx.cols == i)
            let wv = affine.weight.value
            for r in 0..<n {
                for c in 0..<i {
                    var s = 0.0
                    for k in 0..<o { s += Double(dout[r, k]) * Double(wv[c, k]) }
                    #expect(abs(Double(dx[r, c]) - s) < 1e-5, "pass \(pass), dx[\(r), \(c)]")
                }
            }
            affine.weight.value.add(affine.weight.gradient, scaledBy: -0.5)
        }
    }

    @Test func momentumUpdatesAsTheLoop() {
        for n in [1, 15, 16, 17, 100, 1001] {
            let g = Self.values(n, seed: UInt64(n))
            var w = Self.values(n, seed: UInt64(n) + 1)
            var v = Self.values(n, seed: UInt64(n) + 2)
            var ew = w
            var ev = v
            let a: Float = 0.9
            let lr: Float = 0.01
            for i in 0..<n {
                let nv = a * ev[i] - lr * g[i]
                ev[i] = nv
                ew[i] += nv
            }
            dlboard_momentum_update(&w, g, &v, n, a, lr)
            #expect(w.map(\.bitPattern) == ew.map(\.bitPattern) && v.map(\.bitPattern) == ev.map(\.bitPattern))
        }
        var w: [Float] = [1]
        var v: [Float] = [0.5]
        dlboard_momentum_update(&w, [2], &v, 1, 0.5, 0.25)
        #expect(v == [-0.25] && w == [0.75], "v = 0.5·0.5 − 0.25·2; w += v")
    }

    @Test func nesterovUpdatesAsTheLoop() {
        for n in [1, 15, 16, 17, 100, 1001] {
            let g = Self.values(n, seed: UInt64(n) + 5)
            var w = Self.values(n, seed: UInt64(n) + 6)
            var v = Self.values(n, seed: UInt64(n) + 7)
            var ew = w
            var ev = v
            let a: Float = 0.9
            let lr: Float = 0.01
            let aa = a * a
            let step = (1 + a) * lr
            for i in 0..<n {
                let old = ev[i]
                ew[i] += aa * old
                ew[i] -= step * g[i]
                ev[i] = a * old - lr * g[i]
            }
            dlboard_nesterov_update(&w, g, &v, n, a, lr)
            #expect(w.map(\.bitPattern) == ew.map(\.bitPattern) && v.map(\.bitPattern) == ev.map(\.bitPattern))
        }
        var w: [Float] = [1]
        var v: [Float] = [1]
        dlboard_nesterov_update(&w, [1], &v, 1, 0.5, 0.5)
        #expect(w == [0.5] && v == [0], "w = 1 + 0.25 − 0.75; v = 0.5 − 0.5")
    }
}
