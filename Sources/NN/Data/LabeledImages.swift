import CKernels

/// Images with their class labels, kept as the bytes of the file (UInt8 pixels, 0…255) and
/// converted to Float32 `pixel / 255` per batch: a quarter of the memory of a Float copy, at no cost
/// in speed since every batch is gathered anyway.
public struct LabeledImages: Sendable, Equatable {
    /// `count × features` pixels, row-major.
    public let pixels: [UInt8]
    public let labels: [UInt8]
    /// Values per image (784 for 28×28).
    public let features: Int
    /// Number of classes (labels are in 0..<classes).
    public let classes: Int
    /// Pixels per image row (`features / width` rows): what a shift or a rotation moves pixels along.
    public let width: Int

    public var count: Int { labels.count }

    /// `width` defaults to a square image's side when `features` is a square (784 → 28), and to
    /// `features` (one row) otherwise.
    public init(pixels: [UInt8], labels: [UInt8], features: Int, classes: Int = 10, width: Int? = nil) {
        precondition(features > 0 && pixels.count == labels.count * features, "pixels must be labels.count × features")
        let side = Int(Double(features).squareRoot().rounded())
        let width = width ?? (side * side == features ? side : features)
        precondition(width > 0 && features % width == 0, "width must divide features")
        self.pixels = pixels
        self.labels = labels
        self.features = features
        self.classes = classes
        self.width = width
    }

    /// Whether both are the very same images (one copy in memory): the cheap test of "the same
    /// training set" for trainers about to share a batch. Equal contents in two copies answer
    /// false, which only costs a gather; comparing 47 MB a step would cost far more.
    public func sharesStorage(with other: LabeledImages) -> Bool {
        guard count == other.count, features == other.features, width == other.width else { return false }
        let samePixels = pixels.withUnsafeBufferPointer { a in
            other.pixels.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress }
        }
        let sameLabels = labels.withUnsafeBufferPointer { a in
            other.labels.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress }
        }
        return samePixels && sameLabels
    }

    /// Rows of one image.
    public var height: Int { features / width }

    /// The images at `indices`, in that order.
    public func subset<S: Sequence>(_ indices: S) -> LabeledImages where S.Element == Int {
        var px: [UInt8] = []
        var lb: [UInt8] = []
        for i in indices {
            px.append(contentsOf: pixels[(i * features)..<((i + 1) * features)])
            lb.append(labels[i])
        }
        return LabeledImages(pixels: px, labels: lb, features: features, classes: classes, width: width)
    }

    /// The first `n` images (all of them if `n ≥ count`).
    public func prefix(_ n: Int) -> LabeledImages {
        n >= count ? self : subset(0..<n)
    }

    /// Splits off a validation set the way the book's E9 does: shuffle (seeded), then the first
    /// `fraction` of the shuffled images are validation and the rest training. Both parts keep at
    /// least one image; with fewer than two images there is nothing to split, which is an error
    /// rather than an empty training set.
    public func splittingValidation(fraction: Double, seed: UInt64) throws(DatasetError) -> (
        train: LabeledImages, validation: LabeledImages
    ) {
        guard fraction > 0 && fraction < 1 else {
            throw DatasetError("--validation: must be in [0, 1), got \(fraction)")
        }
        guard count >= 2 else {
            throw DatasetError(
                "a validation split of \(count) training image\(count == 1 ? "" : "s") leaves none to train on: the split needs at least 2 (more --train-size, or no validation)"
            )
        }
        var g = SeededGenerator(seed: seed, stream: "validation-split")
        var order = Array(0..<count)
        order.shuffle(using: &g)
        let k = max(1, min(count - 1, Int((Double(count) * fraction).rounded())))
        return (subset(order[k...]), subset(order[..<k]))
    }

    /// Writes the images at `indices` into `x` (one row each, pixel/255) and their labels.
    public func gather(_ indices: [Int], into x: Matrix, labels out: inout [Int32]) {
        x.resize(rows: indices.count, cols: features)
        out.removeAll(keepingCapacity: true)
        let d = features
        let dst = x.pointer
        for i in indices { precondition(i >= 0 && i < count, "image index \(i) outside 0..<\(count)") }
        guard !indices.isEmpty else { return }
        pixels.withUnsafeBufferPointer { src in
            indices.withUnsafeBufferPointer { rows in
                // Exact IEEE division in the C kernel (AVX-512/AVX2 when present): the same values
                // as `Float(byte) / 255`.
                dlboard_gather_unit(src.baseAddress!, d, rows.baseAddress!, rows.count, dst)
            }
        }
        for i in indices { out.append(Int32(labels[i])) }
    }

    /// Writes the images in `range` into `x` and their labels (for evaluation in chunks).
    public func gather(range: Range<Int>, into x: Matrix, labels out: inout [Int32]) {
        gather(Array(range), into: x, labels: &out)
    }
}

/// `Float(byte) / 255` for every byte, exactly as the book (and NumPy's `astype(float32) / 255`)
/// computes it, looked up rather than divided.
