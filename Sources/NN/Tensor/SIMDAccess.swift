/// Eight-lane loads and stores on raw Float storage, for element-wise loops the compiler would
/// otherwise leave scalar (it cannot prove that the buffers of a layer or an optimizer do not
/// alias). Each lane computes exactly what the scalar code would — IEEE operations in the same
/// order — so vectorized and scalar paths give bit-identical results.
@inline(__always)
func load8(_ p: UnsafeMutablePointer<Float>, _ i: Int) -> SIMD8<Float> {
    UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, _ i: Int) {
    UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// The largest multiple of 8 not above `n`: where the vector part of a loop ends.
@inline(__always)
func vectorEnd(_ n: Int) -> Int { n & ~7 }
