/// The images a run trains and is judged on. `validation`, when present, was split off the
/// training images; the test set is never used for any decision during training.
public struct Dataset: Sendable, Equatable {
    public var name: String
    public var train: LabeledImages
    public var validation: LabeledImages?
    public var test: LabeledImages

    public init(name: String, train: LabeledImages, validation: LabeledImages? = nil, test: LabeledImages) {
        self.name = name
        self.train = train
        self.validation = validation
        self.test = test
    }

    /// Uses only the first `trainSize` training images (nil: all), then splits off a validation
    /// fraction of those (0: none) — the order of the book's overfitting and search experiments.
    public func restricted(trainSize: Int?, validationFraction: Double, seed: UInt64) -> Dataset {
        var d = self
        if let n = trainSize { d.train = train.prefix(n) }
        if validationFraction > 0 {
            let (t, v) = d.train.splittingValidation(fraction: validationFraction, seed: seed)
            d.train = t
            d.validation = v
        }
        return d
    }
}
