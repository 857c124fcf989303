import CKernels

/// Dropout in the book's form (the default) or the inverted one (`DropoutStyle`).
///
/// Train mode draws a fresh random keep-mask (`U(0,1) > ratio`, U with 24 bits: a counter-based
/// hash of a per-mask key from `generator` and the unit's index, see `dlboard_dropout_forward`). In the book's form it multiplies
/// by that mask and does *not* rescale the kept units; eval mode multiplies every unit by
/// `1 − ratio` instead. Inverted, the kept units are multiplied by `1 / (1 − ratio)` at train time
/// and eval mode is the identity: same expectation, different train-time magnitudes. Backward is
/// `dout · mask` in both (the mask holds the scale). The NumPy reference `reference_numpy.py` uses
/// the book's form.
///
/// Index 0 is the input Dropout (on the pixels, before the first Affine layer); hidden layers'
/// Dropouts are numbered from 1 like their activations.
public final class Dropout: Layer {
    public let index: Int
    public var name: String { index == 0 ? "InputDropout" : "Dropout\(index)" }
    /// Where the scaling goes; fixed for the layer's life.
    public let style: DropoutStyle
    /// Fraction of units dropped, in [0, 1). Can be changed between steps.
    public var ratio: Float {
        didSet { precondition(ratio >= 0 && ratio < 1, "Dropout ratio must be in [0, 1), got \(ratio)") }
    }
    /// When true, train-mode forward reuses the previous mask instead of drawing a new one (gradient
    /// checks need a fixed mask; the trainer never sets it).
    public var freezesMask = false
    public private(set) var generator: SeededGenerator
    /// The last train-mode multiplier per unit: 0 where dropped; where kept, 1 (book) or
    /// 1 / (1 − ratio) (inverted).
    public let mask = Matrix(rows: 0, cols: 0)
    private let out = Matrix(rows: 0, cols: 0)

    public init(index: Int, ratio: Float, generator: SeededGenerator, style: DropoutStyle = .book) {
        precondition(ratio >= 0 && ratio < 1, "Dropout ratio must be in [0, 1), got \(ratio)")
        self.index = index
        self.ratio = ratio
        self.generator = generator
        self.style = style
    }

    private init(copying o: Dropout) {
        index = o.index
        style = o.style
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
            let n = x.count
            if !freezesMask || mask.rows != x.rows || mask.cols != x.cols {
                mask.resize(rows: x.rows, cols: x.cols)
                let kept: Float = style == .book ? 1 : 1 / (1 - ratio)
                // One generator word per mask, the key of a counter-based stream (unit i's bits are a
                // hash of key and i): the mask is generated many units at a time in the pass that
                // writes the output, and the generator's position still says where the masks stand.
                let key = generator.next()
                dlboard_dropout_forward(src, mask.pointer, dst, n, key, ratio, kept)
            } else {
                dlboard_multiply(src, mask.pointer, dst, n)
            }
        case .eval:
            switch style {
            case .book:
                dlboard_scale_into(src, dst, x.count, 1 - ratio)
            case .inverted:
                // A copy, not `x` itself: the output must stay this layer's buffer (see `Layer`).
                out.assign(x)
            }
        }
        return out
    }

    /// Updates `dout` in place.
    public func backward(_ dout: Matrix) -> Matrix {
        dlboard_multiply_in_place(dout.pointer, mask.pointer, dout.count)
        DeliberateFault.corrupt(dout, in: .dropout)
        return dout
    }

    public func clone() -> any Layer { Dropout(copying: self) }
}

extension Dropout {
    /// Continues the mask stream from a stored position (a checkpoint's).
    func restoreGenerator(_ generator: SeededGenerator) { self.generator = generator }
}
