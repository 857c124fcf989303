import Foundation

/// A backward pass broken on purpose, so a test can prove that `GradientCheck` (and `dlboard
/// gradcheck`) catch a wrong gradient rather than passing everything. Debug builds only — the test
/// build: `DLBOARD_TEST_BROKEN_BACKWARD=<layer kind>` scales that kind's gradient by 1.05. In a
/// release build `corrupt` is empty and the variable is never read.
enum DeliberateFault: String {
    case affine, relu, sigmoid, tanh, dropout
    case leakyReLU = "leaky-relu"
    case softplus, identity
    case layerNorm = "layernorm"
    /// The mean-squared-error loss's backward (cross-entropy's is not broken by any kind).
    case mse

    #if DEBUG
        static let active: DeliberateFault? = ProcessInfo.processInfo.environment["DLBOARD_TEST_BROKEN_BACKWARD"]
            .flatMap(DeliberateFault.init(rawValue:))
    #endif

    /// Scales `gradient` by 1.05 when `layer` is the kind broken on purpose (debug builds only).
    @inline(__always)
    static func corrupt(_ gradient: Matrix, in layer: DeliberateFault) {
        #if DEBUG
            guard active == layer else { return }
            let p = gradient.pointer
            for i in 0..<gradient.count { p[i] *= 1.05 }
        #endif
    }
}
