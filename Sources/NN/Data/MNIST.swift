import Foundation

/// Loads a folder holding the four MNIST-format files (MNIST, Fashion-MNIST):
/// `train-images-idx3-ubyte.gz`, `train-labels-idx1-ubyte.gz`, `t10k-images-idx3-ubyte.gz`,
/// `t10k-labels-idx1-ubyte.gz` (each may also be uncompressed, without `.gz`).
public enum MNIST {
    public static let fileNames = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                   "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]

    /// Reads and cross-checks the four files. Errors name the file and what is wrong with it.
    public static func load(directory: String) throws(DatasetError) -> (train: LabeledImages, test: LabeledImages) {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir) else {
            throw DatasetError("data folder '\(directory)' does not exist")
        }
        guard isDir.boolValue else { throw DatasetError("data folder '\(directory)' is not a folder") }
        let train = try loadPair(directory: directory, images: fileNames[0], labels: fileNames[1])
        let test = try loadPair(directory: directory, images: fileNames[2], labels: fileNames[3])
        guard train.features == test.features else {
            throw DatasetError("\(directory): training images have \(train.features) pixels, test images \(test.features)")
        }
        return (train, test)
    }

    static func path(directory: String, name: String) throws(DatasetError) -> String {
        let base = (directory as NSString).appendingPathComponent(name)
        for candidate in [base + ".gz", base] where FileManager.default.fileExists(atPath: candidate) {
            return candidate
        }
        throw DatasetError("\(base).gz: file not found")
    }

    static func loadPair(directory: String, images: String, labels: String) throws(DatasetError) -> LabeledImages {
        let imagePath = try path(directory: directory, name: images)
        let labelPath = try path(directory: directory, name: labels)
        let img = try IDXFile(path: imagePath, magic: IDXFile.imagesMagic)
        let lab = try IDXFile(path: labelPath, magic: IDXFile.labelsMagic)
        guard img.dimensions.count == 3, img.dimensions[1] > 0, img.dimensions[2] > 0 else {
            throw DatasetError("\(imagePath): expected 3 dimensions (count×rows×cols), got \(img.dimensions)")
        }
        guard lab.dimensions.count == 1 else {
            throw DatasetError("\(labelPath): expected 1 dimension (count), got \(lab.dimensions)")
        }
        guard img.dimensions[0] == lab.dimensions[0] else {
            throw DatasetError("\(imagePath) has \(img.dimensions[0]) images but \(labelPath) has \(lab.dimensions[0]) labels")
        }
        guard img.dimensions[0] > 0 else { throw DatasetError("\(imagePath): contains no images") }
        if let bad = lab.bytes.firstIndex(where: { $0 > 9 }) {
            throw DatasetError("\(labelPath): label \(lab.bytes[bad]) at index \(bad) is outside 0…9")
        }
        return LabeledImages(pixels: img.bytes, labels: lab.bytes, features: img.dimensions[1] * img.dimensions[2])
    }
}
