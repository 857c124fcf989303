import ArgumentParser
import Foundation
import NN

/// Normalization, Dropout (hidden and input) and weight decay of a single run (`train`, the
/// dashboard, `gradcheck`). The Dropout style is `RunOptions`' (`--dropout-style`), shared with `compare`.
struct RegularizationOptions: ParsableArguments {
    @Flag(help: "BatchNorm after every hidden Affine layer (the book's switch: --norm batch).")
    var batchnorm = false

    @Option(
        help:
            "Normalization after every hidden Affine layer: none, batch (BatchNorm) or layer (LayerNorm, per sample: any batch size)."
    )
    var norm: Normalization?

    /// `--norm`, or what `--batchnorm` says.
    var normalization: Normalization { norm ?? (batchnorm ? .batch : .none) }

    @Option(
        parsing: .unconditional,
        help:
            "Dropout ratio after every hidden activation (the book's non-inverted form unless --dropout-style); 0 = off."
    )
    var dropout: Float = 0

    @Option(
        name: .customLong("input-dropout"), parsing: .unconditional,
        help: "Dropout ratio on the input pixels, before the first layer (e.g. 0.2: keep 0.8); 0 = off.")
    var inputDropout: Float = 0

    @Option(
        name: .customLong("weight-decay"), parsing: .unconditional, help: "L2 weight decay λ on the Affine weights.")
    var weightDecay: Float = 0

    func validate() throws {
        if batchnorm, let norm, norm != .batch {
            throw ValidationError(
                "--batchnorm and --norm \(norm.rawValue): give one of them (--batchnorm is --norm batch)")
        }
        var c = TrainingConfig()
        c.network.dropout = dropout
        c.network.inputDropout = inputDropout
        c.network.weightDecay = weightDecay
        do { try c.validate() } catch { throw ValidationError(error.flagMessage) }
    }

    func config(_ options: RunOptions, defaultEpochs: Int) -> TrainingConfig {
        var c = options.trainingConfig(
            defaultEpochs: defaultEpochs, normalization: normalization, dropout: dropout, weightDecay: weightDecay)
        c.network.inputDropout = inputDropout
        return c
    }
}
