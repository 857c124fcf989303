import CKernels

/// An `InputScaling` made concrete for one training set: the map from unit pixels (byte / 255, which
/// every gather computes) to the network's inputs, x ↦ x · scale_j + offset_j for each pixel j.
///
/// Kept as two rows of `features` numbers, not as a scaled copy of the images: the bytes stay the
/// one copy of the data (a Float copy of MNIST's training set is 188 MB, and every run of a
/// comparison would want its own), and each gathered batch is scaled as it is built.
///
/// Standardization is per pixel, not one μ and σ for all: only per-pixel statistics make every input
/// zero-mean with unit variance, which is what rounds the loss surface (one global μ, σ scales every
/// input alike, as /255 already does). A pixel that hardly varies in training — MNIST's border is
/// always 0 — would divide by σ ≈ 0, so σ_j is floored at `minimumDeviation` (a tenth of the pixel
/// range): such a pixel is centred and scaled at most ×10, and a stroke that reaches it in a test
/// image gives at most 10, not thousands.
public struct InputTransform: Sendable, Equatable {
    public let scaling: InputScaling
    /// Per-pixel factors and offsets (standardize only; empty otherwise).
    public let scale: [Float]
    public let offset: [Float]

    /// The floor of a pixel's standard deviation, in units of the pixel range (byte / 255).
    public static let minimumDeviation: Float = 0.1

    /// The book's byte / 255: nothing to apply.
    public static let unit = InputTransform(scaling: .unit, scale: [], offset: [])

    private init(scaling: InputScaling, scale: [Float], offset: [Float]) {
        self.scaling = scaling
        self.scale = scale
        self.offset = offset
    }

    /// `scaling` with its statistics taken from `train` (the training split only, so nothing of the
    /// validation or test images leaks into training).
    public init(_ scaling: InputScaling, train: LabeledImages) {
        guard scaling == .standardize else {
            self.init(scaling: scaling, scale: [], offset: [])
            return
        }
        let d = train.features
        var sums = [UInt64](repeating: 0, count: d)
        var squares = [UInt64](repeating: 0, count: d)
        train.pixels.withUnsafeBufferPointer { px in
            sums.withUnsafeMutableBufferPointer { s in
                squares.withUnsafeMutableBufferPointer { q in
                    guard let base = px.baseAddress else { return }
                    dlboard_pixel_sums(base, train.count, d, s.baseAddress!, q.baseAddress!)
                }
            }
        }
        let n = Double(max(1, train.count))
        var scale = [Float](repeating: 1, count: d)
        var offset = [Float](repeating: 0, count: d)
        for j in 0..<d {
            // In bytes, exact sums; the population variance E[x²] − E[x]², never below 0.
            let mean = Double(sums[j]) / n
            let variance = max(0, Double(squares[j]) / n - mean * mean)
            let sigma = max(Double(Self.minimumDeviation), variance.squareRoot() / 255)
            scale[j] = Float(1 / sigma)
            offset[j] = Float(-(mean / 255) / sigma)
        }
        self.init(scaling: .standardize, scale: scale, offset: offset)
    }

    /// Turns a batch of unit pixels (rows × features) into network inputs, in place.
    public func apply(to x: Matrix) {
        switch scaling {
        case .unit:
            return
        case .raw:
            // (byte / 255) · 255 is exactly the byte again for every byte (checked in the tests).
            dlboard_scale_all(x.pointer, x.count, 255)
        case .standardize:
            precondition(x.cols == scale.count, "input transform of \(scale.count) pixels for \(x.cols)")
            guard x.count > 0 else { return }
            scale.withUnsafeBufferPointer { s in
                offset.withUnsafeBufferPointer { o in
                    dlboard_scale_columns(x.pointer, x.rows, x.cols, s.baseAddress!, o.baseAddress!)
                }
            }
        }
    }
}
