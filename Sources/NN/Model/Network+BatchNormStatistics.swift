extension Network {
    /// The batch and running statistics of the BatchNorm that follows hidden Affine layer `k`
    /// (0-based, as `affines`), from its last train-mode pass. Nil for a network without BatchNorm,
    /// for the output layer (never followed by one) and before the first train-mode pass.
    func batchNormStatistics(after k: Int) -> BatchNormStatistics? {
        guard config.batchNorm, batchNorms.indices.contains(k) else { return nil }
        return BatchNormStatistics(of: batchNorms[k])
    }
}
