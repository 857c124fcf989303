import Foundation
import NN
import Testing

@Suite struct DataTests {
    /// Runs `body` and returns the DatasetError message it throws (nil if it does not throw).
    func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let e as DatasetError { return e.message } catch { return "unexpected \(error)" }
    }

    @Test func readsGzipAndRawIDX() throws {
        let fx = Fixtures(); defer { fx.remove() }
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
        let fx = Fixtures(); defer { fx.remove() }
        fx.writeGzip("x.gz", Fixtures.idx(magic: 0x801, dims: [3], data: [1, 2, 3]))
        let m = message { _ = try IDXFile(path: fx.path("x.gz"), magic: IDXFile.imagesMagic) }
        #expect(m == "\(fx.path("x.gz")): wrong magic number 0x00000801, expected 0x00000803 (IDX images)")
    }

    @Test func truncatedGzipIsRejected() throws {
        let fx = Fixtures(); defer { fx.remove() }
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
        let fx = Fixtures(); defer { fx.remove() }
        var g = SeededGenerator(seed: 2)
        fx.writeGzip("c.gz", Fixtures.idx(magic: 0x801, dims: [4000], data: (0..<4000).map { _ in UInt8(g.nextInt(below: 10)) }))
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fx.path("c.gz"))))
        for i in 40..<60 { bytes[i] ^= 0xA5 }
        try Data(bytes).write(to: URL(fileURLWithPath: fx.path("c.gz")))
        let m = message { _ = try IDXFile(path: fx.path("c.gz"), magic: IDXFile.labelsMagic) }
        #expect(m?.hasPrefix(fx.path("c.gz") + ": ") == true, "\(m ?? "no error")")
    }

    @Test func truncatedDataAndTrailingBytesAreRejected() {
        let fx = Fixtures(); defer { fx.remove() }
        fx.writeRaw("short", Fixtures.idx(magic: 0x801, dims: [5], data: [1, 2, 3]))
        fx.writeRaw("long", Fixtures.idx(magic: 0x801, dims: [2], data: [1, 2, 3]))
        #expect(message { _ = try IDXFile(path: fx.path("short"), magic: IDXFile.labelsMagic) }
                == "\(fx.path("short")): truncated: header declares 5 = 5 bytes of data, file has 3")
        #expect(message { _ = try IDXFile(path: fx.path("long"), magic: IDXFile.labelsMagic) }
                == "\(fx.path("long")): 1 unexpected bytes after the 2 data")
    }

    @Test func loadsAnMNISTFolder() throws {
        let fx = Fixtures(); defer { fx.remove() }
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
        let fx = Fixtures(); defer { fx.remove() }
        fx.writeMNIST(train: 6, trainLabels: 5)
        let m = message { _ = try MNIST.load(directory: fx.directory) }
        #expect(m == "\(fx.path("train-images-idx3-ubyte.gz")) has 6 images but \(fx.path("train-labels-idx1-ubyte.gz")) has 5 labels")
    }

    @Test func labelOutOfRangeIsRejected() {
        let fx = Fixtures(); defer { fx.remove() }
        fx.writeMNIST()
        fx.writeGzip("t10k-labels-idx1-ubyte.gz", Fixtures.idx(magic: 0x801, dims: [4], data: [1, 2, 12, 3]))
        #expect(message { _ = try MNIST.load(directory: fx.directory) }
                == "\(fx.path("t10k-labels-idx1-ubyte.gz")): label 12 at index 2 is outside 0…9")
    }

    @Test func missingFolderAndMissingFile() {
        let fx = Fixtures(); defer { fx.remove() }
        #expect(message { _ = try MNIST.load(directory: fx.directory + "/nope") } == "data folder '\(fx.directory)/nope' does not exist")
        fx.writeMNIST()
        try? FileManager.default.removeItem(atPath: fx.path("t10k-images-idx3-ubyte.gz"))
        #expect(message { _ = try MNIST.load(directory: fx.directory) } == "\(fx.path("t10k-images-idx3-ubyte")).gz: file not found")
    }

    @Test func bundledAssetsAreTheRealMNIST() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let (train, test) = try MNIST.load(directory: root.appendingPathComponent("assets/mnist").path)
        #expect(train.count == 60000 && test.count == 10000 && train.features == 784)
        #expect(Array(train.labels.prefix(10)) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4])
        #expect(Array(test.labels.prefix(10)) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])
    }

    @Test func trainSizeThenValidationSplit() {
        let d = Synthetic.dataset(train: 500, test: 50).restricted(trainSize: 300, validationFraction: 0.2, seed: 3)
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
