/// `out = max(x, 0)`; backward passes the gradient where `x > 0` and zeroes it elsewhere
/// (the book's mask is `x <= 0`, so the gradient at exactly 0 is 0).
public final class ReLU: ActivationLayer {
    public let index: Int
    public var name: String { "ReLU\(index)" }
    public let output = Matrix(rows: 0, cols: 0)
    public var activation: Activation { .relu }

    public init(index: Int) { self.index = index }

    public func forward(_ x: Matrix, mode: Mode) -> Matrix {
        output.resize(rows: x.rows, cols: x.cols)
        let src = x.pointer, dst = output.pointer
        let n = x.count
        var i = 0
        while i < vectorEnd(n) {
            let v = load8(src, i)
            store8(v.replacing(with: 0, where: .!(v .> 0)), dst, i)
            i += 8
        }
        for i in vectorEnd(n)..<n { let v = src[i]; dst[i] = v > 0 ? v : 0 }
        return output
    }

    /// Updates `dout` in place.
    public func backward(_ dout: Matrix) -> Matrix {
        let g = dout.pointer, y = output.pointer
        let n = dout.count
        var i = 0
        while i < vectorEnd(n) {
            store8(load8(g, i).replacing(with: 0, where: .!(load8(y, i) .> 0)), g, i)
            i += 8
        }
        for i in vectorEnd(n)..<n where !(y[i] > 0) { g[i] = 0 }
        return dout
    }

    public func clone() -> any Layer { ReLU(index: index) }
}
