import CZlib
import Foundation
import NN

/// Writes small IDX files (raw or gzip) into a fresh temporary folder.
struct Fixtures {
    let directory: String

    init() {
        directory = NSTemporaryDirectory() + "dlboard-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    func path(_ name: String) -> String { directory + "/" + name }

    static func idx(magic: UInt32, dims: [Int], data: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [
            UInt8(magic >> 24), UInt8((magic >> 16) & 0xFF), UInt8((magic >> 8) & 0xFF), UInt8(magic & 0xFF),
        ]
        for d in dims { bytes += [UInt8(d >> 24), UInt8((d >> 16) & 0xFF), UInt8((d >> 8) & 0xFF), UInt8(d & 0xFF)] }
        return bytes + data
    }

    func writeRaw(_ name: String, _ bytes: [UInt8]) {
        FileManager.default.createFile(atPath: path(name), contents: Data(bytes))
    }

    func writeGzip(_ name: String, _ bytes: [UInt8]) {
        let f = gzopen(path(name), "wb")!
        _ = bytes.withUnsafeBytes { gzwrite(f, $0.baseAddress, UInt32($0.count)) }
        gzclose(f)
    }

    /// A complete, valid MNIST-format folder with `train` and `test` 2×2 images (gzip).
    func writeMNIST(train: Int = 6, test: Int = 4, trainLabels: Int? = nil) {
        func images(_ n: Int) -> [UInt8] {
            Fixtures.idx(magic: 0x803, dims: [n, 2, 2], data: (0..<(n * 4)).map { UInt8($0 % 256) })
        }
        func labels(_ n: Int) -> [UInt8] { Fixtures.idx(magic: 0x801, dims: [n], data: (0..<n).map { UInt8($0 % 10) }) }
        writeGzip("train-images-idx3-ubyte.gz", images(train))
        writeGzip("train-labels-idx1-ubyte.gz", labels(trainLabels ?? train))
        writeGzip("t10k-images-idx3-ubyte.gz", images(test))
        writeGzip("t10k-labels-idx1-ubyte.gz", labels(test))
    }
}
