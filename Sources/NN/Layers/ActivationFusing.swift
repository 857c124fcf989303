import CKernels

/// A normalization layer (BatchNorm, LayerNorm) that computes the activation after it in its own
/// passes: the forward stores activation(γ·xn + β) straight into the activation layer's `output`,
/// and the backward applies the activation's gradient rule where it reads `dout`. The activation
/// layer's own pass over the batch each way (a read and a write of n×d) is saved; the bits are
/// those of the two layers run one after the other (`NormalizationFusionTests`).
///
/// The two layers stay separate objects — statistics, histograms and checkpoints read them as
/// before — and `Network` decides per step which pairs run fused. After a fused forward the
/// activation's `output` is what its own forward would have left there (what the statistics and the
/// histograms read); the normalization's own output buffer is not written, and the gradient arriving
/// at the activation is left unmasked (nothing reads it after: the Affine below reads the
/// normalization's input gradient).
protocol ActivationFusing: Layer {
    /// `forward(x, mode:)` then `activation.forward`, in one: returns `activation.output`.
    func forward(_ x: Matrix, mode: Mode, through activation: any FusableActivation) -> Matrix
    /// `activation.backward(dout)` then `backward`, in one, after a fused train-mode forward through
    /// the same `activation`: returns the normalization's input gradient.
    func backward(_ dout: Matrix, through activation: any FusableActivation) -> Matrix
}

/// What a normalization kernel is told to apply: one of `DLBOARD_FUSED_*` and Leaky ReLU's slope.
struct FusedKernel {
    var kind: Int32
    var slope: Float

    /// γ·xn + β stored as it is: the normalization alone.
    static let identity = FusedKernel(kind: Int32(DLBOARD_FUSED_IDENTITY), slope: 0)
    static let relu = FusedKernel(kind: Int32(DLBOARD_FUSED_RELU), slope: 0)
    static func leakyReLU(slope: Float) -> FusedKernel {
        FusedKernel(kind: Int32(DLBOARD_FUSED_LEAKY_RELU), slope: slope)
    }
}
