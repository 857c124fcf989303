import Foundation
import NN
import Testing

@Suite struct DataTests {
    /// Runs `body` and returns the DatasetError message it throws (nil if it does not throw).
    func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let e as DatasetError { return e.message } catch { return "unexpected \(error)" }
    }

    @Test func readsGzipAndRawIDX() throws {
        let fx = Fixtures()
        defer { fx.remove() }
        let bytes = Fixtures.idx(magic: 0x803, dims: [2, 3, 1], data: [1, 2, 3, 4, 5, 6])
        fx.writeGzip("a.gz", bytes)
        fx.writeRaw("b", bytes)
        for name in ["a.gz", "b"] {
            let f = try IDXFile(path: fx.path(name), magic: IDXFile.imagesMagic)
            #expect(f.dimensions == [2, 3, 1])
            #expect(f.bytes == [1, 2, 3, 4, 5, 6])
        }
    }

    @Test func wrongMagicIsNamed() {
        let fx = Fixtures()
        defer { fx.remove() }
        fx.writeGzip("x.gz", Fixtures.idx(magic: 0x801, dims: [3], data: [1, 2, 3]))
        let m = message { _ = try IDXFile(path: fx.path("x.gz"), magic: IDXFile.imagesMagic) }
        #expect(m == "\(fx.path("x.gz")): wrong magic number 0x00000801, expected 0x00000803 (IDX images)")
    }

    @Test func truncatedGzipIsRejected() throws {
        let fx = Fixtures()
        defer { fx.remove() }
        var g = SeededGenerator(seed: 1)
        let data = (0..<20000).map { _ in UInt8(g.nextInt(below: 256)) }  // incompressible
        fx.writeGzip("t.gz", Fixtures.idx(magic: 0x803, dims: [20, 1000, 1], data: data))
        let full = try Data(contentsOf: URL(fileURLWithPath: fx.path("t.gz")))
        try full.prefix(full.count / 2).write(to: URL(fileURLWithPath: fx.path("t.gz")))
        let m = message { _ = try IDXFile(path: fx.path("t.gz"), magic: IDXFile.imagesMagic) }
        #expect(m?.hasPrefix(fx.path("t.gz") + ": ") == true)
        #expect(m?.contains("truncated") == true, "\(m ?? "no error")")
    }

    @Test func corruptGzipIsRejected() throws {
        let fx = Fixtures()
        defer { fx.remove() }
        var g = SeededGenerator(seed: 2)
        fx.writeGzip(
            "c.gz", Fixtures.idx(magic: 0x801, dims: [4000], data: (0..<4000).map { _ in UInt8(g.nextInt(below: 10)) }))
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fx.path("c.gz"))))
        for i in 40..<60 { bytes[i] ^= 0xA5 }
        try Data(bytes).write(to: URL(fileURLWithPath: fx.path("c.gz")))
        let m = message { _ = try IDXFile(path: fx.path("c.gz"), magic: IDXFile.labelsMagic) }
        #expect(m?.hasPrefix(fx.path("c.gz") + ": ") == true, "\(m ?? "no error")")
    }

    @Test func truncatedDataAndTrailingBytesAreRejected() {
        let fx = Fixtures()
        defer { fx.remove() }
        fx.writeRaw("short", Fixtures.idx(magic: 0x801, dims: [5], data: [1, 2, 3]))
        fx.writeRaw("long", Fixtures.idx(magic: 0x801, dims: [2], data: [1, 2, 3]))
        #expect(
            message { _ = try IDXFile(path: fx.path("short"), magic: IDXFile.labelsMagic) }
                == "\(fx.path("short")): truncated: header declares 5 = 5 bytes of data, file has 3")
        #expect(
            message { _ = try IDXFile(path: fx.path("long"), magic: IDXFile.labelsMagic) }
                == "\(fx.path("long")): more data than the header's 2 = 2 bytes")
    }

    @Test func loadsAnMNISTFolder() throws {
        let fx = Fixtures()
        defer { fx.remove() }
        fx.writeMNIST(train: 6, test: 4)
        let (train, test) = try MNIST.load(directory: fx.directory)
        #expect(train.count == 6 && test.count == 4 && train.features == 4)
        #expect(train.labels == [0, 1, 2, 3, 4, 5])
        let x = Matrix(rows: 0, cols: 0)
        var labels: [Int32] = []
        train.gather([1, 0], into: x, labels: &labels)
        #expect(x.values == [4, 5, 6, 7, 0, 1, 2, 3].map { Float($0) / 255 })
        #expect(labels == [1, 0])
    }

    @Test func imageLabelCountMismatchNamesBothFiles() {
        let fx = Fixtures()
        defer { fx.remove() }
        fx.writeMNIST(train: 6, trainLabels: 5)
        let m = message { _ = try MNIST.load(directory: fx.directory) }
        #expect(
            m
                == "\(fx.path("train-images-idx3-ubyte.gz")) has 6 images but \(fx.path("train-labels-idx1-ubyte.gz")) has 5 labels"
        )
    }

    @Test func labelOutOfRangeIsRejected() {
        let fx = Fixtures()
        defer { fx.remove() }
        fx.writeMNIST()
        fx.writeGzip("t10k-labels-idx1-ubyte.gz", Fixtures.idx(magic: 0x801, dims: [4], data: [1, 2, 12, 3]))
        #expect(
            message { _ = try MNIST.load(directory: fx.directory) }
                == "\(fx.path("t10k-labels-idx1-ubyte.gz")): label 12 at index 2 is outside 0…9")
    }

    @Test func missingFolderAndMissingFile() {
        let fx = Fixtures()
        defer { fx.remove() }
        #expect(
            message { _ = try MNIST.load(directory: fx.directory + "/nope") }
                == "data folder '\(fx.directory)/nope' does not exist")
        fx.writeMNIST()
        try? FileManager.default.removeItem(atPath: fx.path("t10k-images-idx3-ubyte.gz"))
        #expect(
            message { _ = try MNIST.load(directory: fx.directory) }
                == "\(fx.directory): no t10k-images-idx3-ubyte file; looked for t10k-images-idx3-ubyte.gz, t10k-images-idx3-ubyte, t10k-images.idx3-ubyte.gz, t10k-images.idx3-ubyte"
        )
    }

    @Test func mirrorNamingsAreAccepted() throws {
        // A dot before idx (as many mirrors ship them), gzip or not, mixed in one folder.
        let fx = Fixtures()
        defer { fx.remove() }
        fx.writeMNIST(train: 6, test: 4)
        let moves = [
            ("train-images-idx3-ubyte.gz", "train-images.idx3-ubyte.gz"),
            ("t10k-labels-idx1-ubyte.gz", "t10k-labels.idx1-ubyte.gz"),
        ]
        for (from, to) in moves { try FileManager.default.moveItem(atPath: fx.path(from), toPath: fx.path(to)) }
        fx.writeRaw(
            "t10k-images.idx3-ubyte", Fixtures.idx(magic: 0x803, dims: [4, 2, 2], data: (0..<16).map { UInt8($0) }))
        try FileManager.default.removeItem(atPath: fx.path("t10k-images-idx3-ubyte.gz"))
        let (train, test) = try MNIST.load(directory: fx.directory)
        #expect(train.count == 6 && test.count == 4 && test.pixels == (0..<16).map { UInt8($0) })
        #expect(
            MNIST.candidateNames("train-labels-idx1-ubyte")
                == [
                    "train-labels-idx1-ubyte.gz", "train-labels-idx1-ubyte", "train-labels.idx1-ubyte.gz",
                    "train-labels.idx1-ubyte",
                ])
    }

    @Test func imagesOfAnySizeLoadAndTheNetworkFollowsThem() throws {
        let fx = Fixtures()
        defer { fx.remove() }
        let n = 30
        fx.writeGzip(
            "train-images-idx3-ubyte.gz",
            Fixtures.idx(magic: 0x803, dims: [n, 3, 5], data: (0..<(n * 15)).map { UInt8($0 % 256) }))
        fx.writeGzip(
            "train-labels-idx1-ubyte.gz", Fixtures.idx(magic: 0x801, dims: [n], data: (0..<n).map { UInt8($0 % 10) }))
        fx.writeGzip(
            "t10k-images-idx3-ubyte.gz",
            Fixtures.idx(magic: 0x803, dims: [5, 3, 5], data: [UInt8](repeating: 7, count: 75)))
        fx.writeGzip("t10k-labels-idx1-ubyte.gz", Fixtures.idx(magic: 0x801, dims: [5], data: [0, 1, 2, 3, 4]))
        let (train, test) = try MNIST.load(directory: fx.directory)
        #expect(train.features == 15 && test.features == 15)
        // A config written for 28×28 still trains: the trainer's network takes 15 inputs.
        let trainer = Trainer(
            config: TrainingConfig(network: NetworkConfig(hidden: [8]), batchSize: 10, epochs: 1),
            data: Dataset(name: "odd", train: train, test: test))
        #expect(trainer.network.config.inputSize == 15 && trainer.config.network.shapeDescription == "15-8-10")
        #expect(trainer.step().isFinite)
    }

    @Test func trainAndTestImagesOfDifferentSizesNameBothFiles() {
        let fx = Fixtures()
        defer { fx.remove() }
        fx.writeMNIST(train: 6, test: 4)
        fx.writeGzip(
            "t10k-images-idx3-ubyte.gz",
            Fixtures.idx(magic: 0x803, dims: [4, 3, 3], data: [UInt8](repeating: 1, count: 36)))
        #expect(
            message { _ = try MNIST.load(directory: fx.directory) }
                == "\(fx.path("train-images-idx3-ubyte.gz")) has 2×2 images but \(fx.path("t10k-images-idx3-ubyte.gz")) has 3×3: training and test images must be the same size"
        )
    }

    @Test func headerWhoseSizesOverflowIsRejected() throws {
        // 0xFFFFFFFF³ overflows Int; a 16-byte file must not trap.
        let fx = Fixtures()
        defer { fx.remove() }
        let bytes: [UInt8] = [0, 0, 8, 3] + [UInt8](repeating: 0xFF, count: 12)
        fx.writeRaw("big", bytes)
        let expected =
            "\(fx.path("big")): header declares 4294967295×4294967295×4294967295 bytes of data, more than the 4 GiB dlboard reads from one file"
        #expect(message { _ = try IDXFile(path: fx.path("big"), magic: IDXFile.imagesMagic) } == expected)
        #expect(message { _ = try IDXFile(bytes: bytes, magic: IDXFile.imagesMagic, name: fx.path("big")) } == expected)
        // Under Int's range but over the cap: 65536 × 65536 × 2 = 8 GiB.
        let over: [UInt8] = [0, 0, 8, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2]
        #expect(
            message { _ = try IDXFile(bytes: over, magic: IDXFile.imagesMagic) }?.contains("more than the 4 GiB")
                == true)
        // A fuzzer's lower cap.
        let small = Fixtures.idx(magic: 0x803, dims: [2, 3, 2], data: [UInt8](repeating: 1, count: 12))
        #expect(
            message { _ = try IDXFile(bytes: small, magic: IDXFile.imagesMagic, name: "m", maxDataBytes: 11) }
                == "m: header declares 2×3×2 bytes of data, more than the 11 bytes dlboard reads from one file")
        #expect(try IDXFile(bytes: small, magic: IDXFile.imagesMagic, maxDataBytes: 12).bytes.count == 12)
    }

    @Test func bytesInMemoryParseLikeTheFile() throws {
        let fx = Fixtures()
        defer { fx.remove() }
        let bytes = Fixtures.idx(magic: 0x803, dims: [2, 3, 1], data: [1, 2, 3, 4, 5, 6])
        fx.writeGzip("a.gz", bytes)
        let gz = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fx.path("a.gz"))))
        for input in [bytes, gz] {
            let f = try IDXFile(bytes: input, magic: IDXFile.imagesMagic)
            #expect(f.dimensions == [2, 3, 1] && f.bytes == [1, 2, 3, 4, 5, 6])
        }
        // The header in one gzip member and the data in the next, as gzread reads them.
        fx.writeGzip("h.gz", Array(bytes.prefix(10)))
        fx.writeGzip("d.gz", Array(bytes.dropFirst(10)))
        let two =
            [UInt8](try Data(contentsOf: URL(fileURLWithPath: fx.path("h.gz"))))
            + [UInt8](try Data(contentsOf: URL(fileURLWithPath: fx.path("d.gz"))))
        #expect(try IDXFile(bytes: two, magic: IDXFile.imagesMagic).bytes == [1, 2, 3, 4, 5, 6])
        #expect(
            message { _ = try IDXFile(bytes: Array(gz.prefix(gz.count / 2)), magic: IDXFile.imagesMagic, name: "m") }?
                .hasPrefix("m: ") == true)
        #expect(
            message { _ = try IDXFile(bytes: [0, 0, 8], magic: IDXFile.imagesMagic, name: "m") }
                == "m: too short to be an IDX file (3 bytes)")
        #expect(
            message { _ = try IDXFile(bytes: [0, 0, 8, 3, 0, 0], magic: IDXFile.imagesMagic, name: "m") }
                == "m: truncated header (6 bytes, need 16)")
        #expect(
            message { _ = try IDXFile(bytes: bytes + [9], magic: IDXFile.imagesMagic, name: "m") }
                == "m: more data than the header's 2×3×1 = 6 bytes")
    }

    @Test func aValidationSplitThatLeavesNoTrainingImageIsAnError() throws {
        let one = Synthetic.dataset(train: 1, test: 5)
        #expect(
            message { _ = try one.restricted(trainSize: nil, validationFraction: 0.5, seed: 0) }
                == "a validation split of 1 training image leaves none to train on: the split needs at least 2 (more --train-size, or no validation)"
        )
        let two = try Synthetic.dataset(train: 2, test: 5).restricted(trainSize: nil, validationFraction: 0.9, seed: 0)
        #expect(two.train.count == 1 && two.validation?.count == 1)
        #expect(try one.restricted(trainSize: nil, validationFraction: 0, seed: 0).train.count == 1)
    }

    @Test func bundledAssetsAreTheRealMNIST() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let (train, test) = try MNIST.load(directory: root.appendingPathComponent("assets/mnist").path)
        #expect(train.count == 60000 && test.count == 10000 && train.features == 784)
        #expect(Array(train.labels.prefix(10)) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4])
        #expect(Array(test.labels.prefix(10)) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])
    }

    @Test func trainSizeThenValidationSplit() throws {
        let d = try Synthetic.dataset(train: 500, test: 50).restricted(trainSize: 300, validationFraction: 0.2, seed: 3)
        #expect(d.train.count == 240 && d.validation?.count == 60 && d.test.count == 50)
        // The split partitions the first 300 images: nothing from images 300… and nothing twice.
        let first300 = Synthetic.dataset(train: 500, test: 50).train.prefix(300)
        var pool = (0..<300).map { first300.subset([$0]) }
        for part in [d.train, d.validation!] {
            for i in 0..<part.count {
                let one = part.subset([i])
                let j = pool.firstIndex(of: one)
                #expect(j != nil)
                if let j { pool.remove(at: j) }
            }
        }
        #expect(pool.isEmpty)
    }
}
