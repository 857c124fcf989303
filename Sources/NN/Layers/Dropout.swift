/// The book's Dropout — **not** inverted dropout.
///
/// Train mode multiplies by a fresh random keep-mask (`U(0,1) > ratio`) and does *not* rescale
/// the kept units; eval mode multiplies every unit by `1 − ratio` instead. (Inverted dropout, as in
/// deeplearning.ai Course 2, PyTorch and tinygrad, divides by `1 − ratio` at train time and is the
/// identity at eval time: same expectation, different train-time magnitudes.) Backward is
/// `dout · mask`. The NumPy reference `reference_numpy.py` uses this same form.
public final class Dropout: Layer {
    public let index: Int
    public var name: String { "Dropout\(index)" }
    /// Fraction of units dropped, in [0, 1). Can be changed between steps.
    public var ratio: Float {
        didSet { precondition(ratio >= 0 && ratio < 1, "Dropout ratio must be in [0, 1), got \(ratio)") }
    }
    /// When true, train-mode forward reuses the previous mask instead of drawing a new one (gradient
    /// checks need a fixed mask; the trainer never sets it).
    public var freezesMask = false
    public private(set) var generator: SeededGenerator
    public let mask = Matrix(rows: 0, cols: 0)
    private let out = Matrix(rows: 0, cols: 0)

    public init(index: Int, ratio: Float, generator: SeededGenerator) {
        precondition(ratio >= 0 && ratio < 1, "Dropout ratio must be in [0, 1), got \(ratio)")
        self.index = index
        self.ratio = ratio
        self.generator = generator
    }

    private init(copying o: Dropout) {
        index = o.index
        ratio = o.ratio
        generator = o.generator
        mask.assign(o.mask)
    }

    public func forward(_ x: Matrix, mode: Mode) -> Matrix {
        out.resize(rows: x.rows, cols: x.cols)
        let src = x.pointer
        let dst = out.pointer
        switch mode {
        case .train:
            if !freezesMask || mask.rows != x.rows || mask.cols != x.cols {
                mask.resize(rows: x.rows, cols: x.cols)
                let m = mask.pointer
                for i in 0..<x.count { m[i] = generator.nextUniform() > ratio ? 1 : 0 }
            }
            let m = mask.pointer
            for i in 0..<x.count { dst[i] = src[i] * m[i] }
        case .eval:
            let keep = 1 - ratio
            for i in 0..<x.count { dst[i] = src[i] * keep }
        }
        return out
    }

    /// Updates `dout` in place.
    public func backward(_ dout: Matrix) -> Matrix {
        let g = dout.pointer
        let m = mask.pointer
        for i in 0..<dout.count { g[i] *= m[i] }
        DeliberateFault.corrupt(dout, in: .dropout)
        return dout
    }

    public func clone() -> any Layer { Dropout(copying: self) }
}
