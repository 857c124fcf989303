/// One stage of the network: a forward/backward pair that caches what backward needs.
///
/// Buffers: `forward` returns a matrix owned by the layer (valid until its next `forward`), and
/// `backward` returns the gradient with respect to the layer's input, also layer-owned — or the
/// `dout` it was given, updated in place, for element-wise layers. Callers must not keep either
/// across steps. `backward` must follow a train-mode `forward` on the same input.
public protocol Layer: AnyObject {
    /// Display name in the book's convention, e.g. `Affine1`, `BatchNorm2`, `ReLU3`.
    var name: String { get }
    var parameters: [Parameter] { get }
    func forward(_ x: Matrix, mode: Mode) -> Matrix
    func backward(_ dout: Matrix) -> Matrix
    /// A deep copy: parameters, running statistics and RNG state (not the cached activations).
    func clone() -> any Layer
}

extension Layer {
    public var parameters: [Parameter] { [] }
}
