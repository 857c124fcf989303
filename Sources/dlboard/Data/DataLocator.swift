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
        candidates.append(
            source.deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("assets/mnist").path)
        return candidates.first { fm.fileExists(atPath: $0 + "/train-images-idx3-ubyte.gz") } ?? candidates[0]
    }

    /// Resolves `--data` / `--dataset` into a folder and a display name.
    static func resolve(data: String?, dataset: DatasetName?) throws(DatasetError) -> (directory: String, name: String)
    {
        if let data { return (data, (data as NSString).lastPathComponent) }
        switch dataset ?? .mnist {
        case .mnist:
            return (bundledMNIST(), "MNIST")
        case .fashion:
            guard FileManager.default.fileExists(atPath: fashionDirectory + "/train-images-idx3-ubyte.gz") else {
                throw DatasetError(
                    "Fashion-MNIST is not installed (looked in \(fashionDirectory)); install it with: apt-get install dataset-fashion-mnist"
                )
            }
            return (fashionDirectory, "Fashion-MNIST")
        }
    }

    /// Where the number of training images a run asks for came from, so that an error about it
    /// names what the user can change.
    enum TrainSize {
        /// `--train-size N`.
        case flag(Int)
        /// A preset's default (the user gave no --train-size).
        case presetDefault(Int, preset: String)

        var count: Int {
            switch self {
            case .flag(let n), .presetDefault(let n, _): n
            }
        }
    }

    /// Loads the folder of `--data` / `--dataset`, keeps the first `trainSize` training images (an
    /// error names where that number came from if there are fewer), keeps the first `testSize` test
    /// images (none unless `usesTestSet`), splits off a validation fraction, and fits `configs` to
    /// the data: the network input follows the image size, a batch larger than the training set is
    /// clamped to it (said on stderr), and runs that need more memory than there is are refused —
    /// all before any network is built or the dashboard starts.
    static func load(
        data: String?, dataset: DatasetName?, trainSize: TrainSize?, testSize: Int? = nil, usesTestSet: Bool = true,
        validation: Double, seed: UInt64, configs: [TrainingConfig]
    )
        throws -> (dataset: Dataset, directory: String, configs: [TrainingConfig])
    {
        for c in configs {
            do { try c.validate() } catch { throw ValidationError(error.flagMessage) }
        }
        let (directory, name) = try resolve(data: data, dataset: dataset)
        let loaded = try MNIST.load(directory: directory)
        switch trainSize {
        case .flag(let n) where n > loaded.train.count:
            throw ValidationError(
                "--train-size: \(n) is more than the \(loaded.train.count) training images in \(directory)")
        case .presetDefault(let n, let preset) where n > loaded.train.count:
            throw ValidationError(
                "preset \(preset) trains on \(n) images by default, but \(directory) has only \(loaded.train.count); give --train-size \(loaded.train.count) or less"
            )
        default: break
        }
        if let n = testSize, n > loaded.test.count {
            throw ValidationError("--test-size: \(n) is more than the \(loaded.test.count) test images in \(directory)")
        }
        let test = usesTestSet ? testSize.map { loaded.test.prefix($0) } ?? loaded.test : loaded.test.prefix(0)
        let restricted = try Dataset(name: name, train: loaded.train, test: test)
            .restricted(trainSize: trainSize?.count, validationFraction: validation, seed: seed)
        let fitted = configs.map { $0.fitted(to: restricted) }
        do { try MemoryEstimate.check(fitted, data: restricted) } catch {
            throw ValidationError("\(error.message); use a smaller --hidden or --batch")
        }
        if let clamped = zip(configs, fitted).first(where: { $0.batchSize != $1.batchSize }) {
            Console.error(
                "dlboard: batch \(clamped.0.batchSize) is more than the \(restricted.train.count) training images; each batch takes \(clamped.1.batchSize)"
            )
        }
        return (restricted, directory, fitted)
    }
}
