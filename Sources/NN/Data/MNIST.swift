import Foundation

/// Loads a folder holding the four MNIST-format files (MNIST, Fashion-MNIST):
/// `train-images-idx3-ubyte.gz`, `train-labels-idx1-ubyte.gz`, `t10k-images-idx3-ubyte.gz`,
/// `t10k-labels-idx1-ubyte.gz`. Each may also be uncompressed (no `.gz`) and may have a dot
/// instead of the hyphen before `idx` (`train-images.idx3-ubyte`), as many mirrors ship them.
/// Images may be of any size; the network's input follows them.
public enum MNIST {
    public static let fileNames = [
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
    ]

    /// Reads and cross-checks the four files. Errors name the file and what is wrong with it.
    public static func load(directory: String) throws(DatasetError) -> (train: LabeledImages, test: LabeledImages) {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir) else {
            throw DatasetError("data folder '\(directory)' does not exist")
        }
        guard isDir.boolValue else { throw DatasetError("data folder '\(directory)' is not a folder") }
        let train = try loadPair(directory: directory, images: fileNames[0], labels: fileNames[1])
        let test = try loadPair(directory: directory, images: fileNames[2], labels: fileNames[3])
        guard train.rows == test.rows && train.cols == test.cols else {
            throw DatasetError(
                "\(train.path) has \(train.rows)×\(train.cols) images but \(test.path) has \(test.rows)×\(test.cols): training and test images must be the same size"
            )
        }
        return (train.images, test.images)
    }

    /// The names a file may have on disk, in the order they are tried: `.gz` first, then
    /// uncompressed; the hyphen before `idx` first, then a dot.
    public static func candidateNames(_ name: String) -> [String] {
        var stems = [name]
        if let r = name.range(of: "-idx", options: .backwards) {
            stems.append(name.replacingCharacters(in: r, with: ".idx"))
        }
        return stems.flatMap { [$0 + ".gz", $0] }
    }

    static func path(directory: String, name: String) throws(DatasetError) -> String {
        let names = candidateNames(name)
        for n in names {
            let candidate = (directory as NSString).appendingPathComponent(n)
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        throw DatasetError("\(directory): no \(name) file; looked for \(names.joined(separator: ", "))")
    }

    static func loadPair(directory: String, images: String, labels: String) throws(DatasetError)
        -> (images: LabeledImages, path: String, rows: Int, cols: Int)
    {
        let imagePath = try path(directory: directory, name: images)
        let labelPath = try path(directory: directory, name: labels)
        let img = try IDXFile(path: imagePath, magic: IDXFile.imagesMagic)
        guard img.dimensions.count == 3, img.dimensions[1] > 0, img.dimensions[2] > 0 else {
            throw DatasetError(
                "\(imagePath): expected 3 dimensions (count×rows×cols), got \(img.dimensions.map(String.init).joined(separator: "×"))"
            )
        }
        let lab = try IDXFile(path: labelPath, magic: IDXFile.labelsMagic)
        guard lab.dimensions.count == 1 else {
            throw DatasetError(
                "\(labelPath): expected 1 dimension (count), got \(lab.dimensions.map(String.init).joined(separator: "×"))"
            )
        }
        guard img.dimensions[0] == lab.dimensions[0] else {
            throw DatasetError(
                "\(imagePath) has \(img.dimensions[0]) images but \(labelPath) has \(lab.dimensions[0]) labels")
        }
        guard img.dimensions[0] > 0 else { throw DatasetError("\(imagePath): contains no images") }
        if let bad = lab.bytes.firstIndex(where: { $0 > 9 }) {
            throw DatasetError("\(labelPath): label \(lab.bytes[bad]) at index \(bad) is outside 0…9")
        }
        let rows = img.dimensions[1]
        let cols = img.dimensions[2]
        return (
            LabeledImages(pixels: img.bytes, labels: lab.bytes, features: rows * cols, width: cols), imagePath, rows,
            cols
        )
    }
}
