import ArgumentParser
import Foundation
import NN

/// Finds the data folder a run should read.
enum DataLocator {
    /// Where Debian's `dataset-fashion-mnist` package installs its files.
    static let fashionDirectory = "/usr/share/datasets/fashion-mnist"

    /// The bundled MNIST copy: `assets/mnist` of the checkout, looked up from the working
    /// directory, from the executable (`.build/<config>/dlboard`) and from this source file.
    static func bundledMNIST() -> String {
        let fm = FileManager.default
        var candidates = [fm.currentDirectoryPath + "/assets/mnist"]
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("assets/mnist").path)
            dir = dir.deletingLastPathComponent()
        }
        let source = URL(fileURLWithPath: #filePath)  // Sources/dlboard/Data/DataLocator.swift
        candidates.append(source.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("assets/mnist").path)
        return candidates.first { fm.fileExists(atPath: $0 + "/train-images-idx3-ubyte.gz") } ?? candidates[0]
    }

    /// Resolves `--data` / `--dataset` into a folder and a display name.
    static func resolve(data: String?, dataset: DatasetName?) throws(DatasetError) -> (directory: String, name: String) {
        if let data { return (data, (data as NSString).lastPathComponent) }
        switch dataset ?? .mnist {
        case .mnist:
            return (bundledMNIST(), "MNIST")
        case .fashion:
            guard FileManager.default.fileExists(atPath: fashionDirectory + "/train-images-idx3-ubyte.gz") else {
                throw DatasetError("Fashion-MNIST is not installed (looked in \(fashionDirectory)); install it with: apt-get install dataset-fashion-mnist")
            }
            return (fashionDirectory, "Fashion-MNIST")
        }
    }

    /// Loads the folder of `--data` / `--dataset`, keeps the first `trainSize` training images (an
    /// error names the flag if there are fewer), trims the test set with `test`, and splits off a
    /// validation fraction. Returns the dataset and the folder it came from.
    static func load(data: String?, dataset: DatasetName?, trainSize: Int?, validation: Double, seed: UInt64,
                     test: (LabeledImages) -> LabeledImages = { $0 }) throws -> (dataset: Dataset, directory: String) {
        let (directory, name) = try resolve(data: data, dataset: dataset)
        let loaded = try MNIST.load(directory: directory)
        if let n = trainSize, n > loaded.train.count {
            throw ValidationError("--train-size: \(n) is more than the \(loaded.train.count) training images in \(directory)")
        }
        let restricted = Dataset(name: name, train: loaded.train, test: test(loaded.test))
            .restricted(trainSize: trainSize, validationFraction: validation, seed: seed)
        return (restricted, directory)
    }
}
