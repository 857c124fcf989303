import ArgumentParser
import Foundation
import NN

/// BatchNorm, Dropout (hidden and input) and weight decay of a single run (`train`, the dashboard,
/// `gradcheck`). The Dropout style is `RunOptions`' (`--dropout-style`), shared with `compare`.
struct RegularizationOptions: ParsableArguments {
    @Flag(help: "BatchNorm after every hidden Affine layer.")
    var batchnorm = false

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
        var c = TrainingConfig()
        c.network.dropout = dropout
        c.network.inputDropout = inputDropout
        c.network.weightDecay = weightDecay
        do { try c.validate() } catch { throw ValidationError(error.flagMessage) }
    }

    func config(_ options: RunOptions, defaultEpochs: Int) -> TrainingConfig {
        var c = options.trainingConfig(
            defaultEpochs: defaultEpochs, batchNorm: batchnorm, dropout: dropout, weightDecay: weightDecay)
        c.network.inputDropout = inputDropout
        return c
    }
}
