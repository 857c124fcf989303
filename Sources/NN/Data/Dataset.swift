import CZlib
import Foundation

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
    /// Every split of the command line comes through here, so this is where a split that would
    /// leave no training image is refused.
    public func restricted(trainSize: Int?, validationFraction: Double, seed: UInt64) throws(DatasetError) -> Dataset {
        var d = self
        if let n = trainSize { d.train = train.prefix(n) }
        if validationFraction > 0 {
            let (t, v) = try d.train.splittingValidation(fraction: validationFraction, seed: seed)
            d.train = t
            d.validation = v
        }
        return d
    }
}

extension Dataset {
    /// CRC-32 (zlib's) of every image and label the run sees — training, validation and test, in
    /// that order — as 8 hex digits: a run record names exactly the data it was trained on, whatever
    /// the files were called or how they were compressed. A function, not a property: it reads
    /// every byte (about 55 MB for MNIST), so a caller computes it once per record.
    public func checksum() -> String {
        let crc = [train, validation, test].compactMap { $0 }.reduce(crc32(0, nil, 0)) { Self.crc($1, $0) }
        return String(format: "%08x", UInt32(truncatingIfNeeded: crc))
    }

    /// CRC-32 (zlib's) of the training images and labels only, in order: what a checkpoint is
    /// continued on. Another `--data`, `--train-size` or validation split (which takes images out
    /// of the training set) changes it, even when the image count stays the same.
    public func trainingChecksum() -> UInt32 { UInt32(truncatingIfNeeded: Self.crc(train, crc32(0, nil, 0))) }

    private static func crc(_ part: LabeledImages, _ start: UInt) -> UInt {
        var crc = start
        func add(_ bytes: [UInt8]) {
            bytes.withUnsafeBufferPointer { b in
                var offset = 0
                // zlib takes a 32-bit length.
                while offset < b.count {
                    let n = min(1 << 30, b.count - offset)
                    crc = crc32(crc, b.baseAddress! + offset, UInt32(n))
                    offset += n
                }
            }
        }
        add(part.pixels)
        add(part.labels)
        return crc
    }
}
