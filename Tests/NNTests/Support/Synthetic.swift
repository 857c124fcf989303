import NN

/// Small made-up datasets, so tests run in milliseconds and need no files.
enum Synthetic {
    /// `count` images of `features` pixels whose label is decided by which quarter of the image is
    /// brightest — learnable, but not trivially.
    static func images(count: Int, features: Int = 16, classes: Int = 4, seed: UInt64) -> LabeledImages {
        var g = SeededGenerator(seed: seed)
        var pixels: [UInt8] = []
        var labels: [UInt8] = []
        let block = features / classes
        for _ in 0..<count {
            let label = g.nextInt(below: classes)
            for j in 0..<features {
                let bright = j / block == label
                pixels.append(UInt8(min(255, g.nextInt(below: 120) + (bright ? 120 : 0))))
            }
            labels.append(UInt8(label))
        }
        return LabeledImages(pixels: pixels, labels: labels, features: features, classes: classes)
    }

    static func dataset(train: Int = 200, test: Int = 100, seed: UInt64 = 1) -> Dataset {
        Dataset(
            name: "synthetic", train: images(count: train, seed: seed), test: images(count: test, seed: seed + 1000))
    }

    static func config(optimizer: OptimizerKind = .sgd, seed: UInt64 = 7, batchNorm: Bool = false, dropout: Float = 0)
        -> TrainingConfig
    {
        TrainingConfig(
            network: NetworkConfig(
                inputSize: 16, hidden: [12, 8], outputSize: 4, batchNorm: batchNorm, dropout: dropout),
            optimizer: optimizer, learningRate: 0.1, batchSize: 20, epochs: 3, seed: seed)
    }
}
