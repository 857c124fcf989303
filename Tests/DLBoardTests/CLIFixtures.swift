import Foundation

/// MNIST-format folders for the CLI tests: 28×28 images whose label is drawn as a bright band.
struct CLIFixtures {
    let directory: String

    init() {
        directory = NSTemporaryDirectory() + "dlboard-cli-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
    func path(_ name: String) -> String { directory + "/" + name }

    static func idx(magic: UInt32, dims: [Int], data: [UInt8]) -> Data {
        var bytes: [UInt8] = [0, 0, UInt8((magic >> 8) & 0xFF), UInt8(magic & 0xFF)]
        for d in dims { bytes += [UInt8(d >> 24), UInt8((d >> 16) & 0xFF), UInt8((d >> 8) & 0xFF), UInt8(d & 0xFF)] }
        return Data(bytes + data)
    }

    /// Writes the four files gzip-compressed (via the system's gzip, as real downloads are).
    func writeMNIST(train: Int = 200, test: Int = 100, trainLabels: Int? = nil) {
        func images(_ n: Int) -> Data {
            var px: [UInt8] = []
            var state: UInt32 = 12345
            for i in 0..<n {
                let label = i % 10
                for p in 0..<784 {
                    state = state &* 1_103_515_245 &+ 12345
                    let noise = UInt8((state >> 16) % 60)
                    px.append((p / 28) / 3 == label ? 200 &+ noise / 2 : noise)
                }
            }
            return Self.idx(magic: 0x803, dims: [n, 28, 28], data: px)
        }
        func labels(_ n: Int) -> Data { Self.idx(magic: 0x801, dims: [n], data: (0..<n).map { UInt8($0 % 10) }) }
        write("train-images-idx3-ubyte", images(train))
        write("train-labels-idx1-ubyte", labels(trainLabels ?? train))
        write("t10k-images-idx3-ubyte", images(test))
        write("t10k-labels-idx1-ubyte", labels(test))
    }

    private func write(_ name: String, _ data: Data) {
        FileManager.default.createFile(atPath: path(name), contents: data)
        let r = try! Subprocess.run("/bin/gzip", ["-f", "-n", path(name)], timeout: 60)
        precondition(r.status == 0, "gzip failed: \(r.stderr)")
    }
}
