import Foundation

/// How much memory training configurations need, worked out before anything is allocated, so a
/// configuration that cannot fit is refused with a message instead of ending in "failed to
/// allocate" (possibly with the dashboard on screen).
///
/// Counted per run, in Float32: weights and biases (and BatchNorm's γ, β and running statistics),
/// their gradients, optimizer state at its largest (Adam's two moments — a dashboard can switch to
/// Adam at any time), and every buffer a layer keeps for a batch: the training batch and the
/// evaluation chunk (the buffers grow to the larger of the two), forward outputs, the backward
/// gradients, BatchNorm's and Dropout's extra buffers, as if BatchNorm and Dropout were on (both
/// can be switched on live; LayerNorm, which replaces BatchNorm, needs no more than it), and the input Dropout's when it is on. Computed in Double: widths such as 10^18 must not overflow first.
public enum MemoryEstimate {
    /// Rows of the chunks `Trainer.accuracy` evaluates at a time.
    public static let evaluationChunk = 1000

    /// Bytes `config` needs for one run (the images themselves not included).
    public static func bytes(for config: TrainingConfig) -> Double {
        let sizes = config.network.sizes.map(Double.init)
        let batch = Double(config.batchSize)
        let rows = max(batch, Double(evaluationChunk))
        var parameters = 0.0
        var buffers = rows * sizes[0] + batch * sizes[0]  // the batch and the evaluation chunk
        if config.network.inputDropout > 0 { buffers += rows * sizes[0] * 2 }  // input Dropout output and mask
        for l in 0..<(sizes.count - 1) {
            let inSize = sizes[l]
            let outSize = sizes[l + 1]
            parameters += inSize * outSize + outSize
            buffers += rows * outSize  // Affine output
            if l > 0 { buffers += batch * inSize }  // Affine input gradient (not for the first layer)
            if l < sizes.count - 2 {
                parameters += 2 * outSize  // BatchNorm γ, β
                buffers += 2 * outSize  // running mean and variance
                buffers += rows * outSize * 3  // BatchNorm output, centred and normalized inputs
                buffers += batch * outSize * 2  // BatchNorm and activation input gradients
                buffers += rows * outSize  // activation output
                if config.network.activation == .softplus { buffers += rows * outSize }  // SoftPlus's slope
                buffers += rows * outSize * 2  // Dropout output and mask
            } else {
                buffers += rows * outSize * 2  // softmax probabilities and its gradient
            }
        }
        let optimizerState = 2 * parameters
        return 4 * (2 * parameters + optimizerState + buffers)
    }

    /// The memory this process may use: physical memory, or less when a cgroup limits it.
    public static var available: Double {
        var limit = Double(ProcessInfo.processInfo.physicalMemory)
        for file in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            if let text = try? String(contentsOfFile: file, encoding: .utf8),
                let v = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)), v > 0
            {
                limit = min(limit, v)
            }
        }
        return limit
    }

    /// `1.2 GB`, `340 MB`.
    public static func describe(_ bytes: Double) -> String {
        if bytes >= 1e15 { return String(format: "%.2g PB", bytes / 1e15) }
        if bytes >= 1e12 { return String(format: "%.1f TB", bytes / 1e12) }
        if bytes >= 1e9 { return String(format: "%.1f GB", bytes / 1e9) }
        return String(format: "%.0f MB", max(1, bytes / 1e6))
    }

    /// Throws if the runs of `configs` (all of a comparison train at once) and the images of
    /// `data` need more than `available` bytes; the message says how much they need (what to do
    /// about it is the caller's to say: a flag at start-up, a refused fork on the dashboard).
    public static func check(_ configs: [TrainingConfig], data: Dataset, available: Double = MemoryEstimate.available)
        throws(ConfigError)
    {
        let images = Double(
            [data.train, data.validation, data.test].compactMap { $0 }.reduce(0) { $0 + $1.pixels.count + $1.count })
        let runs = configs.map(bytes(for:))
        let total = runs.reduce(images, +)
        guard total > available else { return }
        let what = configs.count == 1 ? "this configuration" : "these \(configs.count) runs"
        let biggest = configs[runs.indices.max { runs[$0] < runs[$1] }!]
        let shape = "\(biggest.network.shapeDescription), batch \(biggest.batchSize)"
        throw ConfigError(
            "\(what) need\(configs.count == 1 ? "s" : "") about \(describe(total)) of memory (\(shape): weights, gradients, optimizer state and batch buffers), more than the \(describe(available)) available"
        )
    }
}
